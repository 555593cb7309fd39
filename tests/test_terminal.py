"""The terminal output, as ruff's: `path:line:col: CODE [severity] message` with paths from the working
directory and the column of the value; colour on a terminal (--color, NO_COLOR); --version;
--statistics; `-` for standard input; a bare `claimcheck` shows the help."""
from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from checker import __version__
from checker.cli import main
from checker.outputs import wants_color
from checker.report import render
from tests.conftest import ROOT, SEEDS

HEAD = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<code>CC-[A-Z]+-\d{3}) "
                  r"\[(?P<severity>error|warning|info)\] (?P<message>.+)$")
ESC = "\x1b["

ARTICLES = {  # a tiny corpus of our own with one conflict, checked in a second or two
    "a.txt": "2023-06-20 07:00:00\nThe two ministers met in Vienna on Monday for a three-hour meeting.\n",
    "b.txt": "2023-06-20 09:00:00\nThe two ministers met in Vienna on Monday for a five-hour meeting.\n",
}


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    corpus = tmp_path / "tiny"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def _heads(text: str) -> list[re.Match]:
    return [m for line in text.splitlines() if (m := HEAD.match(line))]


def test_check_seeds_writes_path_line_col_code_message_from_the_working_directory(seeds_report, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = render(seeds_report, "text")
    heads = _heads(text)
    assert len(heads) == len(seeds_report.findings), text
    assert sorted(m["code"] for m in heads) == sorted(f.rule for f in seeds_report.findings)
    for m in heads:
        path = Path(m["path"])
        assert path.parts[0] == "seeds" and path.is_file(), m["path"]
        line = path.read_text(encoding="utf-8").split("\n")[int(m["line"]) - 1]
        # findings may share a message ("Two dates for one event: ..."): the one at this place
        e = next((f.evidence[0] for f in seeds_report.findings if f.rule == m["code"] and f.message == m["message"]
                  and (f.evidence[0].doc, f.evidence[0].line) == (path.name, int(m["line"]))), None)
        assert e is not None, m.group(0)
        value = (SEEDS / e.doc).read_text(encoding="utf-8")[e.mention_start:e.mention_end]
        assert line[int(m["col"]) - 1:].startswith(value), (m.group(0), value)  # the column is the value's
    # every side of a finding is a jump target too
    assert all(re.match(r"^  seeds/\S+:\d+:\d+: ", x) for x in text.splitlines() if x.startswith("  seeds/"))
    monkeypatch.chdir(SEEDS)
    assert {Path(m["path"]).name == m["path"] for m in _heads(render(seeds_report, "text"))} == {True}
    monkeypatch.chdir(ROOT / "docs")  # outside the corpus's folder: the absolute path, which opens anywhere
    assert {m["path"].startswith(str(SEEDS)) for m in _heads(render(seeds_report, "text"))} == {True}


def test_colour_marks_values_instead_of_brackets(seeds_report):
    plain, coloured = render(seeds_report, "text"), render(seeds_report, "text", color=True)
    assert ESC not in plain and "[[" in plain
    assert ESC in coloured and "[[" not in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain.replace("[[", "").replace("]]", "")


def test_when_colour_is_on():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wants_color("auto", None, Tty(), {}) is True
    assert wants_color("auto", None, io.StringIO(), {}) is False  # a pipe or a file
    assert wants_color("auto", None, Tty(), {"NO_COLOR": "1"}) is False
    assert wants_color("auto", None, Tty(), {"NO_COLOR": ""}) is True  # set but empty: not set (no-color.org)
    assert wants_color("auto", "report.txt", Tty(), {}) is False  # --output FILE
    assert wants_color("always", "report.txt", io.StringIO(), {"NO_COLOR": "1"}) is True  # the flag wins
    assert wants_color("never", None, Tty(), {}) is False


def _on_a_terminal(argv: list[str], env: dict[str, str]) -> str:
    """The command run with its standard output on a pseudo-terminal, as a person sees it."""
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run([sys.executable, "-m", "checker", *argv], stdout=follower, stderr=subprocess.PIPE,
                              env={**os.environ, "HF_HUB_OFFLINE": "1", **env}, cwd=ROOT, timeout=300)
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's end once the command is done
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(leader)
    assert done.returncode == 1, done.stderr
    return out.decode("utf-8")


def test_auto_colour_follows_the_terminal_and_no_color(tiny, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def shown(**env: str) -> str:
        monkeypatch.delenv("NO_COLOR", raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        out = Terminal()
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["check", str(tiny), "--quiet"]) == 1
        return out.getvalue()

    assert ESC in shown()
    assert ESC not in shown(NO_COLOR="1")


@pytest.mark.slow
def test_colour_on_a_real_terminal_unless_no_color(tiny):
    argv = ["check", str(tiny), "--fail-on", "warning", "--quiet"]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert ESC in _on_a_terminal(argv, {**env})
    assert ESC not in _on_a_terminal(argv, {"NO_COLOR": "1"})


def test_color_always_and_never_on_the_command_line(tiny, capsys, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert main(["check", str(tiny), "--color", "always", "--quiet"]) == 1  # the three- and five-hour meeting
    assert ESC in capsys.readouterr().out
    assert main(["check", str(tiny), "--color", "never", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert ESC not in out and "[[three-hour]]" in out
    assert main(["check", str(tiny), "--color", "sometimes"]) == 2


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"claimcheck {__version__}\n"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{__version__}"' in pyproject


def test_statistics_count_the_findings_per_rule(tiny, capsys):
    assert main(["check", str(tiny), "--format", "json", "--quiet"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings
    expected = Counter(f["rule"] for f in findings)
    assert main(["check", str(tiny), "--statistics", "--format", "json", "--quiet", "--fail-on", "never"]) == 0
    rows = json.loads(capsys.readouterr().out)["rules"]
    assert {r["code"]: r["count"] for r in rows} == dict(expected)
    assert main(["check", str(tiny), "--statistics", "--quiet"]) == 1  # the gate holds
    lines = capsys.readouterr().out.splitlines()
    assert [(int(x.split()[0]), x.split()[1]) for x in lines[:-1]] == [(n, c) for c, n in expected.most_common()]
    assert lines[-1].endswith("info")
    assert main(["check", str(tiny), "--statistics", "--format", "sarif"]) == 2  # refused before any work
    assert "--statistics" in capsys.readouterr().err


def test_claim_reads_standard_input(tiny, capsys, monkeypatch):
    claim = "The two ministers met in Vienna on Monday for a five-hour meeting."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(claim.encode("utf-8"))))
    code = main(["claim", "-", "--against", str(tiny), "--format", "json", "--quiet"])
    answer = json.loads(capsys.readouterr().out)
    assert answer["claim"] == claim and code == answer["exit_status"]  # 1 when contradicted or mixed
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n")))
    assert main(["claim", "-", "--against", str(tiny)]) == 2
    assert "standard input: the claim is empty" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff\xfe bad")))
    assert main(["claim", "-", "--against", str(tiny)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_a_bare_claimcheck_shows_the_help_not_an_error(capsys):
    code = main([])
    out, err = capsys.readouterr()
    assert code == 2  # as click has it: no command is a usage of the help
    assert "Usage: claimcheck" in err and "Commands:" in err and "draft" in err
    assert err.startswith("Usage: claimcheck") and "claimcheck: error" not in err and out == ""
