"""Single claims against the seed corpus with the real model: verdicts, the sentences cited, the
arithmetic, and the similarity threshold that separates "not found" from the rest."""
from __future__ import annotations

import json

import numpy as np
import pytest

from checker.claim import FOUND_SIMILARITY, check_claim, claim_document
from checker.report.claim_format import claim_dict, render_text
from tests.conftest import SEEDS
from tests.seeds_prepared import seeds_prepared
from tests.schemas import validate


@pytest.fixture(scope="module")
def prepared(embedder):
    return seeds_prepared(embedder)


def _value(result, kind):
    found = [v for v in result.values if v.kind == kind]
    assert found, f"no {kind} value in {[(v.kind, v.text) for v in result.values]}"
    return found[0]


def test_since_2017_is_contradicted_by_the_sources_that_say_2018(prepared):
    r = check_claim("Blinken is the first secretary of state to visit China since 2017", prepared)
    assert r.verdict == "contradicted"
    period = _value(r, "period")
    assert period.verdict == "conflicts"
    conflicts = [c for c in period.comparisons if c.relation == "conflicts"]
    assert conflicts and all(c.rule == "CC-PERIOD-001" for c in conflicts)
    assert any("since 2018" in c.text for c in conflicts)
    assert all("2018" in c.explanation and "2017" in c.explanation for c in conflicts)
    assert r.sources[0].similarity >= FOUND_SIMILARITY
    assert "since 2018" in r.sources[0].text


def test_arrival_on_sunday_is_supported_and_on_monday_contradicted(prepared):
    sunday = check_claim("Blinken arrived in Beijing on Sunday", prepared)
    assert sunday.verdict == "supported"
    assert _value(sunday, "date").verdict == "agrees"
    monday = check_claim("Blinken arrived in Beijing on Monday", prepared)
    assert monday.verdict == "contradicted"
    date = _value(monday, "date")
    assert date.verdict == "conflicts"
    assert any(c.rule == "CC-DATE-001" and "Sunday" in c.explanation and "Monday" in c.explanation
               for c in date.comparisons)


def test_without_a_date_a_weekday_is_never_resolved_against_today(prepared):
    doc = claim_document("Blinken arrived in Beijing on Sunday")
    assert doc.published is None
    r = check_claim("Blinken arrived in Beijing on Sunday", prepared)
    assert r.date is None and _value(r, "date").value == "Sunday"
    dated = check_claim("Blinken arrived in Beijing on Sunday", prepared,
                        claim_date=__import__("datetime").date(2023, 6, 19))
    assert _value(dated, "date").value == "Sunday 2023-06-18"
    assert dated.verdict == "supported"


def test_sources_disagreeing_with_each_other_make_a_mixed_verdict(prepared):
    r = check_claim("Blinken spoke by phone with Qin Gang on Tuesday night", prepared)
    assert r.verdict == "mixed"
    relations = {c.relation for c in _value(r, "date").comparisons}
    assert {"agrees", "conflicts"} <= relations


def test_a_changed_duration_conflicts_with_the_rule_and_its_arithmetic(prepared):
    r = check_claim("Blinken held three days of talks in Beijing", prepared)
    assert r.verdict == "contradicted"
    d = _value(r, "duration")
    assert any(c.rule == "CC-DUR-001" and "2 days" in c.explanation for c in d.comparisons)


def test_a_claim_the_seeds_never_mention_is_not_found(prepared):
    r = check_claim("The Eiffel Tower was repainted in 2019 for 60 million euros", prepared)
    assert r.verdict == "not found"
    assert all(v.verdict == "not stated" for v in r.values)
    assert "no source sentence speaks of this" in render_text(r)


RELATED = ["Blinken is the first secretary of state to visit China since 2017",
           "Blinken arrived in Beijing on Sunday", "Blinken spoke by phone with Qin Gang on Tuesday night",
           "Xi Jinping met Blinken for half an hour", "Blinken held two-day talks in Beijing",
           "A Chinese spy balloon flew over US airspace in February",
           "CIA Director William Burns traveled to China in May", "Jake Sullivan met Wang Yi in Vienna in May",
           "Biden and Xi met in Bali in November 2022", "Mike Pompeo visited China in 2018",
           "Wendy Sherman visited China in 2021"]
