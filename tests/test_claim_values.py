"""A claim's values said in other words than the sources': one test per normalisation, each on a small
corpus written for the test (not the seeds, not newsdev), with the real model."""
from __future__ import annotations

from datetime import date

import pytest

from checker.claim import check_claim, prepare_corpus
from checker.claim_norm import normalise_claim, predicate_ages, unnamed_ages
from checker.units import Measure, measures_agree
from checker.models import Document


def _doc(name: str, text: str, published: date | None = date(2026, 3, 11)) -> Document:
    return Document(name=name, text=text, published=published, published_source="manifest" if published else "unknown")


CORPUS = [
    _doc("harbour.txt", "Ferry runs aground off Kessel Point\n\n"
         "A ferry ran aground off Kessel Point early on Monday with 36 passengers and four crew members on board.\n\n"
         "The coastguard said the rescue operation lasted 30 minutes and nobody was hurt.\n\n"
         "The ferry was travelling at 80 km/h when it struck the sandbank, the operator said.\n\n"
         "Governor Elena Varga visited the harbour on Tuesday and promised an inquiry.\n\n"
         "The captain, Tomas Brekke, 52, of Harwick, was questioned by police.\n"),
    _doc("coast.txt", "Inquiry promised after ferry grounding\n\n"
         "The ferry, which was carrying 36 passengers, grounded on a sandbank off Kessel Point.\n\n"
         "Governor Elena Varga said the inquiry would report within a fortnight.\n\n"
         "Captain Tomas Brekke, 52, has worked for the operator for a decade.\n", date(2026, 3, 12)),
]


@pytest.fixture(scope="module")
def prepared(embedder):
    return prepare_corpus(CORPUS, embedder)


def _value(result, kind):
    found = [v for v in result.values if v.kind == kind]
    assert found, f"no {kind} value in {[(v.kind, v.text) for v in result.values]}"
    return found[0]


# -- the rewrites themselves (no model) --------------------------------------------------------------
def test_spoken_figures_are_written_as_figures():
    assert normalise_claim("Four dozen guests came.") == "48 guests came."
    assert normalise_claim("They were held on a quarter of a million dollars' bail.") == \
        "They were held on $250,000 bail."
    assert normalise_claim("The talk lasted half an hour.") == "The talk lasted 30 minutes."
    assert normalise_claim("It took an hour and a half.") == "It took 90 minutes."
    assert normalise_claim("Refunds come within a fortnight.") == "Refunds come within two weeks."
    assert normalise_claim("Ann Roe, a 45-year-old from Leeds, was fined.") == "Ann Roe, 45, from Leeds, was fined."
    assert normalise_claim("Ann Roe, aged 45, was fined.") == "Ann Roe, 45, was fined."
    # words that are no figure are left alone
    assert normalise_claim("Dozens of people came.") == "Dozens of people came."


def test_ages_said_as_a_predicate_or_of_someone_unnamed():
    assert [y for _, _, y in predicate_ages("Ann Roe is 29.")] == [29]
    assert [y for _, _, y in predicate_ages("Ann Roe was 34 when she walked free.")] == [34]
    assert predicate_ages("Ann Roe was 34 minutes late.") == []
    assert [y for _, _, y in unnamed_ages("He hit a 19-year-old outside a shop.")] == [19]


def test_units_are_converted_before_comparing():
    assert measures_agree(Measure(17.1, 20.9, "mile"), Measure(30, 30, "kilometer")) is True
    assert measures_agree(Measure(50, 50, "mile/hour"), Measure(80, 80, "kilometer/hour")) is True
    assert measures_agree(Measure(70, 70, "mile/hour"), Measure(80, 80, "kilometer/hour")) is False
    assert measures_agree(Measure(2, 2, "pint"), Measure(0.95, 0.95, "liter")) is True
    assert measures_agree(Measure(2, 2, "pint"), Measure(3, 3, "kilogram")) is None


# -- end to end, with the model ----------------------------------------------------------------------
def test_four_dozen_is_48_and_three_dozen_is_36(prepared):
    assert check_claim("Three dozen passengers were on the ferry when it ran aground.", prepared).verdict == "supported"
    wrong = check_claim("Four dozen passengers were on the ferry when it ran aground.", prepared)
    assert wrong.verdict == "contradicted"
    assert _value(wrong, "number").value == "48"


def test_half_an_hour_is_30_minutes(prepared):
    assert check_claim("The coastguard's rescue took half an hour.", prepared).verdict == "supported"
    assert check_claim("The coastguard's rescue took an hour and a half.", prepared).verdict == "contradicted"


@pytest.mark.parametrize("claim", ["Tomas Brekke, aged 52, was questioned by police.",
                                   "Tomas Brekke, a 52-year-old from Harwick, was questioned by police.",
                                   "The ferry's captain, Tomas Brekke, is 52."])
