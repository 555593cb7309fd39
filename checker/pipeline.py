"""Runs the stages in order: ingest → segment → extract → align → compare → (report).

Each stage is a function over a batch of documents with no global state, so that a batch engine can
map them later. The embedder is passed in, so that tests and the batch command load the model once.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from checker.align import align_sentences
from checker.align.embed import Embedder, load_embedder
from checker.extract import extract_documents, resolve_people
from checker.models import Document, Fact, Finding, Mention, Report, Sentence, Severity
from checker.rules import ALL_RULES, CompareContext, Rule
from checker.segment import segment_document

Progress = Callable[[str, int, int], None]


@dataclass
class Options:
    """Pipeline settings; the config file and the command line fill them in."""

    rules: tuple[type[Rule], ...] = ALL_RULES
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()


def finding_fingerprint(f: Finding) -> str:
    """Stable across unrelated edits: the rule, and the values and sentences involved."""
    parts = sorted(f"{e.doc}\x1f{e.text}\x1f{e.value}" for e in f.evidence)
    return hashlib.sha1("\x1e".join([f.rule] + parts).encode("utf-8")).hexdigest()[:12]


def segment_documents(docs: Sequence[Document]) -> dict[str, list[Sentence]]:
    return {d.name: ([] if d.error else segment_document(d)) for d in docs}


def embed_sentences(sentences: list[Sentence], embedder: Embedder) -> np.ndarray:
    return embedder.encode([s.text for s in sentences])


def compare(ctx: CompareContext, options: Options) -> list[Finding]:
    findings: list[Finding] = []
    for rule_cls in options.rules:
        if rule_cls.code in options.disabled or rule_cls.name in options.disabled:
            continue
        rule = rule_cls()
        override = options.severity_overrides.get(rule.code) or options.severity_overrides.get(rule.name)
        if override:
            rule.severity = override
        findings.extend(rule.check(ctx))
    return merge_findings(findings)


def merge_findings(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and set of evidence sentences; ids from fingerprints; stable order."""
    seen: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.rule, tuple(sorted((e.doc, e.start, e.value) for e in f.evidence)))
        if key not in seen or f.severity.rank > seen[key].severity.rank:
            seen[key] = f
    out = [f.with_id(finding_fingerprint(f)) for f in seen.values()]
    out.sort(key=lambda f: (-f.severity.rank, f.rule, f.evidence[0].doc, f.evidence[0].start, f.id))
    return out


def facts_from(findings: list[Finding]) -> list[Fact]:
    facts = []
    for f in findings:
        facts.append(Fact(measure=f.fact or f.name, kind=f.rule, claims=f.evidence, agree=False))
    return facts


def run(docs: Sequence[Document], embedder: Embedder | None = None, options: Options | None = None,
        progress: Progress | None = None) -> Report:
    """The whole pipeline on documents already read."""
    options = options or Options()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    sentences = segment_documents(docs)
    timings["segment"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    mentions_by_doc = extract_documents(docs, sentences)
    mentions_by_doc, _registry = resolve_people(mentions_by_doc)
    timings["extract"] = time.perf_counter() - t0
    flat = [s for d in docs for s in sentences.get(d.name, [])]
    t0 = time.perf_counter()
    embedder = embedder or load_embedder()
    vectors = embed_sentences(flat, embedder)
    timings["embed"] = time.perf_counter() - t0
    by_sentence: dict[tuple[str, int], list[Mention]] = {}
    for ms in mentions_by_doc.values():
        for m in ms:
            by_sentence.setdefault((m.doc, m.sentence), []).append(m)
    t0 = time.perf_counter()
    pairs = align_sentences(flat, vectors, by_sentence)
    timings["align"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ctx = CompareContext(documents={d.name: d for d in docs},
                         sentences={(s.doc, s.index): s for s in flat}, mentions=by_sentence, pairs=pairs)
    findings = compare(ctx, options)
    timings["compare"] = time.perf_counter() - t0
    stats = {"sentences": len(flat), "pairs": len(pairs), "timings": timings,
             "mentions": sum(len(v) for v in by_sentence.values())}
    return Report(documents=tuple(docs), facts=tuple(facts_from(findings)), findings=tuple(findings),
                  stats=stats)


def check_folder(folder: str, embedder: Embedder | None = None, options: Options | None = None) -> Report:
    """Read a corpus folder and check it: the Python face of `claimcheck check`."""
    from checker.ingest import read_corpus

    return run(read_corpus(folder), embedder=embedder, options=options)


def check_records(records: Iterable[dict], embedder: Embedder | None = None,
                  options: Options | None = None) -> Report:
    """Check a corpus given as records {"name", "text", "published"?}: the face of `batch`."""
    from checker.ingest import documents_from_records

    return run(documents_from_records(records), embedder=embedder, options=options)
