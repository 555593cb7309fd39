"""The pre-publication pass on the seeds with the real model: a draft made at run time from a seed
article, with two facts changed, reports those two and nothing else at warning or above; the same
draft unchanged reports nothing."""
from __future__ import annotations

import calendar
import json
import re
import shutil
from datetime import date

import pytest

from checker.draft import check_draft, draft_document
from checker.models import Severity
from tests.conftest import SEEDS
from tests.schemas import validate
from tests.seeds_prepared import seeds_prepared

SOURCE = "003_df74848942b8800c.txt"  # the seed article no corpus finding cites at warning or above
WEEKDAYS = list(calendar.day_name)
NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def change_weekday(text: str) -> tuple[str, int]:
    """The first "on <weekday>" moved one day on; returns the text and the changed line."""
    m = re.search(r"\bon (%s)\b" % "|".join(WEEKDAYS), text)
    assert m, "the source article names no weekday"
    new = WEEKDAYS[(WEEKDAYS.index(m.group(1)) + 1) % 7]
    return text[:m.start(1)] + new + text[m.end(1):], text.count("\n", 0, m.start()) + 1


def change_length(text: str) -> tuple[str, int]:
    """The first "<number>-day" one day longer."""
    m = re.search(r"\b(%s)-day\b" % "|".join(NUMBER_WORDS), text)
    assert m, "the source article states no length in days"
    new = NUMBER_WORDS[NUMBER_WORDS.index(m.group(1)) + 1]
    return text[:m.start(1)] + new + text[m.end(1):], text.count("\n", 0, m.start()) + 1


@pytest.fixture(scope="module")
def prepared(embedder):
    return seeds_prepared(embedder)


@pytest.fixture(scope="module")
def original() -> str:
    return (SEEDS / SOURCE).read_text(encoding="utf-8")


def _changed_words(before: str, after: str) -> tuple[str, str]:
    """The weekday and the "<number>-day" of `after` that differ from `before`, in order."""
    a, b = before.split(), after.split()
    assert len(a) == len(b)
    diffs = [y.strip(".,") for x, y in zip(a, b) if x != y]
    assert len(diffs) == 2, diffs
    weekday = next(w for w in diffs if w in WEEKDAYS)
    return weekday, next(w for w in diffs if w != weekday)


def _warnings(report):
    return [f for f in report.findings if f.severity.rank >= Severity.WARNING.rank]


def test_a_draft_with_two_facts_changed_reports_those_two(prepared, original, tmp_path):
    text, weekday_line = change_weekday(original)
    text, length_line = change_length(text)
    changed_weekday, changed_length = _changed_words(original, text)
    path = tmp_path / "draft.md"
    path.write_text(text, encoding="utf-8")
    report = check_draft(str(path), prepared)
    found = _warnings(report)
    # each changed fact is reported, maybe once per source that states it, and nothing else is
    changed: dict[str, set] = {}
    for f in found:
        changed.setdefault(f.rule, set()).update(
            (e.line, text[e.mention_start:e.mention_end]) for e in f.evidence if e.doc == str(path))
    assert set(changed) == {"CC-DATE-001", "CC-DUR-001"}, [f.message for f in found]
    assert {line for spots in changed.values() for line, _ in spots} == {weekday_line, length_line}
    assert changed["CC-DATE-001"] == {(weekday_line, changed_weekday)}
    assert {value for _, value in changed["CC-DUR-001"]} == {changed_length}
    for f in found:  # each set against the original article among others
        assert any(e.doc != str(path) for e in f.evidence)
    assert any(e.doc == SOURCE for f in found for e in f.evidence)
    draft = next(d for d in report.documents if d.name == str(path))
    assert draft.published_source == "text" and draft.published == date(2023, 6, 20)
    assert report.stats["draft"] == str(path)