def test_an_age_said_any_way_is_the_persons(prepared, claim):
    r = check_claim(claim, prepared)
    assert _value(r, "age").verdict == "agrees"
    assert r.verdict == "supported"


def test_another_age_of_the_person_is_contradicted(prepared):
    r = check_claim("Tomas Brekke, the ferry's captain, is 57.", prepared)
    assert r.verdict == "contradicted"
    assert _value(r, "age").verdict == "conflicts"


def test_a_weekday_against_a_date_through_the_sources_date(prepared):
    # harbour.txt, published Wednesday 11 March 2026, says "on Monday": 9 March
    assert check_claim("The ferry ran aground off Kessel Point on March 9.", prepared).verdict == "supported"
    assert check_claim("The ferry ran aground off Kessel Point on March 10.", prepared).verdict == "contradicted"


def test_a_weekday_against_a_date_through_the_claims_date(prepared):
    r = check_claim("The ferry ran aground off Kessel Point on Monday.", prepared, claim_date=date(2026, 3, 11))
    assert _value(r, "date").value.endswith("2026-03-09")
    assert r.verdict == "supported"


def test_a_speed_in_mph_against_km_per_hour(prepared):
    assert check_claim("The ferry was doing about 50 mph when it struck the sandbank.", prepared).verdict == "supported"
    r = check_claim("The ferry was doing 70 mph when it struck the sandbank.", prepared)
    assert r.verdict == "contradicted"
    assert any("mile/hour" in c.explanation for c in _value(r, "number").comparisons)


def test_a_title_is_compared_with_the_persons_title(prepared):
    assert check_claim("Governor Elena Varga promised an inquiry into the grounding.", prepared).verdict == "supported"
    r = check_claim("Mayor Elena Varga promised an inquiry into the grounding.", prepared)
    assert r.verdict == "contradicted"
    assert _value(r, "title").verdict == "conflicts"


def test_a_misspelt_name_is_contradicted(prepared):
    r = check_claim("Tomas Brekka, the captain, was questioned by police.", prepared)
    assert r.verdict == "contradicted"
    assert _value(r, "person").verdict == "conflicts"


def test_a_month_is_never_a_place(prepared):
    r = check_claim("Governor Elena Varga visited the harbour in March.", prepared)
    assert not [v for v in r.values if v.kind == "place" and v.text == "March"]


def test_sources_that_speak_of_it_without_its_value_say_so(prepared):
    r = check_claim("Nobody was hurt when the ferry ran aground, the coastguard said, after 11 tugboats helped.",
                    prepared)
    assert r.verdict == "not found"
    assert r.sources and "none states" in r.note


def test_exit_status_and_json_follow_the_verdict(embedder, tmp_path, capsys):
    import json

    from checker.cli import main

    for d in CORPUS:
        (tmp_path / d.name).write_text(d.text, encoding="utf-8")
    (tmp_path / "MANIFEST.json").write_text(json.dumps(
        {"documents": [{"file": d.name, "published": d.published.isoformat()} for d in CORPUS]}), encoding="utf-8")
    code = main(["claim", "Four dozen passengers were on the ferry when it ran aground.", "--against",
                 str(tmp_path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (code, data["verdict"], data["exit_status"]) == (1, "contradicted", 1)
    code = main(["claim", "Three dozen passengers were on the ferry when it ran aground.", "--against",
                 str(tmp_path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert (code, data["verdict"], data["exit_status"]) == (0, "supported", 0)


def test_a_hearing_to_come_is_not_the_hearing_that_was(embedder):
    # the claim dates the next hearing; the source dates only the last one
    corpus = [
        _doc("court.txt", "Four men charged over warehouse fire\n\n"
             "All four appeared at Dunmore Magistrates' Court on Thursday.\n\n"
             "They were remanded in custody.\n"),
    ]
    result = check_claim("All four are due back at Dunmore Crown Court on April 2.", prepare_corpus(corpus, embedder))
    assert result.verdict != "contradicted", [(v.kind, v.text, v.verdict) for v in result.values]


def test_a_date_told_with_another_verb_is_the_claims_when_the_sentence_gives_its_figure(embedder):
    corpus = [
        _doc("flood.txt", "Flood shelter opens in Dunmore\n\n"
             "County officials said about 200 people stayed at the shelter in Dunmore on Tuesday night.\n\n"
             "The river is expected to crest on Thursday.\n"),
    ]
    prepared = prepare_corpus(corpus, embedder)
    assert check_claim("Roughly two hundred evacuees spent Tuesday night at the shelter in Dunmore.",
                       prepared).verdict == "supported"
    assert check_claim("Roughly two hundred evacuees spent Wednesday night at the shelter in Dunmore.",
                       prepared).verdict == "contradicted"
