"""Runs the stages in order: ingest → segment → extract → align → compare → facts → (report).

Each stage is a function over a batch of documents with no global state, so that a batch engine can
map them later. The embedder is passed in, so that tests and the batch command load the model once.
"""
from __future__ import annotations

import multiprocessing
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

import numpy as np

from checker.align.cached import with_cache
from checker.align.embed import Embedder
from checker.align.pairs import StoryPlan, plan_stories, story_pairs
from checker.baseline import finding_fingerprint
from checker.cache import one_off, story_key
from checker.extract import SharedValues, extract_documents, resolve_people, with_sentence_texts
from checker.interrupt import raise_if_interrupted
from checker.memory import release_freed_memory
from checker.models import Document, Finding, Mention, Report, Sentence, Severity
from checker.parallel import batches, process_pool, stop_pool
from checker.report.facts import facts_from
from checker.progress import track
from checker.rules import ALL_RULES, CompareContext, Rule
from checker.rules.base import Agreement
from checker.segment import segment_document

if TYPE_CHECKING:
    from checker.cache import Cache


@dataclass
class Options:
    """Pipeline settings; the config file and the command line fill them in."""

    rules: tuple[type[Rule], ...] = ALL_RULES
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()

    def key(self) -> str:
        """The settings as the cache keys a story's findings by them (checker.cache.story_key)."""
        return repr(([r.code for r in self.rules], sorted(self.disabled),
                     sorted((k, v.value) for k, v in self.severity_overrides.items())))


def segment_documents(docs: Sequence[Document]) -> dict[str, list[Sentence]]:
    return {d.name: ([] if d.error else segment_document(d)) for d in docs}


def compare(ctx: CompareContext, options: Options) -> tuple[list[Finding], list[Agreement]]:
    """The findings of the enabled rules on one story, merged, and the agreements they found."""
    findings: list[Finding] = []
    agreements: list[Agreement] = []
    for rule_cls in options.rules:
        if rule_cls.code in options.disabled or rule_cls.name in options.disabled:
            continue
        rule = rule_cls()
        override = options.severity_overrides.get(rule.code) or options.severity_overrides.get(rule.name)
        if override:
            rule.severity = override
        judgement = rule.judge(ctx)
        findings.extend(judgement.findings)
        agreements.extend(judgement.agreements)
    return merge_findings(findings), agreements


# how the stories' comparisons run: the stories' contexts in, each one's (findings, agreements) out
# in the same order; by default here, one after the other (checker.cluster maps them over a cluster)
StoryMapper = Callable[[Iterable[CompareContext], "Options"], Iterable[tuple[list[Finding], list[Agreement]]]]


def compare_here(subs: Iterable[CompareContext], options: Options) -> Iterator[tuple[list[Finding], list[Agreement]]]:
    """Each story compared in this process, in turn (the default StoryMapper)."""
    return (compare(sub, options) for sub in subs)


@dataclass
class _StoryJob:
    names: list[str]
    key: str | None
    hit: tuple | None
    sub: CompareContext | None


