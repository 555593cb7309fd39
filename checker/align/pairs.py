"""Candidate sentence pairs: embedding neighbours, plus pairs that share people and event words.

Whole-sentence cosine alone misses claims about one event worded differently ("Tuesday night,
Blinken spoke by phone with Qin Gang" against "Qin Gang said in a phone call on Wednesday" scores
0.49), so a pair is also a candidate when the two sentences share a named participant and an event
word. Candidates come from an inverted index on those anchors and from each sentence's nearest
neighbours, never from all pairs, so the cost grows with the corpus, not its square.
"""
from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from checker.models import Mention, Sentence

NEIGHBOURS = 12          # nearest neighbours kept per sentence
MIN_SIMILARITY = 0.55    # a neighbour below this is no candidate on similarity alone
MIN_ANCHORED = 0.25      # a pair sharing anchors needs at least this
MAX_BLOCK = 400          # an anchor shared by more sentences than this is too common to block on


@dataclass(frozen=True)
class SentencePair:
    a: Sentence
    b: Sentence
    similarity: float
    shared_people: frozenset[str]  # participants: people and organisations named in both
    shared_events: frozenset[str]


def _anchors(mentions: list[Mention]) -> tuple[set[str], set[str]]:
    """(participants: people and organisations named, event words)."""
    people = {m.value for m in mentions if m.kind in ("person", "org")}
    # a town or region is a participant too (an earthquake has no people to share); a country is
    # too broad to tell events apart
    for m in mentions:
        if m.kind == "place" and m.value.kind != "country":
            people.add("@" + m.value.code)
    events = set()
    for m in mentions:
        if m.kind == "event":
            events |= set(m.value)
    return people, events


def align_sentences(sentences: list[Sentence], vectors: np.ndarray,
                    mentions: dict[tuple[str, int], list[Mention]]) -> list[SentencePair]:
    """Candidate pairs among `sentences` (rows of `vectors`), across and within documents."""
    n = len(sentences)
    if n < 2:
        return []
    candidates: set[tuple[int, int]] = set()
    k = min(NEIGHBOURS, n - 1)
    chunk = 256  # rows of the similarity matrix held at once: memory stays flat as the corpus grows
    for lo in range(0, n, chunk):
        sims = vectors[lo:lo + chunk] @ vectors.T
        for r in range(sims.shape[0]):
            sims[r, lo + r] = -1.0
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.argsort(-sims, axis=1)
        for r, row in enumerate(top):
            for c in row:
                if sims[r, c] >= MIN_SIMILARITY:
                    i, j = lo + r, int(c)
                    candidates.add((min(i, j), max(i, j)))
    features = [_anchors(mentions.get((s.doc, s.index), [])) for s in sentences]
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, (people, _) in enumerate(features):
        for p in people:
            by_person[p].append(i)
    for members in by_person.values():
        if len(members) > MAX_BLOCK:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if features[i][1] & features[j][1]:
                    candidates.add((i, j))
    pairs = []
    for i, j in sorted(candidates):
        sim = float(vectors[i] @ vectors[j])
        people = frozenset(features[i][0] & features[j][0])
        events = frozenset(features[i][1] & features[j][1])
        if sim < MIN_SIMILARITY and (sim < MIN_ANCHORED or not people or not events):
            continue
        pairs.append(SentencePair(sentences[i], sentences[j], sim, people, events))
    return pairs


_TOKEN = re.compile(r"\w+(?:[.,'’-]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class SlotAlignment:
    ratio: float
    replaced: tuple[tuple[int, int, int, int], ...]  # (a_start, a_end, b_start, b_end) offsets in sentences
    equal: tuple[tuple[int, int, int, int], ...]


@lru_cache(maxsize=1 << 16)  # rules ask again for the same pairs; the shell asks for every claim
def slot_alignment(a: str, b: str) -> SlotAlignment:
    """Word-level diff of two sentences: which stretches were replaced by which."""
    ta = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(a)]
    tb = [(m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(b)]
    sm = difflib.SequenceMatcher(None, [t[0] for t in ta], [t[0] for t in tb], autojunk=False)
    replaced, equal = [], []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if i2 <= i1 or j2 <= j1:
            continue
        if op == "replace":
            replaced.append((ta[i1][1], ta[i2 - 1][2], tb[j1][1], tb[j2 - 1][2]))
        else:
            # equal runs map word to word: a value only lines up with the very same word
            equal.extend((ta[i][1], ta[i][2], tb[j][1], tb[j][2]) for i, j in zip(range(i1, i2), range(j1, j2)))
    return SlotAlignment(sm.ratio(), tuple(replaced), tuple(equal))
