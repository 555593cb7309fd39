"""Segment and extract in two processes give the same findings as in one."""
from __future__ import annotations

from checker.ingest import read_corpus
from checker.pipeline import run
from tests.conftest import SEEDS


def test_two_workers_give_the_same_findings(embedder, seeds_report):
    report = run(read_corpus(str(SEEDS)), embedder=embedder, workers=2)
    assert [(f.id, f.severity, f.explanation) for f in report.findings] == \
        [(f.id, f.severity, f.explanation) for f in seeds_report.findings]
    assert [d.name for d in report.documents] == [d.name for d in seeds_report.documents]
