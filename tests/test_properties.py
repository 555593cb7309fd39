"""Property tests over generated texts: no exception, evidence is the file's slice, output is
deterministic. The text pipeline (segment, extract) is exercised broadly; the whole pipeline with the
real model on a few examples."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.extract.mentions import extract_sentence
from checker.extract.nlp import parse_texts
from checker.ingest.reader import without_controls
from checker.models import Document
from checker.pipeline import check_records
from checker.report import render
from checker.segment import segment_document
from tests.schemas import validate

WORDS = ["Blinken", "met", "Qin", "Gang", "in", "Beijing", "on", "Tuesday", "night", "June", "18,", "2023",
         "two-day", "talks", "more", "than", "three", "hours", "48-year-old", "Mark", "Swidan", "since",
         "2018", "the", "first", "secretary", "of", "state", "to", "visit", "China", "$1.5", "million", "40%",
         "last", "November", "Bali", "Indonesia", "CIA", "Director", "William", "Burns", ".", ",", "—", "“", "”",
         "\n", "\n\n", "\r\n", "\r", "\ufeff", "é", "Mr.", "U.S.", "in Maywhile", "3:36 a.m.", "fifty-two"]

texts = st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=60).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, "2023-06-18"]))
def test_text_pipeline_never_raises_and_offsets_are_exact(text, published):
    from datetime import date

    doc = Document(name="x.txt", text=text, published=date.fromisoformat(published) if published else None)
    sentences = segment_document(doc)
    for s in sentences:
        assert text[s.start:s.end] == s.text and s.text.strip()
        assert s.line == text.count("\n", 0, s.start) + text.count("\r", 0, s.start) - text.count("\r\n", 0, s.start) + 1
    for s, parsed in zip(sentences, parse_texts([s.text for s in sentences])):
        for m in extract_sentence(s, parsed, doc.published):
            assert s.start <= m.start <= m.end <= s.end
            assert text[m.start:m.end] == m.text


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(texts, texts)
def test_whole_pipeline_slices_and_determinism(embedder, a, b):
    records = [{"name": "a.txt", "text": "Blinken spoke by phone with Qin Gang on Tuesday night. " + a},
               {"name": "b.txt", "text": "Qin Gang said in a phone call with Blinken on Wednesday. " + b}]
    first = render(check_records(records, embedder=embedder), "json")
    second = render(check_records(records, embedder=embedder), "json")
    assert first == second
    # offsets index the text as read: control characters replaced one for one (checker.ingest.reader)
    texts_by_name = {r["name"]: without_controls(r["text"]) for r in records}
    for f in validate(json.loads(first), "report")["findings"]:
        for e in f["evidence"]:
            assert texts_by_name[e["doc"]][e["start"]:e["end"]] == e["text"]
