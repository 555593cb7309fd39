"""A hostile page as a benchmark row: one 50 MB HTML page in a corpus, checked by the real command.

Prints, for `claimcheck check` on it: the wall time, the peak memory of the run (its largest
process, the HTML worker included), whether the report carries the one-line note that the page
was capped, and how long the run takes to end after SIGTERM sent while the page is being parsed.
The issue's bounds (under 60 s, under 1.5 GiB, SIGTERM within 2 s) are printed beside each figure.

    python bench/hostile.py [--megabytes 50]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUND_SECONDS = 60.0  # the bounds for one 50 MB page
BOUND_GIB = 1.5
BOUND_SIGTERM_SECONDS = 2.0

PARAGRAPH = ("<div class=\"c\"><p>The council said {n} people attended the meeting in the town hall on "
             "Monday, and the mayor promised a second session next month.</p></div>\n")
SCRIPT = "<script>var tracker = {\"id\": 12345, \"items\": [1, 2, 3, 4, 5, 6, 7, 8]};</script>\n"


def make_page(path: Path, megabytes: int) -> None:
    """A page of a fifth scripts and four fifths nested paragraphs, `megabytes` MB in all."""
    target = megabytes * 1024 * 1024
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("<!DOCTYPE html><html><head><title>Town hall meeting</title></head><body><article>\n")
        written, n = 0, 0
        while written < target:
            chunk = SCRIPT if n % 5 == 0 else PARAGRAPH.format(n=n)
            fh.write(chunk)
            written += len(chunk)
            n += 1
        fh.write("</article></body></html>\n")


def _command(corpus: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "checker", "check", str(corpus), "--format", "json", "--fail-on", "never",
            "--cache-dir", str(cache)]


def _env() -> dict:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}


def full_run(corpus: Path, cache: Path) -> dict:
    t0 = time.monotonic()
    run = subprocess.run(_command(corpus, cache), capture_output=True, text=True, cwd=ROOT, env=_env(),
                         timeout=1800)
    seconds = time.monotonic() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kib = usage.ru_maxrss  # the largest process waited for
    notes = []
    if run.returncode == 0:
        notes = [d.get("note", "") for d in json.loads(run.stdout)["documents"] if d["file"].endswith(".html")]
    return {"exit": run.returncode, "seconds": round(seconds, 1), "cpu": round(usage.ru_utime + usage.ru_stime, 1), "peak_gib": round(peak_kib / 1024 ** 2, 2),
            "note": notes[0] if notes else run.stderr.strip()[-300:]}


def _children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def sigterm_run(corpus: Path, cache: Path) -> dict:
    """SIGTERM one second after the page's worker process started: seconds until the run ended."""
    proc = subprocess.Popen(_command(corpus, cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=_env())
    deadline = time.monotonic() + 300
    while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    stopped = time.monotonic() - t0
    err = proc.stderr.read()
    return {"exit": proc.returncode, "seconds_to_stop": round(stopped, 2), "traceback": "Traceback" in err,
            "stderr": err.strip().splitlines()[-1:] }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimcheck-hostile-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        make_page(corpus / "big.html", args.megabytes)
        (corpus / "other.txt").write_text("The council said 40 people attended the meeting in the town hall on "
                                          "Monday.\n", encoding="utf-8")
        cache = Path(tmp) / "cache"
        full = full_run(corpus, cache)  # first: the CPU time counted is this run's alone
        stop = sigterm_run(corpus, cache)
    print(f"hostile page, {args.megabytes} MB of HTML:")
    # the CPU seconds too: on a shared machine the wall time is mostly waiting for a core
    print(f"  check: exit {full['exit']}, {full['seconds']} s (bound {BOUND_SECONDS:g}; {full['cpu']} s of CPU), peak "
          f"{full['peak_gib']} GiB (bound {BOUND_GIB}); note: {full['note']}")
    print(f"  SIGTERM while parsing: exit {stop['exit']} after {stop['seconds_to_stop']} s "
          f"(bound {BOUND_SIGTERM_SECONDS:g}); traceback: {stop['traceback']}; {' '.join(stop['stderr'])}")
    ok = (full["exit"] == 0 and full["seconds"] < BOUND_SECONDS and full["peak_gib"] < BOUND_GIB
          and stop["exit"] == 143 and stop["seconds_to_stop"] < BOUND_SIGTERM_SECONDS and not stop["traceback"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
