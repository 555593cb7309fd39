"""CC-NUM-001 number-mismatch."""
from __future__ import annotations

from typing import Iterable

from checker.models import Finding, Severity
from checker.rules.base import CompareContext, Rule
from checker.rules.matching import same_thing

# Counts that running news revises upwards as it learns more: a later, larger figure is an update.
_RUNNING_TOTALS = {"death", "dead", "toll", "casualty", "victim", "injured", "injury", "case", "people",
                   "person", "arrest", "missing", "evacuee", "displaced", "infection", "fatality",
                   "body", "wounded", "killed"}


def _fmt(x: float) -> str:
    if x in (float("inf"), float("-inf")):
        return "no upper bound"
    return f"{x:,.0f}" if x == int(x) and abs(x) < 1e15 else f"{x:,.4g}"


class NumberMismatch(Rule):
    """Two values for one count, amount, share or rank.

    Values are keyed on what they measure (the noun they count, their unit), so the same number
    attached to different things is never compared. A later article's larger running total (a death
    toll) is reported as an update at info.

    **Conflict**: "The company raised its dividend to $0.13 per share." / "The company raised its
    dividend to $0.10 per share."

    **Agreement**: "Some 100 people were working inside." / "Some 100 people were injured."
    """

    code = "CC-NUM-001"
    name = "number-mismatch"
    severity = Severity.WARNING
    summary = "Two values for one count, amount, share or rank"

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        for pair, ma, mb in ctx.mention_pairs("number"):
            qa, qb = ma.value, mb.value
            if qa.unit != qb.unit:
                continue
            conf = same_thing(ctx, pair, ma, mb, keyed=True)
            if conf is None:
                continue
            if qa.compatible(qb):
                ctx.note_agreement(f"number of {ma.key or 'value'}", ma, qa.display, mb, qb.display)
                continue
            severity = None
            note = ""
            da, db = ctx.documents[ma.doc].published, ctx.documents[mb.doc].published
            if da and db and da != db and (ma.key in _RUNNING_TOTALS or mb.key in _RUNNING_TOTALS):
                later, earlier = (ma, mb) if da > db else (mb, ma)
                late = later.value.stated or (later.value.lo, later.value.hi)
                early = earlier.value.stated or (earlier.value.lo, earlier.value.hi)
                if late[0] > early[1]:
                    severity, note = Severity.INFO, " The later article's figure is larger: an update, not a conflict."
            what = ma.key or "value"
            expl = (f"{qa.display!s} ({_fmt(qa.lo)}{'' if qa.hi == qa.lo else '–' + _fmt(qa.hi)}) against "
                    f"{qb.display!s} ({_fmt(qb.lo)}{'' if qb.hi == qb.lo else '–' + _fmt(qb.hi)})"
                    f" for {what}: the ranges do not overlap.{note}")
            yield self.finding(ctx, f"Two values for {what}: {qa.display} and {qb.display}", expl,
                               [(ma, qa.display), (mb, qb.display)], conf, severity=severity,
                               fact=f"number of {what}")
