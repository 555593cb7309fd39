"""`make screenshot`'s pictures of `claimcheck serve seeds`: docs/overview.png (the overview with its
facts table) and docs/claim.png (a claim's answer). Headless chromium, as for docs/report.png."""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from tests.web_server import ROOT, browser_paths, running_server

CLAIM = "Blinken spoke by phone with Qin Gang on Wednesday"
SHOTS = (("overview.png", "/", "1300,1500"),
         ("claim.png", "/check?claim=" + quote(CLAIM), "1300,1100"))


def main(out: Path) -> int:
    paths = browser_paths()
    if isinstance(paths, str):
        print(f"web_screenshots: {paths}", file=sys.stderr)
        return 2
    chromium = paths[0]
    with running_server(Path("seeds")) as base:  # as a user types it: the page shows the name
        for name, path, size in SHOTS:
            with tempfile.TemporaryDirectory() as profile:
                # the virtual time budget lets the page's fetch() come back before the picture is taken
                subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                "--disable-sync", f"--user-data-dir={profile}", f"--window-size={size}",
                                "--virtual-time-budget=10000", f"--screenshot={out / name}", base + path],
                               check=True, capture_output=True, timeout=120)
            print(f"web_screenshots: {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
