"""When two mentions in an aligned pair of sentences speak of the same thing.

Two tests, strongest first: the mentions stand in the same slot of two near-identical sentences
(a word diff lines them up), or the sentences speak of one event (shared participants and event
words, or high similarity) and the words around each value share that event.
"""
from __future__ import annotations

from checker.align.pairs import SentencePair
from checker.models import Mention
from checker.rules.base import CompareContext, slot_aligned

HIGH_SIMILARITY = 0.72


def _words(key: str) -> set[str]:
    return set(key.split())


def _which(pair: SentencePair, m: Mention):
    return (pair.a, pair.b) if m.doc == pair.a.doc and m.sentence == pair.a.index else (pair.b, pair.a)


def same_thing(ctx: CompareContext, pair: SentencePair, ma: Mention, mb: Mention,
               keyed: bool = False) -> float | None:
    """A confidence in (0, 1] that ma and mb measure one thing, or None.

    keyed: the kind carries what it measures in `key` (numbers, durations), which must then agree.
    Otherwise (dates, places) the sentences must share a participant and a rare event word that
    stands near both values, or be near paraphrases with one such value each.
    """
    slot = slot_aligned(pair, ma, mb)
    if slot is True:
        return 0.9
    if slot is False:
        return None
    own, other = _which(pair, ma)
    if keyed:
        if not ma.key or ma.key != mb.key:
            return None
        if pair.similarity >= HIGH_SIMILARITY:
            return 0.75
        if pair.shared_people and ctx.rare_shared_events(pair.shared_events, exclude=ma.key):
            return 0.6
        return None
    a_count = len(ctx.of(own, ma.kind))
    b_count = len(ctx.of(other, mb.kind))
    near = _words(ma.key) & _words(mb.key)
    rare = ctx.rare_shared_events(pair.shared_events)
    if pair.shared_people and rare & near:
        return 0.7
    if pair.similarity >= HIGH_SIMILARITY and a_count == 1 and b_count == 1 and len(near) >= 2:
        return 0.65
    return None
