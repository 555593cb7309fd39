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


def _meet(a: set[str], b: set[str]) -> set[str]:
    """Words of a found in b, a longer word ending in a shorter one counting ("earthquake", "quake")."""
    return {w for w in a for x in b if w == x or (min(len(w), len(x)) >= 5 and (w.endswith(x) or x.endswith(w)))}


def _which(pair: SentencePair, m: Mention):
    return (pair.a, pair.b) if m.doc == pair.a.doc and m.sentence == pair.a.index else (pair.b, pair.a)


def keys_meet(ma: Mention, mb: Mention) -> bool:
    """What two values measure: the noun after them, or for numbers also the noun before
    ("magnitude 6.2 earthquake" and "magnitude 6.0 quake")."""
    ka = {ma.key} | ({ma.note} if ma.kind == "number" else set())
    kb = {mb.key} | ({mb.note} if mb.kind == "number" else set())
    return bool((ka & kb) - {""})


def participants_agree(ctx: CompareContext, a, b) -> bool:
    """One sentence's people include the other's: "Lopez met Carter" and "Lopez met Walsh" are
    two meetings, whatever they share."""
    pa = {m.value for m in ctx.of(a, "person")}
    pb = {m.value for m in ctx.of(b, "person")}
    return all(any(same_person(x, y) for y in pb) for x in pa) or \
        all(any(same_person(x, y) for y in pa) for x in pb)


def places_disagree(ctx: CompareContext, a, b) -> bool:
    """Both sentences locate their event, in places that do not contain each other: two events."""
    def located(s) -> list:
        # a city or region names where things happen even as a modifier ("Munich talks")
        # (a place the gazetteer does not know cannot be said to lie outside another)
        return [m.value for m in ctx.of(s, "place") if m.value.kind != "unknown"
                and (m.note == "locative" or m.value.kind != "country")]
    pa, pb = located(a), located(b)
    return bool(pa and pb) and not any(x.nests_with(y) for x in pa for y in pb)


def same_person(a: str, b: str) -> bool:
    """"Lopez" and "Maria Lopez" may be one person; "James Carter" and "James Walsh" are not."""
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
    if own.doc != other.doc and (ctx.counterpart_in_copy(ma, other.doc) or ctx.counterpart_in_copy(mb, own.doc)):
        return None  # each is compared with its counterpart in its copy in the other source
    if ma.kind != "place" and places_disagree(ctx, own, other):
        return None
    if keyed:
        if not keys_meet(ma, mb):
            return None
        if pair.similarity >= HIGH_SIMILARITY:
            return 0.75
        if pair.shared_people and ctx.rare_shared_events(pair.shared_events, exclude=ma.key) \
                and participants_agree(ctx, own, other):
            return 0.6
        return None
    a_count = len(ctx.of(own, ma.kind))
    b_count = len(ctx.of(other, mb.kind))
    near = _meet(_words(ma.key), _words(mb.key))
    events = pair.shared_events | _meet(ctx.events_of(own), ctx.events_of(other))
    rare = ctx.rare_shared_events(events) | ctx.rare_shared_places(own, other)
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
