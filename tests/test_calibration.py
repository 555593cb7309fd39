"""Severities and calibrated confidences: the shipped model is what `make calibrate` fits on its
committed feature table; confidences are probabilities; a certain link makes an error, a doubtful one
a warning; on the news fixtures a real conflict ranks above a false alarm."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from checker.facts.link import Link, LinkFeatures
from checker.models import Mention, Severity
from checker.pipeline import check_folder
from checker.rules.base import assess, certain
from checker.rules.calibration import FEATURES, model, probability

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "fixtures" / "news"
GOLD = json.loads((SUITE / "gold.json").read_text(encoding="utf-8"))


def _calibrate_script():
    spec = importlib.util.spec_from_file_location("calibrate", ROOT / "bench" / "calibrate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _link(how: str = "anchor", confidence: float = 0.8, **features) -> Link:
    m = Mention(kind="number", doc="a.txt", sentence=0, start=0, end=2, text="40", value=None)
    return Link(m, m, confidence, how, LinkFeatures(**features))


def test_the_shipped_model_is_the_fit_of_the_committed_table() -> None:
    calibrate = _calibrate_script()
    rows = calibrate.read_table(ROOT / "bench" / "calibration_features.csv")
    fitted = calibrate.fit_table(rows)
    shipped = json.loads((ROOT / "checker" / "rules" / "calibration.json").read_text(encoding="utf-8"))
    assert fitted["features"] == shipped["features"] == list(FEATURES)
    assert fitted["intercept"] == shipped["intercept"]
    assert fitted["coefficients"] == shipped["coefficients"]
    assert model() == (shipped["intercept"], tuple(shipped["coefficients"]))


@pytest.mark.parametrize("how", ["copy", "anchor", "person", "scope"])
@pytest.mark.parametrize("verdict", ["conflict", "approximate", "update", "note"])
def test_confidences_are_probabilities(how: str, verdict: str) -> None:
    for features in ({}, {"similarity": 1.0, "shared_nouns": 9, "same_verb": True, "owner_shared": True},
                     {"similarity": -0.2, "hedged": True, "reported": True}):
        p = probability(verdict, _link(how, **features))
        assert 0.0 <= p <= 1.0


def _dated(how: str = "anchor", **features) -> Link:
    m = Mention(kind="date", doc="a.txt", sentence=0, start=0, end=6, text="Monday", value=None)
    return Link(m, m, 0.8, how, LinkFeatures(**features))


def test_a_certain_link_is_an_error_a_link_that_holds_a_warning_and_a_weaker_one_a_note() -> None:
    sure = {"similarity": 0.9, "shared_nouns": 3, "same_verb": True, "owner_shared": True}
    assert certain(_link("copy")) and certain(_link("anchor", **sure))
    assert assess("conflict", _link("anchor", **sure))[0] == Severity.ERROR
    # a saying's date, linked to the same speaker's remarks: a warning, never an error
    assert assess("conflict", _dated("copy", reported=True))[0] == Severity.WARNING
    # a count stated with doubt ("about 40") against a close figure, one of a list of figures in a
    # sentence, one told of a pronoun in a template: notes
    for doubt in ({"hedged": True}, {"crowded": True}, {"unnamed": True, "owner_shared": False}):
        assert assess("conflict", _link("anchor", **{**sure, **doubt}))[0] == Severity.INFO, doubt
    # a count linked by a paraphrase with another verb, or by each report's only count of a noun: notes
    assert assess("conflict", _link("anchor", similarity=0.85, shared_nouns=1))[0] == Severity.INFO
    assert assess("conflict", _link("sole", **sure))[0] == Severity.INFO
    # a date linked by what it is said of, in sentences not far apart: a warning; further apart, a note
    assert assess("conflict", _dated("anchor", similarity=0.5, shared_nouns=1))[0] == Severity.WARNING
    assert assess("conflict", _dated("anchor", similarity=0.3, shared_nouns=1))[0] == Severity.INFO
    # a person's age, one post: judged by their rules, warnings
    assert assess("conflict", _link("person", **sure))[0] == Severity.WARNING
    # approximate, update and notes are information, however sure the link
    for verdict in ("approximate", "update", "note"):
        assert assess(verdict, _link("copy"))[0] == Severity.INFO
    # a severity set in the configuration is the reader's word for the rule's conflicts
    assert assess("conflict", _link("person"), Severity.ERROR)[0] == Severity.ERROR


def test_seed_findings_carry_probabilities_and_meaningful_severities(seeds_report) -> None:
    assert seeds_report.findings
    for f in seeds_report.findings:
        assert 0.0 <= f.confidence <= 1.0
        assert f.severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    assert any(f.severity.rank >= Severity.WARNING.rank for f in seeds_report.findings)


def _covers(finding, item: dict) -> bool:
    texts = [e.text for e in finding.evidence]
    return all(any(item[side]["quote"].rstrip(".") in t for t in texts) for side in ("a", "b"))


# the hand-set confidences could not tell these apart: the rounding note on the footbridge's period
# (not a conflict) and the real count of cancelled flights were both 0.60
RANKED = ["tartu-footbridge-opening", "oslo-snowstorm-airport"]


def test_a_real_conflict_ranks_above_a_false_alarm(embedder) -> None:
    real, false = [], []
    for slug in RANKED:
        for f in check_folder(str(SUITE / slug), embedder=embedder).findings:
            (real if any(_covers(f, g) for g in GOLD["conflicts"]) else false).append(f.confidence)
    assert real and false
    assert min(real) > max(false), (real, false)