UNRELATED = ["The Eiffel Tower was repainted in 2019 for 60 million euros",
             "The Federal Reserve raised interest rates by 0.25 percentage points",
             "Messi scored twice in the World Cup final", "A magnitude 6 earthquake struck central Italy on Tuesday",
             "Apple sold 80 million iPhones last quarter", "Heavy rain flooded parts of Mumbai",
             "Putin met Kim Jong Un in Vladivostok", "The German chancellor visited Beijing in November",
             "Australia's foreign minister visited China in December"]


def test_the_found_threshold_separates_seed_claims_from_other_topics(prepared):
    """The measurement behind FOUND_SIMILARITY: the best cosine of each claim with any seed sentence."""
    def best(texts):
        return (prepared.embedder.encode(texts) @ prepared.vectors.T).max(axis=1)

    related, unrelated = best(RELATED), best(UNRELATED)
    assert related.min() >= FOUND_SIMILARITY > unrelated.max(), (np.round(related, 2), np.round(unrelated, 2))


def test_json_output_and_the_cli(embedder, capsys):
    from checker.cli import main

    code = main(["claim", "Blinken arrived in Beijing on Sunday", "--against", str(SEEDS), "--format", "json",
                 "--top", "3"])
    assert code == 0
    data = validate(json.loads(capsys.readouterr().out), "claim")
    assert data["schema"] == "claim/1.0" and data["verdict"] == "supported" and data["date"] is None
    assert len(data["sources"]) == 3
    assert all(set(s) >= {"doc", "line", "text", "similarity"} for s in data["sources"])
    assert {v["kind"] for v in data["values"]} >= {"date", "place"}
    assert main(["claim", "x", "--against", str(SEEDS), "--date", "June 2023"]) == 2


def test_claim_dict_is_json_serialisable(prepared):
    r = check_claim("Blinken is the first secretary of state to visit China since 2017", prepared)
    validate(json.loads(json.dumps(claim_dict(r))), "claim")


def test_usage_errors_are_one_line_and_exit_2(capsys, tmp_path):
    from checker.cli import main

    assert main(["claim", "  ", "--against", str(SEEDS)]) == 2
    assert main(["claim", "x", "--against", str(SEEDS), "--top", "0"]) == 2
    assert main(["claim", "x", "--against", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("claimcheck: error [") for line in err)
    assert "the claim is empty" in err[0] and "no such folder" in err[2]


def test_ages_are_compared_by_person_and_a_figure_is_judged_once(prepared):
    right = check_claim("David Lin, 67, is imprisoned in China", prepared)
    wrong = check_claim("David Lin, 65, is imprisoned in China", prepared)
    assert (right.verdict, _value(right, "age").verdict) == ("supported", "agrees")
    assert (wrong.verdict, _value(wrong, "age").verdict) == ("contradicted", "conflicts")
    assert not [v for v in wrong.values if v.kind == "number"]  # "65" is the age, not also a number


def test_a_finding_is_set_against_the_value_its_rule_compares(prepared):
    r = check_claim("Wendy Sherman is the top US official to visit China since Biden became president", prepared)
    sup = _value(r, "superlative")
    assert sup.verdict == "conflicts" and all(c.rule == "CC-SUPER-001" for c in sup.comparisons)
    assert all(v.verdict != "conflicts" for v in r.values if v.kind == "place")  # "US" inside the superlative
    # the source that says the same of Sherman sides with the claim: the sources disagree
    assert any(c.relation == "agrees" for c in sup.comparisons) and r.verdict == "mixed"


def _seed_claims(truth):
    import yaml

    path = SEEDS.parent / "fixtures" / "claims" / "seeds_claims.yml"
    return [c["claim"] for c in yaml.safe_load(path.read_text(encoding="utf-8")) if c["truth"] is truth]


def test_no_claim_with_one_value_changed_is_supported(prepared):
    """fixtures/claims/seeds_claims.yml: seed sentences with one value changed (a month, a weekday, a
    count, a length, a city, a title, an age, a year). A name or a country in common supports nothing."""
    false = _seed_claims(False)
    assert len(false) >= 16
    supported = [c for c in false if check_claim(c, prepared).verdict == "supported"]
    assert not supported