def compare_stories(ctx: CompareContext, plan: StoryPlan, mentions_by_doc: dict[str, list[Mention]],
                    options: Options, cache: Cache | None = None, keep_pairs: bool = True,
                    mapper: StoryMapper | None = None) -> tuple[list[Finding], dict]:
    """Aligns and compares each story (documents that tell one story; see checker.align) on its own.

    A story's findings depend on nothing outside it. So its pairs are formed, compared and let go
    before the next story's, and a large corpus never holds all its pairs at once (`keep_pairs`
    keeps them in `ctx.pairs`, for callers that read them); and with a cache a story whose inputs
    are unchanged is not compared again: after an edit, only the edited article's story is. The
    agreements the rules return are added to `ctx.agreements`. `mapper` runs the comparisons (by
    default here, in turn). Returns the findings and figures: pairs formed, stories taken from the
    cache, and the seconds spent pairing sentences."""
    findings: list[Finding] = []
    figures = {"pairs": 0, "stories_reused": 0, "pairing": 0.0}
    jobs: deque[_StoryJob] = deque()  # stories formed and not yet answered, in order

    def to_compare() -> Iterator[CompareContext]:
        for docs in track(plan.stories().values(), "compare"):
            t0 = time.perf_counter()
            pairs = story_pairs(plan, docs)
            figures["pairing"] += time.perf_counter() - t0
            figures["pairs"] += len(pairs)
            if keep_pairs:
                ctx.pairs.extend(pairs)
            names = [plan.doc_names[d] for d in docs]
            key = None
            if cache is not None:
                key = story_key([ctx.documents[n] for n in names], mentions_by_doc, pairs, options.key())
                hit = cache.story(key)
                if hit is not None:
                    jobs.append(_StoryJob(names, key, hit, None))
                    continue
            rows = [i for d in docs for i in plan.rows_of[d]]
            sub = CompareContext(documents={n: ctx.documents[n] for n in names},
                                 sentences={(s.doc, s.index): s for s in (plan.sentences[i] for i in rows)},
                                 mentions={k: ctx.mentions[k] for k in ((plan.sentences[i].doc, plan.sentences[i].index)
                                                                        for i in rows) if k in ctx.mentions},
                                 pairs=pairs, vectors=plan.vectors,
                                 rows={(plan.sentences[i].doc, plan.sentences[i].index): i for i in rows})
            jobs.append(_StoryJob(names, key, None, sub))
            yield sub

    def take_hits() -> None:
        while jobs and jobs[0].hit is not None:
            hit = jobs.popleft().hit
            figures["stories_reused"] += 1
            findings.extend(hit[0])
            ctx.agreements.extend(Agreement(*a) for a in hit[1])

    for found, agreed in (mapper or compare_here)(to_compare(), options):
        take_hits()
        job = jobs.popleft()
        findings.extend(found)
        ctx.agreements.extend(agreed)
        if job.key is not None and not any(one_off(n) for n in job.names):
            cache.store_story(job.key, found, [tuple(a) for a in agreed])  # the cache stores plain tuples
    take_hits()
    return merge_findings(findings), figures


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


@dataclass
class PreparedCorpus:
    """The corpus side of a run, computed once: each document's sentences, its mentions before
    people are resolved across documents, and one embedding per sentence (rows in document order).

    `run_prepared` adds new documents (a draft, a claim) to it and processes only those: people are
    resolved again over everything, since a new document may name someone the corpus names too.
    """

    documents: tuple[Document, ...]
    sentences: dict[str, list[Sentence]]
    mentions: dict[str, list[Mention]]
    vectors: np.ndarray
    embedder: Embedder
    timings: dict[str, float] = field(default_factory=dict)
    cache: Cache | None = None  # where documents added later and stories compared before are kept

    def flat_sentences(self) -> list[Sentence]:
        return [s for d in self.documents for s in self.sentences.get(d.name, [])]


@dataclass
class DetailedRun:
    """A run's report together with the context the rules read (the aligned pairs, the mentions)."""

    report: Report
    context: CompareContext


# Below this many sentences to extract, a second process costs more (its start, loading spaCy) than
# running extraction beside embedding saves.
OVERLAP_MIN_SENTENCES = 400
EXTRACT_BATCH = 32  # documents sent to an extraction process at a time
SEGMENT_BESIDE_CHARS = 100_000  # above this much text to segment, a second process shares the work


def _load_shared_tables() -> None:
    """The geography tables, built here before the extraction process is forked: it then shares
    them instead of building its own, and this process (whose rules read them too) builds them
    while it holds little, so the memory their building takes and frees is reused later."""
    from checker.extract.geo import load_tables

    load_tables()


