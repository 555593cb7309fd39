"""CC-DATE-001 date-mismatch."""
from __future__ import annotations

from typing import Iterable

from checker.extract.values import WEEKDAYS, DateValue
from checker.models import Finding, Mention, Severity
from checker.rules.base import CompareContext, Rule
from checker.rules.matching import same_thing


def stated(m: Mention) -> tuple[int | None, ...]:
    parts = ((m.note or "") + "||||").split("|")
    return tuple(int(p) if p else None for p in parts[:4])


def _offset(m: Mention) -> tuple[int, str] | None:
    parts = (m.note or "").split("|")
    if len(parts) > 4 and parts[4]:
        n, unit = parts[4].split()
        return int(n), unit
    return None


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


def _has_match(ctx: CompareContext, pair, m: Mention, others: list[Mention]) -> bool:
    """True when another date of the other sentence, linked to m as well and no coarser, agrees
    with it: "Thursday" finds no counterpart in "earlier this month"."""
    return any((r := compare_dates(m, o)) is not None and not r[0] and _span_days(o) <= _span_days(m)
               and same_thing(ctx, pair, m, o) is not None for o in others)


def event_dates(ctx: CompareContext, sentence) -> list[Mention]:
    """The sentence's dates, less those that open a period ("since 2018"): a period's start is
    compared by CC-PERIOD-001, not as the date of the sentence's event."""
    periods = [m for m in ctx.of(sentence, "since") if m.value.start is not None]
    return [m for m in ctx.of(sentence, "date")
            if not any(p.start <= m.start and m.end <= p.end for p in periods)]


def _measure(pair) -> str:
    return "date of: " + (" ".join(sorted(pair.shared_people | pair.shared_events)) or pair.a.text[:60])


class DateMismatch(Rule):
    """Two dates or weekdays for one event.

    Relative expressions are resolved against each article's publication date first, so "Tuesday
    night" in an article published on Sunday 18 June 2023 is Tuesday 13 June; a coarser date that
    contains a finer one agrees with it.

    **Conflict**: "Tuesday night, Blinken spoke by phone with Qin Gang." (published 2023-06-18) /
    "Qin Gang said in a phone call with Blinken on Wednesday." (published 2023-06-14)

    **Agreement**: "Biden took office in 2021." / "Biden took office in January 2021."
    """

    code = "CC-DATE-001"
    name = "date-mismatch"
    severity = Severity.WARNING
    summary = "Two dates or weekdays for one event"

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        for pair in ctx.pairs:
            for ma in event_dates(ctx, pair.a):
                for mb in event_dates(ctx, pair.b):
                    if (ma.value.granularity == "relative" or mb.value.granularity == "relative") and \
                            not (_offset(ma) and _offset(mb)):
                        continue
                    conf = same_thing(ctx, pair, ma, mb)
                    if conf is None:
                        continue
                    result = compare_dates(ma, mb)
                    if result is None:
                        continue
                    if not result[0]:
                        ctx.note_agreement(_measure(pair), ma, ma.value.label(), mb, mb.value.label())
                        continue
                    if _has_match(ctx, pair, ma, event_dates(ctx, pair.b)) or \
                            _has_match(ctx, pair, mb, event_dates(ctx, pair.a)):
                        continue  # a date the other sentence also gives is its counterpart
                    expl = f"{describe(ctx, ma)} against {describe(ctx, mb)}: {result[1]}."
                    yield self.finding(
                        ctx, f"Two dates for one event: {ma.value.label()} and {mb.value.label()}",
                        expl, [(ma, ma.value.label()), (mb, mb.value.label())], conf * 0.95,
                        fact=_measure(pair))
