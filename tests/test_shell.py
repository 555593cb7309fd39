"""The shell driven through its standard input: in process (io.StringIO) on the prepared seeds, and
once as a real subprocess of the CLI."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest

from checker.shell import ClaimShell, run_shell
from tests.conftest import ROOT, SEEDS
from tests.seeds_prepared import seeds_prepared
from tests.schemas import validate


@pytest.fixture(scope="module")
def prepared(embedder):
    return seeds_prepared(embedder)


def _session(prepared, lines: list[str]) -> str:
    out = io.StringIO()
    assert run_shell(prepared, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, interactive=False) == 0
    return out.getvalue()


def _verdicts(output: str) -> list[str]:
    return re.findall(r"^verdict: (.+)$", output, re.MULTILINE)


def test_answers_one_claim_per_line_with_commands_between(prepared):
    out = _session(prepared, [
        "Blinken arrived in Beijing on Sunday",
        ":date 2023-06-19",
        "Blinken arrived in Beijing on Sunday",
        ":date nonsense",
        ":top 2",
        "The Eiffel Tower was repainted in 2019",
        ":help",
        ":nope",
        "",
        ":quit",
        "Blinken arrived in Beijing on Monday",  # after :quit: never answered
    ])
    assert _verdicts(out) == ["SUPPORTED", "SUPPORTED", "NOT FOUND"]
    assert "date: none (relative dates compared as stated)" in out
    assert "date: 2023-06-19" in out and '(Sunday 2023-06-18): agrees' in out
    assert "error: not an ISO date: 'nonsense'" in out
    assert ":quit" in out and "error: unknown command :nope" in out


def test_top_and_json_format(prepared):
    import json

    out = _session(prepared, [":top 2", ":format json", "Blinken held three days of talks in Beijing"])
    body = out[out.index("{"):]
    data = validate(json.loads(body), "claim")
    assert data["verdict"] == "contradicted" and len(data["sources"]) == 2


def test_each_claim_is_answered_with_a_verdict(prepared):
    """How fast: `make bench` and the README's figures (a timed unit test fails on a loaded machine)."""
    out = io.StringIO()
    shell = ClaimShell(prepared, out)
    claims = ["Blinken arrived in Beijing on Sunday", "Blinken held three days of talks in Beijing",
              "Blinken is the first secretary of state to visit China since 2017",
              "Blinken spoke by phone with Qin Gang on Tuesday night",
              "The Federal Reserve raised interest rates by 0.25 percentage points"]
    for c in claims * 2:
        shell.handle(c)
    assert len(shell.times) == len(claims) * 2
    assert out.getvalue().lower().count("verdict:") == len(claims) * 2


def test_the_real_command_through_a_pipe():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "shell", "--against", str(SEEDS)],
        input="Blinken is the first secretary of state to visit China since 2017\n"
              "Blinken arrived in Beijing on Sunday\n:quit\n",
        capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _verdicts(proc.stdout) == ["CONTRADICTED", "SUPPORTED"]
    assert "2 claim(s); seconds per claim" in proc.stderr


def test_on_a_terminal_lines_come_through_readline_with_history(prepared, monkeypatch, tmp_path):
    import builtins

    import checker.shell as shell_module

    history = tmp_path / "history"
    monkeypatch.setattr(shell_module, "HISTORY", str(history))
    fed = iter(["Blinken arrived in Beijing on Sunday", ":date"])

    def fake_input(prompt=""):
        assert prompt == shell_module.PROMPT
        try:
            return next(fed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(builtins, "input", fake_input)
    out = io.StringIO()
    assert run_shell(prepared, stdout=out, interactive=True) == 0
    text = out.getvalue()
    assert text.startswith("claimcheck shell: 5 documents")
    assert _verdicts(text) == ["SUPPORTED"] and "date: none" in text
    assert history.exists()