def prepare(docs: Sequence[Document], embedder: Embedder | None = None, cache: Cache | None = None,
            workers: int = 1) -> PreparedCorpus:
    """Segment, extract and embed documents once, for any number of `run_prepared` calls.

    With a cache (checker.cache.Cache; the CLI opens one unless --no-cache), documents processed
    before and sentences embedded before are taken from it. On a large corpus, extraction runs in
    `workers` other processes while this one embeds, so the two stages overlap in time."""
    timings: dict[str, float] = {}
    cached: dict[str, tuple] = {}
    if cache is not None:
        shared = SharedValues()  # one object for equal values across documents, as extraction does
        for d in docs:
            hit = None if d.error else cache.document(d)
            if hit is not None:
                cached[d.name] = (hit[0], shared.mentions(hit[1]))
    todo = [d for d in docs if d.name not in cached]
    can_fork = "fork" in multiprocessing.get_all_start_methods()  # not on Windows: one process there
    # a large corpus is segmented in two processes even with one worker: the extraction process,
    # started now, segments a share of it while this one segments the rest
    large = sum(len(d.text) for d in todo) >= SEGMENT_BESIDE_CHARS
    pool = process_pool(workers) if can_fork and len(todo) > 1 and (workers > 1 or large) else None
    if pool is not None:
        _load_shared_tables()
    finished = False
    try:
        t0 = time.perf_counter()
        if pool is not None:
            parts = batches(todo, max(2, workers))
            here = parts.pop() if workers == 1 else []
            pending = [pool.submit(segment_documents, part) for part in parts]
            sentences: dict[str, list[Sentence]] = segment_documents(here)
            for f in pending:
                sentences.update(f.result())
        else:
            sentences = segment_documents(todo)
        timings["segment"] = time.perf_counter() - t0
        raise_if_interrupted()
        for name, (sents, _) in cached.items():
            sentences[name] = sents
        # extraction parses each distinct sentence once (per publication date): a page that repeats
        # a few sentences is a few sentences of work, not worth starting a process for
        to_extract = len({(s.text, d.published) for d in todo for s in sentences[d.name]})
        if pool is None and can_fork and to_extract >= OVERLAP_MIN_SENTENCES:
            pool = process_pool(1)
            _load_shared_tables()
        t0 = time.perf_counter()
        # small batches: each comes back as soon as it is done, so neither process holds the whole
        # corpus's mentions twice
        futures = [] if pool is None else [
            pool.submit(extract_documents, batch, {d.name: sentences[d.name] for d in batch})
            for batch in (todo[i:i + EXTRACT_BATCH] for i in range(0, len(todo), EXTRACT_BATCH))]
        done_at: list[float] = []
        for f in futures:
            f.add_done_callback(lambda _f: done_at.append(time.perf_counter()))
        flat = [s for d in docs for s in sentences.get(d.name, [])]
        embedder = with_cache(embedder, cache)
        t_embed = time.perf_counter()
        busy = (lambda: not all(f.done() for f in futures)) if futures else None
        vectors = embedder.encode([s.text for s in flat], busy=busy)
        timings["embed"] = time.perf_counter() - t_embed
        raise_if_interrupted()
        if futures:
            mentions: dict[str, list[Mention]] = {}
            for f in futures:
                mentions.update(f.result())
                raise_if_interrupted()
            # wall time from the start of extraction to its end, overlapping embedding
            timings["extract"] = max(done_at, default=time.perf_counter()) - t0
        else:
            t1 = time.perf_counter()
            mentions = extract_documents(todo, sentences)
            timings["extract"] = time.perf_counter() - t1
        finished = True
    finally:
        if pool is not None:
            stop_pool(pool, interrupted=not finished)
    for d in todo:
        mentions[d.name] = with_sentence_texts(mentions[d.name], sentences[d.name])
    if cache is not None:
        cache.store_documents((d, sentences[d.name], mentions[d.name]) for d in todo
                              if not d.error and not one_off(d.name))
    for name, (_, ments) in cached.items():
        mentions[name] = ments
    release_freed_memory()  # what segmenting, receiving and storing left behind
    return PreparedCorpus(tuple(docs), sentences, mentions, vectors, embedder, timings, cache)



def prepare_corpus(against: str | PreparedCorpus | Sequence[Document], embedder=None,
                   cache: Cache | None = None) -> PreparedCorpus:
    """A prepared corpus from a folder, documents already read (both through `cache` when given),
    or a prepared corpus (returned as is, with its own cache)."""
    if isinstance(against, PreparedCorpus):
        return against
    if isinstance(against, str):
        from checker.ingest import read_corpus

        against = read_corpus(against)
    return prepare(list(against), embedder, cache)

