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


def same_thing(ctx: CompareContext, pair: SentencePair, ma: Mention, mb: Mention,
               keyed: bool = False) -> float | None:
    """A confidence in (0, 1] that ma and mb measure one thing, or None.

    keyed: the kind carries what it measures in `key` (numbers, durations), which must then agree.
    """
    slot = slot_aligned(pair, ma, mb)
    if slot is True:
        return 0.9
    if slot is False:
        return None
    if keyed:
        if not ma.key or ma.key != mb.key:
            return None
        if pair.similarity >= HIGH_SIMILARITY:
            return 0.75
        if pair.shared_people and pair.shared_events:
            return 0.6
        return None
    a_count = len(ctx.of(pair.a if ma.doc == pair.a.doc and ma.sentence == pair.a.index else pair.b, ma.kind))
    b_count = len(ctx.of(pair.b if ma.doc == pair.a.doc and ma.sentence == pair.a.index else pair.a, mb.kind))
    context = _words(ma.key) & _words(mb.key)
    if pair.shared_people and pair.shared_events and (context & pair.shared_events or
                                                      (_words(ma.key) | _words(mb.key)) & pair.shared_events
                                                      and a_count == 1 and b_count == 1):
        return 0.7
    if pair.similarity >= HIGH_SIMILARITY and a_count == 1 and b_count == 1 and len(context) >= 2:
        return 0.65
    return None
