#!/usr/bin/env python3
"""How long one `claimcheck claim` takes from the shell, warm: `make bench` (and alone).

Usage:
    python bench/claim_bench.py [--against seeds] [--runs 3]

The first run fills the cache (the corpus's sentences, vectors and extraction); then each claim below
is checked `--runs` times as a user would type it, a fresh process each time, and the wall time of
each is printed with the median against the target: a warm claim answers in at most TARGET_S seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / ".venv" / "bin" / "claimcheck"
TARGET_S = 5.0  # what a warm `claimcheck claim` may take, start-up included
CLAIMS = ("Blinken arrived in Beijing on Sunday.", "The ferry carried 212 passengers.")  # one the seeds speak of, one not


def timed_claim(claim: str, against: Path) -> tuple[float, str]:
    """Wall seconds of one `claimcheck claim ... --format json`, and its verdict."""
    start = time.perf_counter()
    proc = subprocess.run([str(CHECKER), "claim", claim, "--against", str(against), "--format", "json"],
                          capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"claim_bench: claimcheck exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return wall, json.loads(proc.stdout)["verdict"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", type=Path, default=ROOT / "seeds")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    timed_claim(CLAIMS[0], args.against)  # cold: fills the cache
    walls = []
    for claim in CLAIMS:
        for _ in range(args.runs):
            wall, verdict = timed_claim(claim, args.against)
            walls.append(wall)
            print(f"  claim warm {wall:5.1f} s  {verdict:<13} {claim}", flush=True)
    median = statistics.median(walls)
    print(f"claim warm on {args.against.name}: median {median:.1f} s, max {max(walls):.1f} s"
          f" (target at most {TARGET_S:g} s: {'met' if median <= TARGET_S else 'not met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
