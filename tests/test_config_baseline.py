"""Configuration files and baselines, through the CLI as a user runs it (model loaded once)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker.cli import main
from tests.conftest import SEEDS
from tests.schemas import validate


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _findings(capsys, *argv: str) -> list[dict]:
    code, out, err = _run(capsys, "check", *argv, "--format", "json")
    assert code in (0, 1), err
    return validate(json.loads(out), "report")["findings"]


def test_config_disables_rules_changes_severity_and_fail_on(embedder, corpus, capsys):
    baseline = _findings(capsys, str(corpus))
    assert any(f["rule"] == "CC-TITLE-001" for f in baseline)
    (corpus / "claimcheck.toml").write_text(
        'disable = ["CC-TITLE"]\nfail-on = "warning"\n[severity]\n"date-mismatch" = "error"\n', encoding="utf-8")
    configured = _findings(capsys, str(corpus))
    assert not any(f["rule"] == "CC-TITLE-001" for f in configured)
    # the configured severity replaces warning and error; notes (info: a link too weak to warn, an
    # approximate value) stay notes
    dates = [f["severity"] for f in configured if f["rule"] == "CC-DATE-001"]
    assert "error" in dates and set(dates) <= {"error", "info"}, dates
    code, _, _ = _run(capsys, "check", str(corpus), "--format", "json")
    assert code == 1  # fail-on = warning from the file
    code, _, _ = _run(capsys, "check", str(corpus), "--format", "json", "--fail-on", "never")
    assert code == 0  # the command line overrides the file


def test_include_and_exclude_patterns(embedder, corpus, capsys):
    (corpus / "claimcheck.toml").write_text('exclude = ["000_*"]\n', encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(corpus), "--format", "json")
    names = [d["file"] for d in validate(json.loads(out), "report")["documents"]]
    assert names and not any(n.startswith("000_") for n in names)


@pytest.mark.parametrize("content,message", [
    ('colour = "red"\n', "unknown key 'colour'"),
    ('fail-on = "sometimes"\n', "fail-on must be one of"),
    ('disable = ["CC-NOPE"]\n', "names no rule"),
    ('[severity]\n"CC-DATE-001" = "fatal"\n', "must be error, warning or info"),
    ('disable = "CC-DATE-001"\n', "must be a list of strings"),
    ('this is [not toml\n', "not valid TOML"),
    ('corpus = "articles"\n', "corpus must be a list of strings"),
    ('select = [""]\n', "select must be a list of strings"),
    ('severity = "error"\n', "severity must be a table of rule = level"),
    ('fail-on = 1\n', "fail-on must be one of"),
])
def test_bad_config_is_a_one_line_error(corpus, capsys, content, message):
    (corpus / "claimcheck.toml").write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, "check", str(corpus))
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "claimcheck.toml" in err


def test_baseline_hides_known_findings_and_shows_new_ones(embedder, corpus, tmp_path, capsys):
    base = tmp_path / "baseline.json"
    code, _, _ = _run(capsys, "check", str(corpus), "--write-baseline", str(base), "--fail-on", "never")
    assert code == 0 and json.loads(base.read_text())["findings"]
    article = corpus / "001_60cf788c8bc8659d.txt"
    text = article.read_text(encoding="utf-8")
    # an unrelated sentence at the top shifts every line number: nothing comes back
    article.write_text("Markets in Asia were mixed on the day.\n\n" + text, encoding="utf-8")
    assert _findings(capsys, str(corpus), "--baseline", str(base)) == []
    # a new conflicting sentence: exactly its findings are reported
    article.write_text(text + "\nCIA Director William Burns traveled to China in April, officials said.\n",
                       encoding="utf-8")
    new = _findings(capsys, str(corpus), "--baseline", str(base))
    assert new and all(any("in April" in e["text"] for e in f["evidence"]) for f in new)


def test_unreadable_baseline_is_an_error(corpus, tmp_path, capsys):
    bad = tmp_path / "b.json"
    bad.write_text("{}", encoding="utf-8")
    code, _, err = _run(capsys, "check", str(corpus), "--baseline", str(bad))
    assert code == 2 and "cannot read the baseline" in err


def test_corpus_folders_are_read_from_the_settings_file_relative_to_it(tmp_path):
    from checker.config import load_config

    (tmp_path / "pyproject.toml").write_text('[tool.claimcheck]\ncorpus = ["news", "/abs/wire"]\n', encoding="utf-8")
    config = load_config(None, cwd=str(tmp_path))
    assert config.corpus == (str(tmp_path / "news"), "/abs/wire")


def test_check_files_refuses_a_corpus_folder_that_is_not_there(tmp_path, monkeypatch, capsys):
    from checker.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.claimcheck]\ncorpus = ["artciles"]\n', encoding="utf-8")
    (tmp_path / "README.md").write_text("The ministers met on Monday.\n", encoding="utf-8")
    assert main(["check-files", "README.md", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "corpus names no folder: " in err and "artciles" in err and len(err.strip().splitlines()) == 1
