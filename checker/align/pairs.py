"""Candidate sentence pairs: embedding neighbours, plus pairs that share people and event words.

Whole-sentence cosine alone misses claims about one event worded differently ("Tuesday night,
Blinken spoke by phone with Qin Gang" against "Qin Gang said in a phone call on Wednesday" scores
0.49), so a pair is also a candidate when the two sentences share a named participant and an event
word. Candidates come from an inverted index on those anchors and from each sentence's nearest
neighbours, never from all pairs. Both look only among the sentences of neighbouring documents
(those nearest by mean vector and those sharing rare participants), so the cost grows with the
corpus, not its square.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from checker.models import Mention, Sentence

NEIGHBOURS = 12          # nearest neighbours kept per sentence
MIN_SIMILARITY = 0.55    # a neighbour below this is no candidate on similarity alone
MIN_ANCHORED = 0.25      # a pair sharing anchors needs at least this
MAX_BLOCK = 400          # an anchor shared by more sentences than this is too common to block on
DOC_NEIGHBOURS = 24      # documents whose sentences each document's sentences are compared with
MIN_SHARED_PARTICIPANTS = 2  # rare participants two documents share to tell the same story


@dataclass(frozen=True, slots=True)  # many thousands of these at corpus scale
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


def document_neighbours(doc_vectors: np.ndarray, doc_anchors: list[set[str]],
                        limit: int = DOC_NEIGHBOURS) -> list[set[int]]:
    """For each document, the documents that may tell the same story (and itself).

    A corpus of at most limit + 1 documents is one story, compared in full. In a larger one (an
    archive, a day of wire copy on many events) two documents tell the same story when they share
    rare participants: people, organisations and towns that few documents name. Two accounts of one
    event share several; two events told in the same stock phrases share none, or one by chance, and
    comparing them would only raise false alarms. A document that names too few participants to
    tell (a brief, a table) takes its `limit` nearest documents by mean sentence vector instead.

    This blocking also keeps alignment linear: sentences are compared only with sentences of
    neighbouring documents.
    """
    n = len(doc_anchors)
    if n <= limit + 1:
        return [set(range(n)) for _ in range(n)]
    holders: dict[str, list[int]] = defaultdict(list)
    for d, anchors in enumerate(doc_anchors):
        for a in anchors:
            holders[a].append(d)
    rare_limit = max(limit, n // 50)  # a participant in more documents than this names no one story
    rare = [{a for a in anchors if len(holders[a]) <= rare_limit} for anchors in doc_anchors]
    shared: list[dict[int, int]] = [defaultdict(int) for _ in range(n)]
    for docs in holders.values():
        if 1 < len(docs) <= rare_limit:
            for x in docs:
                for y in docs:
                    if x != y:
                        shared[x][y] += 1
    out = [{d} for d in range(n)]
    vague = []
    for d in range(n):
        if len(rare[d]) < MIN_SHARED_PARTICIPANTS:
            vague.append(d)
            continue
        for o, count in sorted(shared[d].items(), key=lambda x: (-x[1], x[0]))[:limit]:
            # a fifth of the participants of the shorter account, and never one name alone
            if count >= max(MIN_SHARED_PARTICIPANTS, 0.2 * min(len(rare[d]), len(rare[o]))):
                out[d].add(o)
    for lo in range(0, len(vague), 1024):
        rows = vague[lo:lo + 1024]
        sims = doc_vectors[rows] @ doc_vectors.T
        top = np.argpartition(-sims, limit, axis=1)[:, :limit + 1]
        for d, row in zip(rows, top):
            out[d].update(int(c) for c in row)
    return out


def stories_of(neighbours: list[set[int]]) -> list[int]:
    """A story number for each document: documents linked as neighbours, directly or through
    others, tell one story."""
    parent = list(range(len(neighbours)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d, others in enumerate(neighbours):
        for o in others:
            parent[root(o)] = root(d)
    return [root(d) for d in range(len(neighbours))]


def align_sentences(sentences: list[Sentence], vectors: np.ndarray,
                    mentions: dict[tuple[str, int], list[Mention]]) -> list[SentencePair]:
    """Candidate pairs among `sentences` (rows of `vectors`), across and within documents."""
    return align_corpus(sentences, vectors, mentions)[0]


def align_corpus(sentences: list[Sentence], vectors: np.ndarray, mentions: dict[tuple[str, int], list[Mention]]
                 ) -> tuple[list[SentencePair], dict[str, int]]:
    """Candidate pairs among `sentences` (rows of `vectors`), and each document's story number.

    The whole corpus's pairs at once: `plan_stories` and `story_pairs` give them a story at a time,
    which is how the pipeline holds a large corpus in little memory."""
    plan = plan_stories(sentences, vectors, mentions)
    row = {(s.doc, s.index): i for i, s in enumerate(sentences)}
    pairs = [p for docs in plan.stories().values() for p in story_pairs(plan, docs)]
    pairs.sort(key=lambda p: (row[(p.a.doc, p.a.index)], row[(p.b.doc, p.b.index)]))
    return pairs, plan.story_by_name()


@dataclass(frozen=True)
class StoryPlan:
    """What alignment decides over the whole corpus before any sentence is paired: which
    documents are neighbours (may tell the same story), and so which stories there are."""

    sentences: list[Sentence]
    vectors: np.ndarray  # one row per sentence
    mentions: dict[tuple[str, int], list[Mention]]
    doc_names: list[str]
    rows_of: list[list[int]]  # each document's sentences, as rows
    neighbours: list[set[int]]
    story: list[int]  # each document's story number
    naming: Counter  # how many sentences of the corpus name each participant

    def stories(self) -> dict[int, list[int]]:
        """Each story's documents (as indices), in corpus order."""
        out: dict[int, list[int]] = {}
        for d, st in enumerate(self.story):
            out.setdefault(st, []).append(d)
        return out

    def story_by_name(self) -> dict[str, int]:
        return {name: self.story[d] for d, name in enumerate(self.doc_names)}


