"""CC-DUR-001 duration-mismatch."""
from __future__ import annotations

from checker.facts.labels import fact_label
from checker.models import Mention, Severity
from checker.rules.base import CompareContext, Comparison, Rule

UNIT_TOLERANCE = 0.999  # a length this close below a whole unit is told in that unit (float rounding)


def human(days: float) -> str:
    if days == float("inf"):
        return "unbounded"
    for unit, size in (("years", 365.25), ("months", 30.44), ("weeks", 7), ("days", 1), ("hours", 1 / 24),
                       ("minutes", 1 / 1440)):
        if days >= size * UNIT_TOLERANCE:
            return f"{days / size:g} {unit}"
    return f"{days * 86400:g} seconds"


class DurationMismatch(Rule):
    """Two lengths for one event: "two-day talks" against "three days of talks".

    Bounds are honoured: "more than three hours" admits three and a half.

    **Conflict**: "Mayor Maria Lopez began two-day talks in Chicago." / "Mayor Maria Lopez began
    three days of talks in Chicago."

    **Agreement**: "talks lasting more than three hours" / "the three-and-a-half hours of talks"
    """

    code = "CC-DUR-001"
    name = "duration-mismatch"
    dotted_name = "duration.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "Two lengths for one event"

    kinds = ("duration",)

    def measure(self, a: Mention) -> str:
        return f"duration of the {a.key}" if a.key else fact_label("duration", a)

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        qa, qb = a.value, b.value
        if qa.compatible(qb):
            return Comparison("agree", qa.display, qb.display, "the ranges overlap")
        expl = (f"\"{qa.display}\" is {human(qa.lo)}" + (f" to {human(qa.hi)}" if qa.hi != qa.lo else "")
                + f"; \"{qb.display}\" is {human(qb.lo)}" + (f" to {human(qb.hi)}" if qb.hi != qb.lo else "")
                + f"; of {a.key or b.key or 'one event'}: the ranges do not overlap.")
        return Comparison("conflict", qa.display, qb.display, expl,
                          f"Two durations for the {a.key or b.key or 'event'}: {qa.display} and {qb.display}")
