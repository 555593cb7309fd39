"""Progress on a long run: bars on a terminal, one summary line when standard error is piped."""
from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from checker.progress import SUMMARY, showing, stage, track
from tests.conftest import ROOT, SEEDS


def _corpus(tmp_path: Path) -> Path:
    """The seeds under another name: a corpus of several articles that a run must read and embed."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def _check_on_a_terminal(corpus: Path, out: Path, *extra: str) -> tuple[int, str]:
    """`claimcheck check` with its standard error on a pseudo-terminal, as a person at a terminal
    runs it (the report goes to a file): the exit code and everything the terminal showed."""
    controller, terminal = pty.openpty()
    # a terminal 100 columns wide (a new pseudo-terminal has none, and a bar no room)
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "checker", "check", str(corpus), "--fail-on", "never",
                             "--output", str(out), *extra],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=terminal, cwd=ROOT,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    os.close(terminal)
    shown = bytearray()
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the other end closed: the run is over
                    break
                if not chunk:
                    break
                shown += chunk
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=60), shown.decode("utf-8", "replace")
    finally:
        os.close(controller)
        if proc.poll() is None:
            proc.kill()


def test_check_draws_bars_on_a_terminal_and_one_summary_line_when_piped(tmp_path):
    corpus = _corpus(tmp_path)
    code, shown = _check_on_a_terminal(corpus, tmp_path / "report.txt", "--no-cache")
    assert code == 0 and (tmp_path / "report.txt").exists(), shown
    # tqdm's bars, redrawn in place: the documents read (of 5) and the sentences embedded
    assert re.search(r"\rdocuments: .*\|.* \d/5 ", shown) and re.search(r"\rsentences: .*\|.* \d+/\d+ ", shown), shown
    assert not any(SUMMARY.match(line.strip()) for line in shown.splitlines()), shown

    piped = subprocess.run([sys.executable, "-m", "checker", "check", str(corpus), "--fail-on", "never",
                            "--output", str(tmp_path / "piped.txt"), "--no-cache"], capture_output=True, text=True,
                           cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=600)
    assert piped.returncode == 0, piped.stderr
    assert "\r" not in piped.stderr and piped.stderr.count("\n") == 1 and SUMMARY.match(piped.stderr.strip())
    assert "5 documents read" in piped.stderr and "stor" in piped.stderr, piped.stderr
    # the same findings however the progress is shown
    assert (tmp_path / "piped.txt").read_text() == (tmp_path / "report.txt").read_text()


def test_quiet_on_a_terminal_is_one_summary_line(tmp_path):
    code, shown = _check_on_a_terminal(_corpus(tmp_path), tmp_path / "report.txt", "--quiet")
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    # a terminal ends a line with \r\n; a bar would return to the start of one
    assert code == 0 and "\r" not in shown.replace("\r\n", "") and len(lines) == 1 and SUMMARY.match(lines[0]), shown


def test_nested_stages_share_one_count_and_a_failed_run_prints_no_summary():
    stream = io.StringIO()
    with showing(stream=stream):
        for _ in track(["a", "b", "c"], "read"):
            pass
        with stage("embed", 10) as outer:
            with stage("embed", 10) as inner:  # the model's loop inside the cache's: one count
                inner.update(4)
            outer.reach(10)
    assert stream.getvalue() == stream.getvalue().strip() + "\n"
    assert "3 documents read, 10 sentences embedded" in stream.getvalue()
    failed = io.StringIO()
    try:
        with showing(stream=failed):
            track_all = list(track(range(3), "compare"))
            raise ValueError(track_all)
    except ValueError:
        pass
    assert failed.getvalue() == ""  # the error's own line is the last word
    # outside a run nothing is counted or shown
    with stage("embed", 3) as alone:
        alone.update(3)