def plan_stories(sentences: list[Sentence], vectors: np.ndarray,
                 mentions: dict[tuple[str, int], list[Mention]]) -> StoryPlan:
    """Documents' neighbours and stories, from their mean vectors and the participants they name."""
    doc_index: dict[str, int] = {}
    rows_of: list[list[int]] = []
    doc_anchors: list[set[str]] = []
    naming: Counter = Counter()
    for i, s in enumerate(sentences):
        d = doc_index.setdefault(s.doc, len(doc_index))
        if d == len(rows_of):
            rows_of.append([])
            doc_anchors.append(set())
        rows_of[d].append(i)
        people = _anchors(mentions.get((s.doc, s.index), []))[0]
        naming.update(people)
        doc_anchors[d] |= people
    if len(sentences) < 2:
        neighbours = [{d} for d in range(len(rows_of))]
    else:
        doc_vectors = np.vstack([vectors[rows].mean(axis=0) for rows in rows_of])
        doc_vectors /= np.maximum(np.linalg.norm(doc_vectors, axis=1, keepdims=True), 1e-9)
        neighbours = document_neighbours(doc_vectors, doc_anchors)
    return StoryPlan(sentences, vectors, mentions, list(doc_index), rows_of, neighbours, stories_of(neighbours),
                     naming)


def story_pairs(plan: StoryPlan, docs: list[int]) -> list[SentencePair]:
    """Candidate pairs among the sentences of one story's documents (`docs`, indices into the
    plan), in corpus order; a pair never crosses stories, since neighbours share a story."""
    sentences, vectors, neighbours, rows_of = plan.sentences, plan.vectors, plan.neighbours, plan.rows_of
    # a sentence a page repeats word for word (a gallery's credit, a template line) is paired once,
    # by its first occurrence: the work stays linear in the page's distinct sentences
    first: dict[tuple[str, str], int] = {}
    distinct = {d: [i for i in rows_of[d] if first.setdefault((sentences[i].doc, sentences[i].text), i) == i]
                for d in sorted(set(docs).union(*(neighbours[d] for d in docs)))}
    rows = [i for d in docs for i in distinct[d]]
    doc_of = {i: d for d in docs for i in distinct[d]}
    features = {i: _anchors(plan.mentions.get((sentences[i].doc, sentences[i].index), [])) for i in rows}
    candidates: set[tuple[int, int]] = set()
    for d in docs:
        # each sentence's nearest neighbours among the sentences of its document's neighbours
        cols = np.array(sorted(i for o in neighbours[d] for i in distinct[o]))
        k = min(NEIGHBOURS, len(cols) - 1)
        if k < 1:
            continue
        own = distinct[d]
        for lo in range(0, len(own), 256):  # row chunks: memory stays flat however large the block
            part = own[lo:lo + 256]
            sims = vectors[part] @ vectors[cols].T
            sims[np.asarray(part)[:, None] == cols[None, :]] = -1.0
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            for r, row in enumerate(top):
                i = part[r]
                for c in row:
                    if sims[r, c] >= MIN_SIMILARITY:
                        j = int(cols[c])
                        candidates.add((min(i, j), max(i, j)))
    by_person: dict[str, list[int]] = defaultdict(list)
    for i in rows:
        for p in features[i][0]:
            by_person[p].append(i)
    for p, members in by_person.items():
        if plan.naming[p] > MAX_BLOCK:  # counted over the corpus, not the story
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if features[i][1] & features[j][1] and (doc_of[j] in neighbours[doc_of[i]]
                                                       or doc_of[i] in neighbours[doc_of[j]]):
                    candidates.add((min(i, j), max(i, j)))
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


@dataclass(frozen=True, slots=True)  # many thousands of these at corpus scale
class SlotAlignment:
    ratio: float
    replaced: tuple[tuple[int, int, int, int], ...]  # (a_start, a_end, b_start, b_end) offsets in sentences
    equal: tuple[tuple[int, int, int, int], ...]


@lru_cache(maxsize=1 << 16)
def _token_counts(text: str) -> Counter:
    return Counter(m.group(0).lower() for m in _TOKEN.finditer(text))


def may_be_copies(a: str, b: str, ratio: float) -> bool:
    """False when the word diff of a and b cannot reach `ratio`: the words they share bound it, and
    counting them costs far less than the diff (most aligned pairs are not copies)."""
    ca, cb = _token_counts(a), _token_counts(b)
    total = sum(ca.values()) + sum(cb.values())
    return total == 0 or 2 * sum((ca & cb).values()) / total >= ratio  # two empty texts are equal


def copy_alignment(a: str, b: str, ratio: float) -> SlotAlignment | None:
    """The word diff of a and b when they are copies of one another (its ratio at least `ratio`)."""
    if not may_be_copies(a, b, ratio):
        return None
    al = slot_alignment(a, b)
    return al if al.ratio >= ratio else None


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
