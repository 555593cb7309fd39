"""Fuzz the text pipeline (segment and extract) for a bounded time: `make fuzz` (not in CI's run).

Hypothesis generates arbitrary Unicode text mixed with words the extractors look for; any exception
or any mention whose offsets do not slice the text fails the run.
"""
from __future__ import annotations

import sys
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.extract.mentions import extract_sentence
from checker.extract.nlp import parse_texts
from checker.models import Document
from checker.segment import segment_document
from tests.test_properties import WORDS

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 120.0


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.lists(st.sampled_from(WORDS) | st.text(), max_size=200).map(" ".join))
def fuzz(text: str) -> None:
    doc = Document(name="f.txt", text=text)
    sentences = segment_document(doc)
    for s, parsed in zip(sentences, parse_texts([s.text for s in sentences])):
        assert text[s.start:s.end] == s.text
        for m in extract_sentence(s, parsed, None):
            assert text[m.start:m.end] == m.text


if __name__ == "__main__":
    stop, rounds = time.monotonic() + SECONDS, 0
    while time.monotonic() < stop:
        fuzz()  # a failure raises with hypothesis's shrunk example
        rounds += 1
    print(f"fuzz: {rounds * 200} texts in {SECONDS:.0f} s without a failure")
