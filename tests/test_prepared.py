"""The corpus side prepared once and new documents run against it give the very report of one run
over everything: draft, claim and shell rely on it."""
from __future__ import annotations

from checker.ingest import documents_from_records
from checker.pipeline import prepare, run, run_prepared
from tests.stand_in import HashingEmbedder

RECORDS = [
    {"name": "a.txt", "published": "2023-06-18",
     "text": "Blinken began two-day talks in Beijing on Sunday.\nFormer Foreign Minister Qin Gang met him."},
    {"name": "b.txt", "published": "2023-06-18",
     "text": "Blinken began three days of talks in Beijing on Sunday.\nThe talks lasted more than five hours."},
    {"name": "c.txt", "published": "2023-06-20",
     "text": "Blinken began two-day talks in Beijing on Saturday.\nThe talks lasted more than five hours."},
]


def _key(report):
    return sorted((f.id, f.rule, f.severity.value) for f in report.findings)


def test_prepared_plus_new_documents_is_one_run_over_all():
    embedder = HashingEmbedder()
    docs = documents_from_records(RECORDS)
    whole = run(docs, embedder=embedder)
    assert whole.findings
    split = run_prepared(prepare(docs[:2], embedder), docs[2:])
    assert _key(split.report) == _key(whole)
    assert [d.name for d in split.report.documents] == [d.name for d in docs]
    assert split.report.stats["pairs"] == whole.stats["pairs"]


def test_only_the_new_documents_are_embedded_and_a_name_may_not_repeat():
    import pytest

    embedder = HashingEmbedder()
    docs = documents_from_records(RECORDS)
    prepared = prepare(docs[:2], embedder)
    before = embedder.encoded
    run_prepared(prepared, docs[2:])
    assert embedder.encoded - before == 2  # c.txt's two sentences
    with pytest.raises(ValueError):
        run_prepared(prepared, docs[:1])