def run_prepared(prepared: PreparedCorpus, extra_docs: Sequence[Document] = (),
                 options: Options | None = None, keep_pairs: bool = True,
                 mapper: StoryMapper | None = None) -> DetailedRun:
    """The pipeline on a prepared corpus plus new documents; only the new ones are segmented,
    extracted and embedded. Alignment and the rules run over everything. Without `keep_pairs` the
    context's pairs are left empty: each story's are let go once it is compared (a report needs
    none of them, and a large corpus has millions). `mapper` runs the stories' comparisons
    (compare_stories)."""
    options = options or Options()
    taken = {d.name for d in prepared.documents}
    for d in extra_docs:
        if d.name in taken:
            raise ValueError(f"document name {d.name!r} is already in the corpus")
        taken.add(d.name)
    new = prepare(extra_docs, prepared.embedder, prepared.cache) if extra_docs else None
    docs = list(prepared.documents) + list(extra_docs)
    sentences = dict(prepared.sentences)
    raw_mentions = dict(prepared.mentions)
    vectors = prepared.vectors
    # the work of this run: the new documents' stages (the corpus's were done once, in prepare)
    timings = dict(new.timings if new else prepared.timings)
    if new is not None:
        sentences.update(new.sentences)
        raw_mentions.update(new.mentions)
        vectors = np.vstack([prepared.vectors, new.vectors]) if len(new.vectors) else prepared.vectors
    t0 = time.perf_counter()
    mentions_by_doc, _registry = resolve_people(raw_mentions)
    timings["extract"] = timings.get("extract", 0.0) + time.perf_counter() - t0
    flat = [s for d in docs for s in sentences.get(d.name, [])]
    by_sentence: dict[tuple[str, int], list[Mention]] = {}
    for ms in mentions_by_doc.values():
        for m in ms:
            by_sentence.setdefault((m.doc, m.sentence), []).append(m)
    t0 = time.perf_counter()
    plan = plan_stories(flat, vectors, by_sentence)
    planning = time.perf_counter() - t0
    release_freed_memory()
    t0 = time.perf_counter()
    ctx = CompareContext(documents={d.name: d for d in docs},
                         sentences={(s.doc, s.index): s for s in flat}, mentions=by_sentence, pairs=[],
                         stories=plan.story_by_name(), vectors=vectors,
                         rows={(s.doc, s.index): i for i, s in enumerate(flat)})
    findings, figures = compare_stories(ctx, plan, mentions_by_doc, options, prepared.cache, keep_pairs, mapper)
    # pairing sentences is alignment, though done story by story between the comparisons
    timings["align"] = planning + figures["pairing"]
    timings["compare"] = time.perf_counter() - t0 - figures["pairing"]
    stats = {"sentences": len(flat), "pairs": figures["pairs"], "timings": timings,
             "mentions": sum(len(v) for v in by_sentence.values()),
             "stories": len(set(plan.story)), "stories_reused": figures["stories_reused"]}
    if new is not None:
        stats["corpus_timings"] = dict(prepared.timings)
    report = Report(documents=tuple(docs), facts=tuple(facts_from(findings, ctx)), findings=tuple(findings),
                    stats=stats)
    return DetailedRun(report, ctx)


def run_detailed(docs: Sequence[Document], embedder: Embedder | None = None,
                 options: Options | None = None, cache: Cache | None = None, workers: int = 1,
                 keep_pairs: bool = True) -> DetailedRun:
    """The whole pipeline on documents already read, with the rules' context."""
    return run_prepared(prepare(docs, embedder, cache, workers), (), options, keep_pairs)


def run(docs: Sequence[Document], embedder: Embedder | None = None, options: Options | None = None,
        cache: Cache | None = None, workers: int = 1) -> Report:
    """The whole pipeline on documents already read; `workers` processes segment and extract."""
    return run_detailed(docs, embedder, options, cache, workers, keep_pairs=False).report


def check_folder(folder: str, embedder: Embedder | None = None, options: Options | None = None,
                 cache: Cache | None = None) -> Report:
    """Read a corpus folder and check it: the Python face of `claimcheck check`."""
    from checker.ingest import read_corpus

    return run(read_corpus(folder), embedder=embedder, options=options, cache=cache)


def check_records(records: Iterable[dict], embedder: Embedder | None = None,
                  options: Options | None = None, cache: Cache | None = None) -> Report:
    """Check a corpus given as records {"name", "text", "published"?}: the face of `batch`."""
    from checker.ingest import documents_from_records

    return run(documents_from_records(records), embedder=embedder, options=options, cache=cache)
