"""CC-NUM-001 number-mismatch."""
from __future__ import annotations

from checker.facts.labels import count_label
from checker.models import Mention, Severity
from checker.rules.base import CompareContext, Comparison, Rule
from checker.units import Measure, convert, measures_agree, text_after_unit, unit_of

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
    dotted_name = "number.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "Two values for one count, amount, share or rank"

    kinds = ("number",)

    def measure(self, a: Mention) -> str:
        return count_label(a)

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        qa, qb = a.value, b.value
        if qa.unit != qb.unit:
            return None
        ua, ub = _unit(a, ctx), _unit(b, ctx)
        if ua and ub and ua != ub:
            # a length told in miles and in kilometres (a quake's distance, a storm's rain): one
            # figure converted, agreeing within the rounding of the figures written. A unit word on
            # one side only is left to the counted noun ("two yards" may be shipyards)
            ok = measures_agree(Measure(qa.lo, qa.hi, ua), Measure(qb.lo, qb.hi, ub))
            if ok is None:
                return None  # a length against a weight: two things
            lo, hi = convert(qa.lo, qa.hi, ua, ub) or (qa.lo, qa.hi)
            why = f"{qa.display} {ua} is {_fmt(lo)}{'' if hi == lo else '–' + _fmt(hi)} {ub}, against {qb.display} {ub}"
            if ok:
                return Comparison("agree", qa.display, qb.display, why + ": the same measure in two units.")
            return Comparison("conflict", qa.display, qb.display, why + ": the measures differ once converted.",
                              f"Two values for {a.key or b.key}: {qa.display} {ua} and {qb.display} {ub}")
        if qa.compatible(qb):
            return Comparison("agree", qa.display, qb.display, "the ranges overlap")
        what = a.key or b.key or "value"
        expl = (f"{qa.display!s} ({_fmt(qa.lo)}{'' if qa.hi == qa.lo else '–' + _fmt(qa.hi)}) against "
                f"{qb.display!s} ({_fmt(qb.lo)}{'' if qb.hi == qb.lo else '–' + _fmt(qb.hi)})"
                f" for {what}: the ranges do not overlap.")
        da, db = ctx.documents[a.doc].published, ctx.documents[b.doc].published
        if da and db and da != db:
            later, earlier = (a, b) if da > db else (b, a)
            late = later.value.stated or (later.value.lo, later.value.hi)
            early = earlier.value.stated or (earlier.value.lo, earlier.value.hi)
            running = a.key in _RUNNING_TOTALS or b.key in _RUNNING_TOTALS or \
                bool(later.anchor is not None and later.anchor.cues)
            if running and late[0] > early[1]:
                return Comparison("update", qa.display, qb.display,
                                  expl + " The later article's figure is larger: an update, not a conflict.",
                                  f"Updated figure for {what}: {earlier.value.display} then {later.value.display}")
        now_a = a.anchor.cues & _NOW if a.anchor is not None else frozenset()
        now_b = b.anchor.cues & _NOW if b.anchor is not None else frozenset()
        # "still" or "now" on one side only: the state at a later moment; the same cue on both
        # ("is currently offered for $100" / "for $90") is one moment told two ways
        if now_a != now_b:
            return Comparison("update", qa.display, qb.display,
                              expl + " One figure is the state at a later moment (\"still\", \"now\").",
                              f"Figures for {what} at two moments: {qa.display} and {qb.display}")
        return Comparison("conflict", qa.display, qb.display, expl,
                          f"Two values for {what}: {qa.display} and {qb.display}")


def _unit(m: Mention, ctx: CompareContext) -> str | None:
    """The physical unit (as pint names it) a figure is read in, from its key or unit word."""
    sentence = ctx.sentences.get((m.doc, m.sentence))
    after = text_after_unit(sentence.text, m.end - sentence.start) if sentence is not None else ""
    return unit_of(m.key, m.value.unit, after)


_NOW = frozenset({"still", "now", "currently", "as of", "remain", "remained", "by then", "so far"})
