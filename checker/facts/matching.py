"""Whether two sentences' people and places allow them to speak of one thing; the linking itself
is checker.facts.link."""
from __future__ import annotations

from typing import Protocol

from checker.models import Mention, Sentence


class SentenceMentions(Protocol):
    """What these tests read of a corpus (checker.facts.context.CompareContext): a sentence's values
    of one kind."""

    def of(self, sentence: Sentence, kind: str) -> tuple[Mention, ...]: ...


def participants_agree(ctx: SentenceMentions, a: Sentence, b: Sentence) -> bool:
    """One sentence's people include the other's: "Lopez met Carter" and "Lopez met Walsh" are
    two meetings, whatever they share."""
    pa = {m.value for m in ctx.of(a, "person")}
    pb = {m.value for m in ctx.of(b, "person")}
    return all(any(same_person(x, y) for y in pb) for x in pa) or \
        all(any(same_person(x, y) for y in pa) for x in pb)


def places_disagree(ctx: SentenceMentions, a: Sentence, b: Sentence) -> bool:
    """Both sentences locate their event, in places that do not contain each other: two events."""
    def located(s: Sentence) -> list:
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
