"""CC-DATE-001 date-mismatch."""
from __future__ import annotations

from checker.values import WEEKDAYS, DateValue
from checker.facts.labels import fact_label
from checker.models import Mention, Severity, StatedDate
from checker.rules.base import CompareContext, Comparison, Rule


def stated(m: Mention) -> tuple[int | None, int | None, int | None, int | None]:
    """(year, month, day, weekday) as the date was written; all None when nothing was recorded."""
    s = m.stated or StatedDate()
    return s.year, s.month, s.day, s.weekday


def _offset(m: Mention) -> tuple[int, str] | None:
    return m.stated.offset if m.stated is not None else None


def describe(ctx: CompareContext, m: Mention) -> str:
    v: DateValue = m.value
    origin = ctx.published_label(m.doc)
    return f'{v.label()} (from "{m.text}", {origin})'


def compare_dates(a: Mention, b: Mention) -> tuple[bool, str] | None:
    """(conflict?, arithmetic) for two date mentions, or None when they cannot be compared."""
    va, vb = a.value, b.value
    if va.resolved and vb.resolved:
        if va.overlaps(vb):
            return False, "the dates overlap"
        gap = va.gap_days(vb)
        why = f"{gap} day{'s' if gap != 1 else ''} apart"
        if gap == 1:
            why += ", perhaps a time-zone difference"
        return True, why
    ya, ma, da, wa = stated(a)
    yb, mb, db, wb = stated(b)
    oa, ob = _offset(a), _offset(b)
    if oa and ob:
        (na, ua), (nb, ub) = oa, ob
        if ua == ub and na != nb:
            return True, f"{na} {ua}s ago is not {nb} {ub}s ago"
        return None
    if wa is None and va.resolved and va.granularity == "day" and len(va.candidates) == 1:
        wa = va.candidates[0][0].weekday()
    if wb is None and vb.resolved and vb.granularity == "day" and len(vb.candidates) == 1:
        wb = vb.candidates[0][0].weekday()
    if wa is not None and wb is not None and (not va.resolved or not vb.resolved):
        if wa != wb:
            return True, f"{WEEKDAYS[wa]} is not {WEEKDAYS[wb]}"
        return False, "same weekday"
    if ma and mb and (ya is None or yb is None or ya == yb):
        if ma != mb:
            return True, "different months"
        if da and db and da != db:
            return True, "different days of the month"
        return False, "same month"
    return None


def _span_days(m: Mention) -> int:
    v = m.value
    return max((hi - lo).days for lo, hi in v.candidates) if v.candidates else 0


def event_dates(ctx: CompareContext, sentence) -> list[Mention]:
    """The sentence's dates, less those that open a period ("since 2018"): a period's start is
    compared by CC-PERIOD-001, not as the date of the sentence's event."""
    periods = [m for m in ctx.of(sentence, "since") if m.value.start is not None]
    return [m for m in ctx.of(sentence, "date")
            if not any(p.start <= m.start and m.end <= p.end for p in periods)]


class DateMismatch(Rule):
    """Two dates or weekdays for one event.

    Relative expressions are resolved against each article's publication date first, so "Tuesday
    night" in an article published on Sunday 10 March 2024 is Tuesday 5 March; a coarser date that
    contains a finer one agrees with it.

    **Conflict**: "Tuesday night, Mayor Ana Ortiz spoke by phone with Governor Tom Reyes about the
    flood relief money." (published 2024-03-10) / "Governor Tom Reyes said in a phone call with Mayor
    Ana Ortiz on Wednesday that the state would pay for the repairs." (published 2024-03-07)

    **Agreement**: "The bridge reopened in 2021." / "The bridge reopened in March 2021."
    """

    code = "CC-DATE-001"
    name = "date-mismatch"
    dotted_name = "date.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "Two dates or weekdays for one event"

    kinds = ("date",)

    def measure(self, a: Mention) -> str:
        return fact_label("date", a)

    def specificity(self, m: Mention) -> float:
        return float(_span_days(m))

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        if _in_period(ctx, a) or _in_period(ctx, b):
            return None  # a period's start is compared by CC-PERIOD-001
        if (a.value.granularity == "relative" or b.value.granularity == "relative") and \
                not (_offset(a) and _offset(b)):
            return None
        result = compare_dates(a, b)
        if result is None:
            return None
        la, lb = a.value.label(), b.value.label()
        if not result[0]:
            return Comparison("agree", la, lb, result[1])
        return Comparison("conflict", la, lb, f"{describe(ctx, a)} against {describe(ctx, b)}: {result[1]}.",
                          f"Two dates for one event: {la} and {lb}")


def _in_period(ctx: CompareContext, m: Mention) -> bool:
    return any(p.value.start is not None and p.start <= m.start and m.end <= p.end
               for p in ctx.of(ctx.sentence_of(m), "since"))
