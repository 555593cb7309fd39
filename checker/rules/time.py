"""CC-TIME-001 time-mismatch."""
from __future__ import annotations

from typing import Iterable

from checker.models import Finding, Severity
from checker.rules.base import CompareContext, Rule
from checker.rules.matching import same_thing


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class TimeMismatch(Rule):
    """Two clock times for one event.

    **Conflict**: "The train leaves at 6:55 pm." / "The train leaves at 8:55 pm."

    **Agreement**: "The meeting began at 4:30 p.m." / "The meeting began at 4:30 pm local time."
    """

    code = "CC-TIME-001"
    name = "time-mismatch"
    severity = Severity.WARNING
    summary = "Two clock times for one event"

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        for pair, ma, mb in ctx.mention_pairs("time"):
            if ma.value == mb.value or (ma.value - mb.value) % 720 == 0:
                continue
            conf = same_thing(ctx, pair, ma, mb)
            if conf is None:
                continue
            diff = abs(ma.value - mb.value)
            yield self.finding(
                ctx, f"Two times for one event: {ma.text} and {mb.text}",
                f"{_clock(ma.value)} (\"{ma.text}\") against {_clock(mb.value)} (\"{mb.text}\"):"
                f" {diff // 60} h {diff % 60} min apart.",
                [(ma, _clock(ma.value)), (mb, _clock(mb.value))], conf)
