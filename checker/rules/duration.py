"""CC-DUR-001 duration-mismatch."""
from __future__ import annotations

from typing import Iterable

from checker.models import Finding, Severity
from checker.rules.base import CompareContext, Rule
from checker.rules.matching import participants_agree, places_disagree, same_thing


def human(days: float) -> str:
    if days == float("inf"):
        return "unbounded"
    for unit, size in (("years", 365.25), ("months", 30.44), ("weeks", 7), ("days", 1), ("hours", 1 / 24),
                       ("minutes", 1 / 1440)):
        if days >= size * 0.999:
            return f"{days / size:g} {unit}"
    return f"{days * 86400:g} seconds"


def _same_span_of_time(ctx: CompareContext, pair) -> float | None:
    """"Two-day talks" and "three days of meetings": the nouns differ, but one visit's length told
    in the same unit by sentences about the same people is one measure. A half-hour meeting within
    a two-day visit is told in another unit, and is not compared."""
    if pair.similarity >= 0.6 and pair.shared_people and participants_agree(ctx, pair.a, pair.b) \
            and not places_disagree(ctx, pair.a, pair.b):
        return 0.55
    return None


class DurationMismatch(Rule):
    """Two lengths for one event: "two-day talks" against "three days of talks".

    Bounds are honoured: "more than three hours" admits three and a half.

    **Conflict**: "Blinken began two-day talks in Beijing." / "Blinken began three days of talks
    in Beijing."

    **Agreement**: "talks lasting more than three hours" / "the three-and-a-half hours of talks"
    """

    code = "CC-DUR-001"
    name = "duration-mismatch"
    severity = Severity.WARNING
    summary = "Two lengths for one event"

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        for pair, ma, mb in ctx.mention_pairs("duration"):
            qa, qb = ma.value, mb.value
            conf = same_thing(ctx, pair, ma, mb, keyed=True)
            if conf is None and ma.note == mb.note and ma.key != mb.key:
                conf = _same_span_of_time(ctx, pair)
            if conf is None:
                continue
            if qa.compatible(qb):
                ctx.note_agreement(f"duration of {ma.key}", ma, qa.display, mb, qb.display)
                continue
            expl = (f"\"{qa.display}\" is {human(qa.lo)}" + (f" to {human(qa.hi)}" if qa.hi != qa.lo else "")
                    + f"; \"{qb.display}\" is {human(qb.lo)}" + (f" to {human(qb.hi)}" if qb.hi != qb.lo else "")
                    + f"; of {ma.key}: the ranges do not overlap.")
            yield self.finding(ctx, f"Two durations for the {ma.key}: {qa.display} and {qb.display}",
                               expl, [(ma, qa.display), (mb, qb.display)], conf,
                               fact=f"duration of {ma.key}")
