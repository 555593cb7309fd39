"""The news fixture suite end to end with the real model (fixtures/news, gold in gold.json): on pages
shaped like real ones (a gallery, a live blog, a list of people charged, a wire rewrite, a page with
no discrepancy at all) every warning is a real discrepancy of the gold, and the discrepancies the
fact layer is built to find are found. `make score` measures the whole suite."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.pipeline import check_folder

SUITE = Path(__file__).resolve().parent.parent / "fixtures" / "news"
GOLD = json.loads((SUITE / "gold.json").read_text(encoding="utf-8"))
# gallery (a), live blog (b), list of people charged (c), wire rewrite (d), nothing to find (j)
CORPORA = ["passau-danube-flood", "decatur-ammonia-leak", "savannah-cargo-thefts", "gdansk-ferry-collision",
           "tartu-footbridge-opening"]


def _covers(finding: dict, item: dict) -> bool:
    texts = [e.text for e in finding.evidence]
    return all(any(item[side]["quote"].rstrip(".") in t for t in texts) for side in ("a", "b"))


@pytest.fixture(scope="module")
def reports(embedder):
    return {slug: check_folder(str(SUITE / slug), embedder=embedder) for slug in CORPORA}


def _gold_of(slug: str, key: str) -> list[dict]:
    files = {p.name for p in (SUITE / slug).glob("*.txt")}
    return [g for g in GOLD[key] if g["a"]["file"] in files and g["b"]["file"] in files]


@pytest.mark.parametrize("slug", CORPORA)
def test_every_warning_is_a_real_discrepancy(reports, slug):
    conflicts = _gold_of(slug, "conflicts")
    for f in reports[slug].findings:
        if f.severity.rank >= 1:
            assert any(_covers(f, g) for g in conflicts), (f.message, [e.text for e in f.evidence])


@pytest.mark.parametrize("slug", CORPORA)
def test_no_agreement_is_flagged(reports, slug):
    for g in _gold_of(slug, "agreements"):
        assert not any(f.severity.rank >= 1 and _covers(f, g) for f in reports[slug].findings), g["id"]


def test_real_discrepancies_are_found(reports):
    found = [g["id"] for slug in CORPORA for g in _gold_of(slug, "conflicts")
             if any(_covers(f, g) for f in reports[slug].findings)]
    warned = [g["id"] for slug in CORPORA for g in _gold_of(slug, "conflicts")
              if any(f.severity.rank >= 1 and _covers(f, g) for f in reports[slug].findings)]
    total = sum(len(_gold_of(slug, "conflicts")) for slug in CORPORA)
    # measured 7 of 13 found on these five corpora, 6 of them at warning (a count told with two verbs
    # is a note since the real-news work); the whole suite's figures are in docs/measurements.md
    assert len(found) >= 7 and len(warned) >= 6 and total == 13, (found, warned, total)