def test_the_same_draft_unchanged_reports_nothing(prepared, original, tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(original, encoding="utf-8")
    report = check_draft(str(path), prepared)
    assert _warnings(report) == [], [f.message for f in report.findings]
    assert all(any(e.doc == str(path) for e in f.evidence) for f in report.findings)


def test_the_draft_date_comes_from_the_option_else_the_text_else_today():
    dated = "2023-06-20 07:00:00\n\nBlinken met Xi on Monday."
    plain = "Blinken met Xi on Monday."
    d = draft_document(dated, "d", published=date(2023, 6, 1))
    assert (d.published, d.published_source) == (date(2023, 6, 1), "option")
    d = draft_document(dated, "d")
    assert (d.published, d.published_source, d.published_evidence) == (date(2023, 6, 20), "text", "2023-06-20 07:00:00")
    d = draft_document(plain, "d", today=date(2024, 1, 2))
    assert (d.published, d.published_source) == (date(2024, 1, 2), "today")
    assert "today" in d.note


def test_cli_draft_inside_the_corpus_folder_json_and_exit_code(embedder, original, tmp_path, capsys):
    from checker.cli import main

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    text, line = change_weekday(original)
    draft = corpus / "my-draft.txt"  # in the folder: it is the draft, not one more source
    draft.write_text(text, encoding="utf-8")
    code = main(["draft", str(draft), "--against", str(corpus), "--format", "json", "--fail-on", "warning",
                 "--published", "2023-06-20"])
    data = validate(json.loads(capsys.readouterr().out), "report")
    assert code == 1
    names = [d["file"] for d in data["documents"]]
    assert names.count(str(draft)) == 1 and "my-draft.txt" not in names
    mine = next(d for d in data["documents"] if d["file"] == str(draft))
    assert mine["published_source"] == "option"
    assert [f["rule"] for f in data["findings"] if f["severity"] != "info"] == ["CC-DATE-001"]
    assert all(any(e["doc"] == str(draft) for e in f["evidence"]) for f in data["findings"])
    assert main(["draft", str(corpus / "nope.txt"), "--against", str(corpus)]) == 2


def test_every_report_format_renders_a_draft_report(prepared, original, tmp_path):
    from checker.report import FORMATS, render

    text, _ = change_weekday(original)
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    report = check_draft(str(path), prepared)
    assert _warnings(report)
    for fmt in sorted(FORMATS):
        out = render(report, fmt)
        assert "draft.txt" in out, fmt


def test_cli_draft_honours_the_corpus_settings_select_ignore_and_a_baseline(embedder, original, tmp_path, capsys):
    from checker.cli import main

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    text, _ = change_weekday(original)
    draft = tmp_path / "draft.txt"
    draft.write_text(text, encoding="utf-8")
    argv = ["draft", str(draft), "--against", str(corpus), "--format", "json", "--published", "2023-06-20",
            "--quiet"]

    def rules(*extra: str) -> tuple[int, set[str]]:
        code = main(argv + list(extra))
        out = capsys.readouterr().out
        return code, {f["rule"] for f in validate(json.loads(out), "report")["findings"] if f["severity"] != "info"}

    (corpus / "claimcheck.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    assert rules() == (1, {"CC-DATE-001"})  # fail-on from the corpus's settings, as check reads them
    (corpus / "claimcheck.toml").write_text('fail-on = "warning"\nignore = ["date.mismatch"]\n', encoding="utf-8")
    assert rules() == (0, set())
    assert main(argv + ["--config", str(tmp_path / "none.toml")]) == 2  # a --config that is not there
    assert "no such config file" in capsys.readouterr().err
    (corpus / "claimcheck.toml").write_text('fail-on = "warning"\nselect = ["time"]\n', encoding="utf-8")
    assert rules("--select", "CC-DATE") == (1, {"CC-DATE-001"})  # --select replaces the file's
    assert rules("--select", "CC-DATE", "--disable", "date-mismatch") == (0, set())
    main(argv + ["--select", "CC-DATE"])
    found = validate(json.loads(capsys.readouterr().out), "report")["findings"]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"claimcheck_baseline": 1, "findings": [
        {"id": f["id"], "rule": f["rule"], "message": f["message"]} for f in found]}), encoding="utf-8")
    assert rules("--select", "CC-DATE", "--baseline", str(baseline)) == (0, set())
