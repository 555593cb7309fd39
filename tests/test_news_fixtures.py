"""The news fixtures (fixtures/news) and their scorer (bench/score_news.py), without the model.

Every corpus must read with claimcheck's own reader (manifest dates included), every gold quote must
occur exactly once in a file of the suite, and every shape listed in the README must be carried by
some page. The scorer's matching is tested on hand-made reports.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from checker.ingest import read_corpus

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "fixtures" / "news"
GOLD = json.loads((SUITE / "gold.json").read_text(encoding="utf-8"))
CORPORA = sorted(p for p in SUITE.iterdir() if p.is_dir())
ITEMS = GOLD["conflicts"] + GOLD["agreements"]


def _load_scorer():
    spec = importlib.util.spec_from_file_location("score_news", ROOT / "bench" / "score_news.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


score_news = _load_scorer()


def _texts() -> dict[str, str]:
    return score_news.read_texts(CORPORA)


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_corpus_reads_with_manifest_dates(corpus: Path) -> None:
    docs = read_corpus(corpus)
    manifest = json.loads((corpus / "MANIFEST.json").read_text(encoding="utf-8"))
    assert 2 <= len(docs) <= 5
    assert {d.name for d in docs} == {e["file"] for e in manifest["documents"]}
    for doc in docs:
        assert not doc.error, doc.error
        assert doc.published is not None and doc.published_source == "manifest", doc.name
        assert 150 <= len(doc.text.split()) <= 600, (doc.name, len(doc.text.split()))
    # publication dates (or times) differ within a corpus
    stamps = [e["published"] for e in manifest["documents"]]
    assert len(set(stamps)) == len(stamps)


def test_enough_corpora() -> None:
    assert len(CORPORA) >= 12


def test_base_names_unique_and_numbered_by_corpus() -> None:
    names = [f.name for c in CORPORA for f in c.glob("*.txt")]
    assert len(names) == len(set(names))
    for corpus in CORPORA:
        tens = {int(re.match(r"(\d+)_", f.name).group(1)) // 10 for f in corpus.glob("*.txt")}
        assert len(tens) == 1, corpus.name  # one corpus number per folder
    numbers = [int(re.match(r"(\d+)_", f.name).group(1)) // 10 for c in CORPORA for f in c.glob("*.txt")]
    assert len(set(numbers)) == len(CORPORA)


def test_gold_ids_unique() -> None:
    ids = [it["id"] for it in ITEMS]
    assert len(ids) == len(set(ids))


def test_gold_files_exist_and_quotes_unique() -> None:
    texts = _texts()
    for it in ITEMS:
        for side in ("a", "b"):
            q = it[side]
            assert q["file"] in texts, (it["id"], q["file"])
            assert texts[q["file"]].count(q["quote"]) == 1, (it["id"], side, q["quote"])
        assert it["why"] and it["kind"]


def test_gold_pairs_stay_inside_one_corpus() -> None:
    where = {f.name: c.name for c in CORPORA for f in c.glob("*.txt")}
    for it in ITEMS:
        assert where[it["a"]["file"]] == where[it["b"]["file"]], it["id"]


def test_gold_size() -> None:
    assert len(GOLD["conflicts"]) >= 36
    assert len(GOLD["agreements"]) >= 55


def test_readme_shapes_all_covered() -> None:
    readme = (SUITE / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Shapes", 1)[1].split("\n## ", 1)[0]
    shapes = re.findall(r"^([a-j])\. .*?: (.+)$", section, flags=re.M)
    assert {letter for letter, _ in shapes} == set("abcdefghij")
    slugs = {c.name for c in CORPORA}
    for letter, carriers in shapes:
        named = set(re.findall(r"`([a-z0-9-]+)`", carriers))
        assert named, letter
        assert named <= slugs, (letter, named - slugs)


def test_readme_lists_every_corpus() -> None:
    readme = (SUITE / "README.md").read_text(encoding="utf-8")
    for corpus in CORPORA:
        assert f"`{corpus.name}`" in readme


def test_one_corpus_without_conflicts() -> None:
    where = {f.name: c.name for c in CORPORA for f in c.glob("*.txt")}
    with_conflicts = {where[it["a"]["file"]] for it in GOLD["conflicts"]}
    assert {c.name for c in CORPORA} - with_conflicts


# ---- the scorer's matching, on hand-made reports ----

TEXTS = {
    "01_x.txt": "Headline\n\nThe crash happened at 5:45 a.m. near Vienne. Ann Roe, 34, and Bo Chen, 52, were hurt.\n",
    "02_y.txt": "Other outlet\n\nThe coach left the road at about 6:25 a.m., police said.\n",
}
MINI_GOLD = {
    "conflicts": [
        {"id": "C1", "kind": "clock time", "a": {"file": "01_x.txt", "quote": "The crash happened at 5:45 a.m."},
         "b": {"file": "02_y.txt", "quote": "left the road at about 6:25 a.m."}, "why": "-"},
    ],
    "agreements": [
        {"id": "A1", "kind": "two people", "a": {"file": "01_x.txt", "quote": "Ann Roe, 34,"},
         "b": {"file": "01_x.txt", "quote": "Bo Chen, 52,"}, "why": "-"},
    ],
}


def _span(name: str, sentence: str) -> dict:
    start = TEXTS[name].index(sentence)
    return {"doc": f"corpus/{name}", "start": start, "end": start + len(sentence)}


S1 = "The crash happened at 5:45 a.m. near Vienne."
S2 = "The coach left the road at about 6:25 a.m., police said."
S3 = "Ann Roe, 34, and Bo Chen, 52, were hurt."


def test_finding_covering_both_quotes_counts() -> None:
    report = [{"severity": "warning", "evidence": [_span("01_x.txt", S1), _span("02_y.txt", S2)]}]
    res = score_news.score(report, MINI_GOLD, TEXTS)
    assert res["conflicts"][0]["found"] and res["conflicts"][0]["severity"] == 1
    assert res["figures"]["conflicts_found_warn"] == 1
    assert res["figures"]["unmatched_warnings"] == 0
    assert res["figures"]["precision"] == 1.0 and res["figures"]["recall"] == 1.0


def test_sentence_without_full_stop_still_contains_quote() -> None:
    start = TEXTS["01_x.txt"].index(S1)
    item = {"doc": "01_x.txt", "start": start, "end": start + len(S1) - 1}  # no final "."
    report = [{"severity": "error", "evidence": [item, _span("02_y.txt", S2)]}]
    assert score_news.score(report, MINI_GOLD, TEXTS)["conflicts"][0]["found"]


def test_finding_covering_one_quote_does_not_count() -> None:
    report = [{"severity": "warning", "evidence": [_span("01_x.txt", S1), _span("02_y.txt", "Other outlet")]}]
    res = score_news.score(report, MINI_GOLD, TEXTS)
    assert not res["conflicts"][0]["found"]
    assert res["figures"]["unmatched_warnings"] == 1
    assert res["figures"]["precision"] == 0.0 and res["figures"]["recall"] == 0.0


def test_one_item_covering_both_quotes_of_different_files_does_not_count() -> None:
    report = [{"severity": "warning", "evidence": [_span("01_x.txt", S1)]}]
    assert not score_news.score(report, MINI_GOLD, TEXTS)["conflicts"][0]["found"]


def test_partial_span_does_not_contain_quote() -> None:
    start = TEXTS["01_x.txt"].index(S1)
    item = {"doc": "01_x.txt", "start": start + 4, "end": start + len(S1)}
    report = [{"severity": "warning", "evidence": [item, _span("02_y.txt", S2)]}]
    assert not score_news.score(report, MINI_GOLD, TEXTS)["conflicts"][0]["found"]


def test_info_finding_does_not_flag_agreement() -> None:
    both = _span("01_x.txt", S3)
    report = [{"severity": "info", "evidence": [both]}]
    res = score_news.score(report, MINI_GOLD, TEXTS)
    assert not res["agreements"][0]["flagged"]
    assert res["figures"]["warnings"] == 0
    report[0]["severity"] = "warning"  # one item may cover both quotes of one sentence
    res = score_news.score(report, MINI_GOLD, TEXTS)
    assert res["agreements"][0]["flagged"]
    assert res["figures"]["unmatched_warnings"] == 0  # it matched a gold item, if a wrong one
    assert res["figures"]["precision"] == 0.0


def test_info_finding_still_finds_a_conflict_below_warning() -> None:
    report = [{"severity": "info", "evidence": [_span("02_y.txt", S2), _span("01_x.txt", S1)]}]
    res = score_news.score(report, MINI_GOLD, TEXTS)
    assert res["figures"]["conflicts_found"] == 1 and res["figures"]["conflicts_found_warn"] == 0


def test_overlong_span_covers_nothing() -> None:
    report = [{"severity": "warning", "evidence": [{"doc": "01_x.txt", "start": 0, "end": 5000},
                                                   _span("02_y.txt", S2)]}]
    assert not score_news.score(report, MINI_GOLD, TEXTS)["conflicts"][0]["found"]


def test_missing_quote_is_a_gold_error() -> None:
    bad = {"conflicts": [{"id": "X", "kind": "-", "a": {"file": "01_x.txt", "quote": "not there"},
                          "b": {"file": "02_y.txt", "quote": "police said"}, "why": "-"}], "agreements": []}
    with pytest.raises(score_news.GoldError):
        score_news.score([], bad, TEXTS)


def test_summary_line_format() -> None:
    res = score_news.score([], MINI_GOLD, TEXTS)
    assert score_news.summary_line(2, res["figures"], []) == (
        "news 2 corpora: conflicts found 0/1 (at warning+ 0), agreements flagged 0/1, unmatched warnings 0 of 0")


def test_scorer_end_to_end_with_a_stand_in_checker(tmp_path: Path) -> None:
    """The scorer runs a command per corpus and reads its report (a stand-in, not claimcheck)."""
    corpus = CORPORA[0]
    fake = tmp_path / "fake.py"
    fake.write_text(
        "import json, sys\n"
        "out = sys.argv[sys.argv.index('--output') + 1]\n"
        "json.dump({'findings': [{'severity': 'warning', 'evidence': []}]}, open(out, 'w'))\n"
        "sys.exit(1)\n", encoding="utf-8")
    import sys
    rc = score_news.main(["--checker", f"{sys.executable} {fake}", "--suite", str(SUITE), "--keep",
                          str(tmp_path / "reports"), corpus.name])
    assert rc == 0
    assert (tmp_path / "reports" / f"{corpus.name}.json").exists()


# ---- fixtures/claims/seeds_claims.yml ----

def test_seed_claims_file() -> None:
    import yaml

    claims = yaml.safe_load((ROOT / "fixtures" / "claims" / "seeds_claims.yml").read_text(encoding="utf-8"))
    assert len(claims) >= 36
    truths = [c["truth"] for c in claims]
    assert truths.count(True) >= 12 and truths.count(False) >= 16 and truths.count("unrelated") >= 8
    assert len({c["claim"] for c in claims}) == len(claims)
    for c in claims:
        assert set(c) == {"claim", "truth", "changed", "source"}, c
        if c["truth"] is False:
            assert c["changed"], c["claim"]
        if c["truth"] in (True, False):
            path, line = c["source"].rsplit(":", 1)
            lines = (ROOT / path).read_text(encoding="utf-8").split("\n")
            assert 1 <= int(line) <= len(lines) and lines[int(line) - 1].strip(), c["source"]
