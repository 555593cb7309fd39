"""What makes a large corpus fast must not change what a user is told.

Extraction beside embedding, sentences parsed once per text, embedding in chunks, the cheap bound
before word diffs, and documents blocked into stories: each is checked here against the slow way or
against what it must never do (compare two events told in the same words).
"""
from __future__ import annotations

import importlib.util
import pickle
from datetime import date
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import pipeline
from checker.cache import Cache
from checker.align.pairs import (align_corpus, document_neighbours, may_be_copies, plan_stories, slot_alignment,
                                 stories_of, story_pairs)
from checker.extract import extract_documents, resolve_people
from checker.ingest import read_corpus
from checker.models import Document
from checker.pipeline import prepare, run, run_detailed
from checker.segment import segment_document
from tests.conftest import ROOT, SEEDS


def _signature(report) -> list:
    return [(f.id, f.rule, f.severity, f.explanation) for f in report.findings]


def test_segmenting_and_extraction_beside_embedding_give_the_same_findings(embedder, seeds_report, monkeypatch):
    # the seeds are small: force the child process, to segment a share of them and extract them all
    monkeypatch.setattr(pipeline, "OVERLAP_MIN_SENTENCES", 0)
    monkeypatch.setattr(pipeline, "SEGMENT_BESIDE_CHARS", 0)
    report = run(read_corpus(str(SEEDS)), embedder=embedder)
    assert report.stats["timings"]["extract"] > 0
    assert _signature(report) == _signature(seeds_report)
    assert report.findings  # the seeds hold conflicts: an empty list would compare equal to a broken run


def test_a_sentence_repeated_word_for_word_is_parsed_once_with_the_same_mentions():
    text = "Officials said 42 people were hurt on Tuesday in Lyon.\nThe mayor, 71, spoke on Friday.\n"
    same_day = date(2023, 6, 14)
    docs = [Document(name="a.txt", text=text, published=same_day),
            Document(name="b.txt", text="A first line of its own.\n" + text, published=same_day),
            Document(name="c.txt", text=text, published=date(2023, 6, 20))]
    sentences = {d.name: segment_document(d) for d in docs}
    together = extract_documents(docs, sentences)
    alone = {d.name: extract_documents([d], {d.name: sentences[d.name]})[d.name] for d in docs}
    assert together == alone
    # moved to b's offsets: each mention still covers its own text there
    for m in together["b.txt"]:
        assert docs[1].text[m.start:m.end] == m.text
    tuesday = [m.value for name in ("a.txt", "c.txt") for m in together[name]
               if m.kind == "date" and m.text == "Tuesday"]
    assert len(tuesday) == 2 and tuesday[0] != tuesday[1]  # resolved against each article's date


def test_chunked_embedding_while_busy_matches_one_call(embedder, monkeypatch):
    texts = [s.text for d in read_corpus(str(SEEDS))[:2] for s in segment_document(d)][:40]
    whole = embedder.encode(texts)
    monkeypatch.setattr(type(embedder), "CHUNK", 7)
    monkeypatch.setattr(type(embedder), "TRIM_EVERY", 2)  # freed memory handed back between chunks
    chunked = embedder.encode(texts, busy=lambda: True)
    assert chunked.shape == whole.shape == (len(texts), 384)
    assert np.allclose(chunked, whole, atol=1e-5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("the a met in on 5 6 Paris Rome said was".split()), max_size=12),
       st.lists(st.sampled_from("the a met in on 5 6 Paris Rome said was".split()), max_size=12),
       st.sampled_from([0.55, 0.6, 0.8]))
def test_the_cheap_bound_never_drops_a_copy(a, b, ratio):
    a_text, b_text = " ".join(a), " ".join(b)
    if not may_be_copies(a_text, b_text, ratio):
        assert slot_alignment(a_text, b_text).ratio < ratio


