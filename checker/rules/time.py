"""CC-TIME-001 time-mismatch."""
from __future__ import annotations

import re

from checker.facts.labels import fact_label
from checker.models import Mention, Severity
from checker.rules.base import CompareContext, Comparison, Rule


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class TimeMismatch(Rule):
    """Two clock times for one event.

    **Conflict**: "The train leaves at 6:55 pm." / "The train leaves at 8:55 pm."

    **Agreement**: "The meeting began at 4:30 p.m." / "The meeting began at 4:30 pm local time."
    """

    code = "CC-TIME-001"
    name = "time-mismatch"
    dotted_name = "time.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "Two clock times for one event"

    kinds = ("time",)

    def measure(self, a: Mention) -> str:
        return fact_label("time", a)

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        la, lb = _clock(a.value), _clock(b.value)
        diff = abs(a.value - b.value)
        if diff == 0 or diff % 720 == 0:
            return Comparison("agree", la, lb, f"{la} and {lb}: the same time.")
        za, zb = _zone(ctx, a), _zone(ctx, b)
        if za != zb and diff % ZONE_STEP_MINUTES == 0:
            # "2:30 p.m. local time" / "6:30 p.m. GMT": two clocks, maybe one moment; the offset is
            # not in the text to convert by
            return None
        approx = _approximate(ctx, a) or _approximate(ctx, b)
        why = f"{la} (\"{a.text}\") against {lb} (\"{b.text}\"): {diff // 60} h {diff % 60} min apart"
        if approx and diff <= APPROXIMATE_MINUTES:
            return Comparison("approximate", la, lb, why + ", within what \"about\" allows.",
                              f"Times approximately agree: {a.text} and {b.text}")
        return Comparison("conflict", la, lb, why + ".", f"Two times for {_what(a)}: {a.text} and {b.text}")


APPROXIMATE_MINUTES = 15  # "about 5:45" and "5:50" are one time told loosely
_LOOSE = re.compile(r"(?:about|around|approximately|roughly|nearly|almost|shortly (?:after|before)|"
                    r"just (?:after|before)|some time (?:after|before)|before|after)\s*$", re.I)


def _approximate(ctx: CompareContext, m: Mention) -> bool:
    s = ctx.sentence_of(m)
    return bool(_LOOSE.search(s.text[max(0, m.start - s.start - 30):m.start - s.start]))


ZONE_STEP_MINUTES = 30  # time zones differ by whole or half hours
ZONE_REACH = 16  # characters after a clock time searched for its zone ("... p.m. local time")
_ZONE = re.compile(r"\b(local time|local|GMT|UTC|Z|[ECMPA][SD]?T|BST|CES?T|EES?T|WES?T|IST|JST|KST|AES?T|HKT|SGT|MSK)\b")


def _zone(ctx: CompareContext, m: Mention) -> str:
    """The zone a clock time is told in, as written ("GMT", "ET"); "local" when it says none (a
    report tells the time where the thing happened unless it says otherwise)."""
    s = ctx.sentence_of(m)
    found = _ZONE.search(s.text[m.start - s.start:m.end - s.start + ZONE_REACH])
    return "local" if not found or found.group(1).startswith("local") else found.group(1)


def _what(m: Mention) -> str:
    a = m.anchor
    if a is None:
        return "one event"
    words = sorted(a.subject) or ([a.nominal] if a.nominal else [])
    return " ".join(words[:2] + ([a.verb] if a.verb else [])) or "one event"
