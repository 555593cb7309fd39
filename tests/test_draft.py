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
from tests.conftest import ROOT, SEEDS
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


# -- the two-error draft: one finding per wrong value, the gate, the marked draft ----------------------

TWO_ERRORS = ROOT / "fixtures" / "drafts" / "blinken_two_errors.txt"


def _line_with(text: str, words: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if words in line)


@pytest.fixture(scope="module")
def two_errors(prepared):
    return check_draft(str(TWO_ERRORS), prepared)


def test_the_two_error_draft_has_one_finding_per_wrong_value_and_none_on_its_related_link(two_errors):
    text = TWO_ERRORS.read_text(encoding="utf-8")
    name = str(TWO_ERRORS)
    serious = _warnings(two_errors)
    mine = [[e for e in f.evidence if e.doc == name] for f in serious]
    assert all(len(m) == 1 for m in mine), [f.message for f in serious]
    spots = sorted((m[0].line, text[m[0].mention_start:m[0].mention_end]) for m in mine)
    assert spots == [(_line_with(text, "seven years"), "in seven years"), (_line_with(text, "Tuesday"), "Tuesday")]
    years = next(f for f, m in zip(serious, mine) if m[0].value == "in seven years")
    sources = {e.doc for e in years.evidence if e.doc != name}
    assert len(sources) >= 2  # the pairs the rule reported, one finding
    assert years.message.startswith(f'the draft says "in seven years"; {len(sources)} sources say otherwise: ')
    assert all(s in years.message for s in sources)
    related = _line_with(text, "Defence chiefs")
    assert not any(e.doc == name and e.line == related for f in two_errors.findings for e in f.evidence)
    # what else is reported is a dispute among the sources, at info, never the draft's error
    for f in two_errors.findings:
        if f not in serious:
            assert f.severity == Severity.INFO and "a dispute among the sources" in f.message, f.message
    assert two_errors.stats["draft_pairwise_findings"] > len(two_errors.findings)
    assert any(years.id in fact.findings for fact in two_errors.facts)  # the facts name the merged finding


def test_the_draft_is_shown_with_its_contradicted_lines_marked(two_errors):
    from checker.report import render

    text = TWO_ERRORS.read_text(encoding="utf-8")
    wrong = {_line_with(text, "seven years"), _line_with(text, "Tuesday")}
    shown = render(two_errors, "text")
    draft_part = shown.split("the draft (")[1]
    flagged = {int(line.split()[1]) for line in draft_part.splitlines()[1:] if line.startswith(">>")}
    assert flagged == wrong
    assert "[[in seven years]]" in draft_part and "[[Tuesday]]" in draft_part
    page = render(two_errors, "html")
    assert page.count("<p class='contradicted'>") == len(wrong)
    assert "<mark class='warning' title='CC-PERIOD-001'>in seven years</mark>" in page


def test_draft_fails_on_a_warning_by_default_and_reads_standard_input(embedder, capsys, monkeypatch):
    import io
    import sys

    from checker.cli import main

    def piped() -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TWO_ERRORS.read_bytes())))

    piped()
    assert main(["draft", "-", "--against", str(SEEDS), "--format", "json", "--quiet"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert "<stdin>" in [d["file"] for d in data["documents"]]
    assert len([f for f in data["findings"] if f["severity"] != "info"]) == 2
    piped()
    assert main(["draft", "-", "--against", str(SEEDS), "--quiet", "--fail-on", "error"]) == 0  # --fail-on overrides


def _evidence(doc: str, value: str, start: int) -> "Evidence":
    from checker.models import Evidence

    return Evidence(doc=doc, start=start, end=start + 40, line=1, text=f"... {value} ...", value=value,
                    mention_start=start + 4, mention_end=start + 4 + len(value))


def test_merging_per_draft_value_without_the_model():
    from checker.draft import Agreement, merge_per_draft_value
    from checker.models import Finding

    here = _evidence("draft", "seven years", 0)

    def pair(doc: str, value: str) -> Finding:
        return Finding("CC-PERIOD-001", "period-mismatch", Severity.WARNING, 0.9, "m", f"{value} against seven",
                       (_evidence(doc, value, 100), here))

    merged = merge_per_draft_value([pair(d, "five years") for d in "abcd"], "draft")
    assert len(merged) == 1 and merged[0].severity == Severity.WARNING
    assert merged[0].evidence[0] == here and {e.doc for e in merged[0].evidence[1:]} == set("abcd")
    assert merged[0].message == 'the draft says "seven years"; 4 sources say otherwise: "five years" (a, b, c, d)'
    # two sources for the draft's value against one: a dispute among the sources, at info
    with_draft = [Agreement(4, 15, "x"), Agreement(4, 15, "y")]
    disputed = merge_per_draft_value([pair("a", "five years")], "draft", with_draft)
    assert [f.severity for f in disputed] == [Severity.INFO] and "(x, y)" in disputed[0].message
    # the draft against itself is kept as the rule gave it
    own = Finding("CC-PERIOD-001", "period-mismatch", Severity.WARNING, 0.9, "own", "",
                  (here, _evidence("draft", "six years", 200)))
    assert merge_per_draft_value([own], "draft") == [own]