def test_documents_sharing_rare_participants_form_one_story():
    # three events of five sources each, told in the same words (so their vectors are all alike),
    # and ten briefs that name no one
    anchors = [{f"event{e}-{k}" for k in range(8)} | {"Xi"} for e in range(3) for _ in range(5)]
    anchors += [set() for _ in range(10)]
    vectors = np.ones((len(anchors), 4), dtype=np.float32) / 2.0
    neighbours = document_neighbours(vectors, anchors, limit=6)
    for d in range(15):
        assert {o for o in neighbours[d] if o < 15} == set(range(d // 5 * 5, d // 5 * 5 + 5))
    for d in range(15, 25):
        assert len(neighbours[d]) >= 6  # no participants: its nearest documents by vector
    stories = stories_of(neighbours[:15])
    assert len(set(stories)) == 3 and stories[0] == stories[4] != stories[5]


def test_one_name_in_common_does_not_join_two_stories():
    anchors = [{f"e{e}-{k}" for k in range(8)} for e in range(2) for _ in range(5)]
    anchors += [{f"e{e}-{k}" for k in range(8)} for e in range(2, 6) for _ in range(5)]
    anchors[0].add("Smith")
    anchors[7].add("Smith")  # a chance collision between the first two events
    neighbours = document_neighbours(np.ones((30, 4), dtype=np.float32) / 2.0, anchors, limit=6)
    assert 7 not in neighbours[0] and 0 not in neighbours[7]


def _bench_generator():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_corpus_of_many_events_in_stock_phrases_raises_no_cross_event_alarm(embedder, tmp_path: Path):
    """Forty articles: eight events, each told by five rewrites of the seeds (the benchmark's corpus,
    so the events share their wording), every fifth a near-copy with a few numbers changed (those
    left unchanged are exact duplicates, checked once). Over 25 documents, so stories are told apart."""
    corpus = tmp_path / "corpus"
    _bench_generator().generate(40, corpus, seed=11)
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    cache = Cache(tmp_path / "cache")
    detailed = run_detailed(read_corpus(str(corpus)), embedder=embedder, cache=cache)
    report = detailed.report
    assert report.findings, "the near-copies change numbers: their conflicts must be found"
    for f in report.findings:
        events = {int(e.doc[:5]) // 5 for e in f.evidence}
        assert len(events) == 1, f"{f.rule} compares two events: {[e.doc for e in f.evidence]}"
    crossing = [p for p in detailed.context.pairs if int(p.a.doc[:5]) // 5 != int(p.b.doc[:5]) // 5]
    assert not crossing and detailed.context.pairs
    assert report.stats["stories"] == 8 and report.stats["stories_reused"] == 0
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before  # the corpus is only read

    # an edit to one article: only its story is compared again, and the findings are those of a
    # run without the cache
    edited = corpus / "00006.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOfficials said 17 people attended the talks.\n",
                      encoding="utf-8")
    warm = run(read_corpus(str(corpus)), embedder=embedder, cache=cache)
    assert warm.stats["stories_reused"] == 7
    uncached = run(read_corpus(str(corpus)), embedder=embedder)
    assert _signature(warm) == _signature(uncached)
    # `run` lets each story's pairs go once compared; the run that kept them all formed the same
    assert not run_detailed(read_corpus(str(corpus)), embedder=embedder, keep_pairs=False).context.pairs
    assert uncached.stats["pairs"] == report.stats["pairs"] == len(detailed.context.pairs)


def test_pairs_formed_a_story_at_a_time_are_the_pairs_of_the_whole_corpus(embedder, tmp_path: Path):
    corpus = tmp_path / "corpus"
    _bench_generator().generate(35, corpus, seed=5)
    prepared = prepare(read_corpus(str(corpus)), embedder, cache=None)
    flat = prepared.flat_sentences()
    mentions, _ = resolve_people(prepared.mentions)
    by_sentence: dict = {}
    for ms in mentions.values():
        for m in ms:
            by_sentence.setdefault((m.doc, m.sentence), []).append(m)
    whole, stories = align_corpus(flat, prepared.vectors, by_sentence)
    plan = plan_stories(flat, prepared.vectors, by_sentence)
    by_story = [story_pairs(plan, docs) for docs in plan.stories().values()]
    assert len(by_story) == len(set(stories.values())) > 1
    assert sorted(map(_pair_key, whole)) == sorted(_pair_key(p) for ps in by_story for p in ps)
    for ps in by_story:  # no pair crosses stories
        assert len({stories[p.a.doc] for p in ps} | {stories[p.b.doc] for p in ps}) <= 1


def _pair_key(p) -> tuple:
    return (p.a.doc, p.a.index, p.b.doc, p.b.index, round(p.similarity, 6), p.shared_people, p.shared_events)


def test_shared_mentions_are_equal_and_smaller_to_send():
    text = ("President Alma Rivers met Carl Ode in Lyon on Tuesday.\n"
            "Rivers and Ode met in Lyon again, Rivers said.\n") * 3
    docs = [Document(name=f"{i}.txt", text=text, published=date(2023, 6, 14)) for i in range(3)]
    sentences = {d.name: segment_document(d) for d in docs}
    shared = extract_documents(docs, sentences)
    fresh = {n: [pickle.loads(pickle.dumps(m)) for m in ms] for n, ms in shared.items()}  # unshared copies
    assert shared == fresh and sum(map(len, shared.values())) > 10
    rivers = [m.value for ms in shared.values() for m in ms if m.value == "Alma Rivers"]
    assert len(rivers) == 9 and all(v is rivers[0] for v in rivers)  # one string, named nine times
    assert len(pickle.dumps(shared)) < 0.8 * len(pickle.dumps(fresh))
