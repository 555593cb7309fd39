"""End to end on the seed corpus with the real model: the known conflicts are found, the known
agreements are not flagged, evidence points at the original text, and edits of our own are caught
while paraphrases stay quiet."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.pipeline import check_folder
from tests.conftest import SEEDS

A, B, C, D, E = (f"{n}" for n in ("000_be71874fd1933440.txt", "001_60cf788c8bc8659d.txt",
                                  "002_3bf4201df3802dec.txt", "003_df74848942b8800c.txt",
                                  "004_81d969409292dfb7.txt"))

CONFLICTS = [
    ("weekday of the phone call", (B, "Tuesday night, Blinken spoke by phone"), (C, "said in a phone call on Wednesday")),
    ("superlative of two people", (E, "She remains the top US official to visit China"),
     (A, "He is the highest-ranking American official to visit China")),
    ("two titles", (A, "Foreign Minister Antony Blinken arrived in Beijing early Sunday"),
     (B, "U.S. Secretary of State Antony Blinken began two days of meetings")),
]

AGREEMENTS = [
    ((B, "first secretary of state to visit Beijing since 2018"), (A, "the first Secretary of State to make the trip in five years")),
    ((C, "Mike Pompeo, traveled in October 2018"), (E, "the first top American diplomat to visit China in five years")),
    ((D, "since US President Joe Biden took office in 2021"), (E, "took office in January 2021")),
    ((C, "the meeting last November between US President Joe Biden"), (E, "Biden and Xi meet in Bali — November 14, 2022")),
    ((A, "At a meeting in Bali last year"), (E, "in November on the Indonesian island of Bali")),
    ((A, "Jake Sullivan met with Yi in Vienna in May"), (C, "a closed-door meeting held in Vienna in May")),
    ((A, "CIA chief William Burns traveled to China in May"), (C, "CIA Director William Burns also traveled to Beijing in May")),
    ((A, "begin two-day talks"), (B, "began two days of meetings")),
    ((B, "arrives in Beijing, June 18, 2023."), (E, "began meetings in Beijing on Sunday")),
    ((B, "the State Department said Wednesday"), (C, "the State Department said on Wednesday")),
    ((B, "In Brussels on Friday, U.S. Defense Secretary Lloyd Austin"), (A, "Austin said Friday he was confident")),
    ((D, "culminated on Monday with a meeting"), (E, "During his stay through Monday")),
    ((E, "talks lasting more than three hours"), (E, "During the three-and-a-half hours of talks")),
]


def _covers(item, doc: str, quote: str) -> bool:
    return item.doc == doc and quote in item.text


def _finding_for(report, a, b, min_rank: int = 1):
    return [f for f in report.findings if f.severity.rank >= min_rank
            and any(_covers(x, *a) for x in f.evidence) and any(_covers(y, *b) for y in f.evidence)]


@pytest.mark.parametrize("label,a,b", CONFLICTS, ids=[c[0] for c in CONFLICTS])
def test_known_conflicts_are_found_at_warning(seeds_report, label, a, b):
    assert _finding_for(seeds_report, a, b), label


@pytest.mark.parametrize("a,b", AGREEMENTS, ids=[a[1][:30] for a, _ in AGREEMENTS])
def test_known_agreements_are_not_flagged(seeds_report, a, b):
    assert not _finding_for(seeds_report, a, b), [f.explanation for f in _finding_for(seeds_report, a, b)]


def test_approximate_period_is_an_info_note_with_arithmetic(seeds_report):
    notes = [f for f in seeds_report.findings if f.rule == "CC-PERIOD-001" and f.severity.value == "info"]
    assert notes and any("4 years 8 months" in f.explanation for f in notes)


def test_phone_call_explanation_states_the_resolved_values(seeds_report):
    (f,) = _finding_for(seeds_report, CONFLICTS[0][1], CONFLICTS[0][2])
    assert "Tuesday 2023-06-13" in f.explanation and "Wednesday 2023-06-14" in f.explanation
    assert "published Sunday 2023-06-18" in f.explanation and "one day" not in f.explanation.lower() or "1 day" in f.explanation


def test_every_evidence_item_is_the_slice_of_its_file(seeds_report):
    texts = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    assert seeds_report.findings
    for f in seeds_report.findings:
        assert len(f.evidence) >= 2
        for e in f.evidence:
            assert texts[e.doc][e.start:e.end] == e.text
            assert e.line == texts[e.doc].count("\n", 0, e.start) + 1
            if e.mention_start >= 0:
                assert e.start <= e.mention_start < e.mention_end <= e.end


def test_documents_say_where_their_dates_came_from(seeds_report):
    assert {d.published_source for d in seeds_report.documents} == {"manifest"}


def _edited(tmp_path: Path, doc: str, old: str, new: str) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    path = corpus / doc
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return corpus


EDITS = [  # (what, file, old, new, rule that must flag the edited sentence)
    ("month", A, "CIA chief William Burns traveled to China in May", "CIA chief William Burns traveled to China in April", "CC-DATE-001"),
    ("weekday", A, "Austin said Friday he was confident", "Austin said Thursday he was confident", "CC-DATE-001"),
    ("year of an event", E, "Biden and Xi meet in Bali — November 14, 2022", "Biden and Xi meet in Bali — November 14, 2021", "CC-DATE-001"),
    ("year a period starts", E, "took office in January 2021", "took office in January 2020", "CC-PERIOD-001"),
    ("since-year", B, "visit Beijing since 2018", "visit Beijing since 2016", "CC-PERIOD-001"),
    ("person for a post", C, "CIA Director William Burns", "CIA Director John Brennan", "CC-POST-001"),
    ("length of the visit", D, "during his two-day visit to China", "during his three-day visit to China", "CC-DUR-001"),
    ("length of the talks", A, "begin two-day talks", "begin three-day talks", "CC-DUR-001"),
    ("title of a person", D, "US Secretary of State Antony Blinken managed", "US Treasury Secretary Antony Blinken managed", "CC-TITLE-001"),
]


@pytest.mark.parametrize("what,doc,old,new,rule", EDITS, ids=[e[0] for e in EDITS])
def test_edits_are_caught(tmp_path, embedder, what, doc, old, new, rule):
    report = check_folder(str(_edited(tmp_path, doc, old, new)), embedder=embedder)
    hits = [f for f in report.findings if f.rule == rule and f.severity.rank >= 1
            and any(e.doc == doc and new in e.text for e in f.evidence)]
    assert hits, f"{what}: {[(f.rule, f.message) for f in report.findings if f.severity.rank >= 1]}"


PARAPHRASES = [
    ("digits for words", A, "begin two-day talks", "begin 2-day talks"),
    ("a coarser date", E, "took office in January 2021", "took office in 2021"),
    ("a weekday for its date", B, "arrives in Beijing, June 18, 2023.", "arrives in Beijing on Sunday."),
    ("a country for its capital", C, "also traveled to Beijing in May", "also traveled to China in May"),
    ("a number word for digits", A, "three US citizens", "3 US citizens"),
]


@pytest.mark.parametrize("what,doc,old,new", PARAPHRASES, ids=[p[0] for p in PARAPHRASES])
def test_paraphrases_stay_quiet(tmp_path, embedder, seeds_report, what, doc, old, new):
    report = check_folder(str(_edited(tmp_path, doc, old, new)), embedder=embedder)
    loud = [f for f in report.findings if f.severity.rank >= 1 and any(e.doc == doc and new in e.text for e in f.evidence)]
    before = {(f.rule, f.message) for f in seeds_report.findings if f.severity.rank >= 1}
    assert [f for f in loud if (f.rule, f.message) not in before] == []
