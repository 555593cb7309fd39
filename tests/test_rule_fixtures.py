"""Every rule's fixture cases (fixtures/rules/<CODE>.yml) and docstring examples, as tests.

Fixtures run through the whole pipeline with a deterministic stand-in embedder (tests/stand_in.py):
the rules, extraction and alignment are real. A case expecting a conflict must yield a finding of
its rule at warning or above with evidence in both documents; a case expecting agreement must not.
"""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml

from checker.ingest import documents_from_records
from checker.pipeline import run
from checker.rules import ALL_RULES
from tests.stand_in import HashingEmbedder

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
_EMBEDDER = HashingEmbedder()


def load_cases():
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}: {case['name']}")


def flagged(rule: str, records: list[dict]) -> list:
    docs = documents_from_records([{**r, "published": str(r["published"]) if r.get("published") else None}
                                   for r in records])
    report = run(docs, embedder=_EMBEDDER)
    names = {d.name for d in docs}
    return [f for f in report.findings if f.rule == rule and f.severity.rank >= 1
            and {e.doc for e in f.evidence} >= names]


@pytest.mark.parametrize("rule,case", list(load_cases()))
def test_fixture_case(rule: str, case: dict) -> None:
    hits = flagged(rule, case["documents"])
    if case["expect"] == "conflict":
        assert hits, f"{rule} missed: {case['name']}"
    else:
        assert not hits, f"{rule} flagged an agreement: {[h.explanation for h in hits]}"


def test_every_rule_has_conflict_and_agreement_fixtures() -> None:
    for rule in ALL_RULES:
        path = FIXTURES / f"{rule.code}.yml"
        assert path.exists(), f"no fixture file for {rule.code}"
        kinds = {c["expect"] for c in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]}
        assert kinds == {"conflict", "agree"}, f"{rule.code} fixtures lack {({'conflict', 'agree'} - kinds)}"


def test_codes_and_names_are_unique_and_stable() -> None:
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert all(re.fullmatch(r"CC-[A-Z]+-\d{3}", c) for c in codes)


_EXAMPLE = re.compile(r'\*\*(Conflict|Agreement)\*\*:\s*(.+?)(?=\n\s*\n|\Z)', re.S)
_QUOTED = re.compile(r'"((?:[^"]|"(?=\w))+?)"(?:\s*\(published (\d{4}-\d{2}-\d{2})\))?')


def docstring_examples():
    for rule in ALL_RULES:
        doc = inspect.getdoc(rule) or ""
        found = _EXAMPLE.findall(doc)
        assert [k for k, _ in found] == ["Conflict", "Agreement"], f"{rule.code}: docstring needs Conflict then Agreement"
        for kind, body in found:
            quotes = _QUOTED.findall(" ".join(body.split()))
            yield pytest.param(rule.code, kind, quotes, id=f"{rule.code} {kind}")


@pytest.mark.parametrize("rule,kind,quotes", list(docstring_examples()))
def test_docstring_example(rule: str, kind: str, quotes: list) -> None:
    assert len(quotes) >= 2, "an example quotes two statements"
    records = [{"name": f"{chr(97 + i)}.txt", "text": text, "published": pub or None}
               for i, (text, pub) in enumerate(quotes[:2])]
    hits = flagged(rule, records)
    assert bool(hits) == (kind == "Conflict"), f"{rule} {kind} example: {[h.explanation for h in hits]}"
