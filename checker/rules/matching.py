"""When two mentions in an aligned pair of sentences speak of the same thing.

Two tests, strongest first: the mentions stand in the same slot of two near-identical sentences
(a word diff lines them up), or the sentences speak of one event (shared participants and event
words, or high similarity) and the words around each value share that event.
"""
from __future__ import annotations

from checker.align.pairs import SentencePair
from checker.models import Mention
from checker.rules.base import CompareContext, slot_aligned

HIGH_SIMILARITY = 0.72  # keyed values (a count of one noun) in sentences this close are one measure
PARAPHRASE = 0.85  # unkeyed values (a date) need sentences this close, or a rare shared anchor


def _words(key: str) -> set[str]:
    return set(key.split())


def _which(pair: SentencePair, m: Mention):
    return (pair.a, pair.b) if m.doc == pair.a.doc and m.sentence == pair.a.index else (pair.b, pair.a)


def participants_agree(ctx: CompareContext, a, b) -> bool:
    """One sentence's people include the other's: "Blinken met Qin" and "Blinken met Wang Yi" are
    two meetings, whatever they share."""
    pa = {m.value for m in ctx.of(a, "person")}
    pb = {m.value for m in ctx.of(b, "person")}
    return all(any(same_person(x, y) for y in pb) for x in pa) or \
        all(any(same_person(x, y) for y in pa) for x in pb)


def places_disagree(ctx: CompareContext, a, b) -> bool:
    """Both sentences locate their event, in places that do not contain each other: two events."""
    def located(s) -> list:
        # a city or region names where things happen even as a modifier ("Munich talks")
        return [m.value for m in ctx.of(s, "place") if m.note == "locative" or m.value.kind != "country"]
    pa, pb = located(a), located(b)
    return bool(pa and pb) and not any(x.nests_with(y) for x in pa for y in pb)


def same_person(a: str, b: str) -> bool:
    """"Blinken" and "Antony Blinken" may be one person; "Wang Yi" and "Wang Wenbin" are not."""
    ta, tb = set(a.split()), set(b.split())
    return ta <= tb or tb <= ta


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
    if own.doc != other.doc and (ctx.has_copy_in(own, other.doc) or ctx.has_copy_in(other, own.doc)):
        return None  # each is compared with its own copy in the other source
    if ma.kind != "place" and places_disagree(ctx, own, other):
        return None
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
    rare = ctx.rare_shared_events(pair.shared_events) | ctx.rare_shared_places(own, other)
    if pair.shared_people and participants_agree(ctx, own, other):
        if rare & near:
            return 0.7
        # a rarely named person doing the same thing, with the value beside the name
        if pair.shared_events and ctx.rare_shared_people(own, other) & near:
            return 0.6
    if pair.similarity >= PARAPHRASE and a_count == 1 and b_count == 1 and len(near) >= 2 \
            and participants_agree(ctx, own, other):
        return 0.65
    return None
