"""CC-PERIOD-001 period-mismatch."""
from __future__ import annotations

from datetime import date
from typing import Iterator

from checker.values import Period
from checker.facts.copies import slot_aligned
from checker.facts.story_links import NEAR_PERIOD_SCOPE, PERIOD_SCOPE
from checker.models import Mention, Severity
from checker.rules.base import Agreement, Candidate, CompareContext, Comparison, Rule

ROUNDING_YEARS = 0.5  # a stated number of years may round the elapsed time by this much either way
AGREE_YEARS = 0.25  # ... and agrees outright when it is this close to the midpoint's elapsed years
CONFLICT_YEARS = 0.75  # a period this far from the elapsed years conflicts; nearer, it is approximate
SHOWN_SPAN_YEARS = 0.1  # a start date as uncertain as this is explained as a range of elapsed years
LOOSE_SIMILARITY = 0.5  # two "first ... since" claims need sentences at least this close (cosine)

_FUNCTION = {"the", "a", "an", "to", "of", "in", "by", "for", "and", "is", "was", "be", "he", "she",
             "his", "her", "its", "their", "that", "this", "on", "at", "as"}


def _years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


def _midpoint(lo: date, hi: date) -> date:
    return lo + (hi - lo) / 2


def _content(scope: str) -> set[str]:
    return {w for w in scope.split() if w not in _FUNCTION and len(w) > 2}


def describe_period(p: Period, m: Mention) -> str:
    if p.start is not None:
        return f'since {p.start.label()} ("{m.text}")'
    return f'{p.years:g} years before {p.published.isoformat() if p.published else "publication"} ("{m.text}")'


def compare_periods(a: Period, b: Period) -> tuple[str, str] | None:
    """("agree" | "approximate" | "conflict", arithmetic), or None when they cannot be compared."""
    if a.start is not None and b.start is not None:
        if a.start.overlaps(b.start):
            return "agree", "the start dates overlap"
        return "conflict", f"{a.start.label()} is not {b.start.label()}"
    if a.start is None and b.start is None:
        if a.years is None or b.years is None or a.years == b.years:
            return None if a.years is None or b.years is None else ("agree", "same number of years")
        if a.published and b.published and abs((a.published - b.published).days) < 180:
            return "conflict", f"{a.years:g} years against {b.years:g} years"
        return None
    since, span = (a, b) if a.start is not None else (b, a)
    end = span.published or since.published
    if end is None or span.years is None:
        return None
    lo, hi = since.start.candidates[0]
    elapsed = _years_between(_midpoint(lo, hi), end)
    shortest, longest = _years_between(hi, end), _years_between(lo, end)
    arithmetic = (f"from {since.start.label()} to {end.isoformat()} is {_ym(shortest)}"
                  + (f" to {_ym(longest)}" if abs(longest - shortest) > SHOWN_SPAN_YEARS else "")
                  + f", against {span.years:g} years")
    if shortest - ROUNDING_YEARS <= span.years <= longest + ROUNDING_YEARS and abs(elapsed - span.years) < AGREE_YEARS:
        return "agree", arithmetic
    if round(elapsed) == round(span.years) or shortest - ROUNDING_YEARS <= span.years <= longest + ROUNDING_YEARS:
        return "approximate", arithmetic
    if abs(elapsed - span.years) >= CONFLICT_YEARS:
        return "conflict", arithmetic
    return "approximate", arithmetic


_ORDER = {"first", "last", "only"}
_RANK = {"top", "highest", "ranking", "senior", "most"}


def _degree(scope: str) -> str:
    """The kind of the first superlative word in the scope: "the first top diplomat" is an order."""
    for w in scope.split():
        if w in _ORDER:
            return "order"
        if w in _RANK:
            return "rank"
    return ""


def _ym(years: float) -> str:
    months = round(years * 12)
    y, m = divmod(months, 12)
    return f"{y} years {m} months" if m else f"{y} years"


def same_period_claim(ma: Mention, mb: Mention, similarity: float) -> set[str] | None:
    """The content words two period claims share when they are about one thing, else None.

    "The first ... since" and "the highest-ranking ... since" are two claims; otherwise two claims
    share two content words, or both say "first" in sentences at least loosely similar."""
    if _degree(ma.key) != _degree(mb.key):
        return None
    shared = _content(ma.key) & _content(mb.key)
    first_both = "first" in ma.key.split() and "first" in mb.key.split()
    if not (len(shared) >= 2 or (first_both and similarity >= LOOSE_SIMILARITY)):
        return None
    return shared


class PeriodMismatch(Rule):
    """'The first in N years' against 'the first since X', with the arithmetic.

    The period runs from X to each article's publication date. When it rounds to N years the claims
    agree, at most with an info note that one is approximate (October 2019 to June 2024 is 4 years 8
    months, "five years"); when it does not, they conflict.

    **Conflict**: "James Carter is the first British rider to win the race since 2017." (published
    2024-09-12) / "James Carter is the first British rider to win the race in five years."

    **Agreement**: "James Carter is the first British rider to win the race since 2019." (published
    2024-09-12) / "James Carter is the first British rider to win the race in five years."
    """

    code = "CC-PERIOD-001"
    name = "period-mismatch"
    dotted_name = "period.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "'In N years' against 'since X' that do not add up"
    kinds = ("since",)

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        result = compare_periods(a.value, b.value)
        if result is None:
            return None
        return Comparison(result[0], a.text, b.text, result[1])

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate | Agreement]:
        for pair, ma, mb in ctx.mention_pairs("since"):
            shared = same_period_claim(ma, mb, pair.similarity)
            if shared is None or slot_aligned(pair, ma, mb) is False:
                continue  # in copies of one sentence, only values in the same slot meet
            if pair.a.doc == pair.b.doc or ctx.sentence_of(ma).role not in ("body", "item") \
                    or ctx.sentence_of(mb).role not in ("body", "item"):
                continue  # within a page, two periods are two things
            result = compare_periods(ma.value, mb.value)
            if result is None:
                continue
            if result[0] == "agree":
                yield Agreement("period: " + " ".join(sorted(shared)), (ma, ma.text), (mb, mb.text))
                continue
            verdict, arithmetic = result
            label = "approximately agree" if verdict == "approximate" else "disagree"
            yield self.candidate(
                ctx, f"Periods {label}: {describe_period(ma.value, ma)} and {describe_period(mb.value, mb)}",
                f"{arithmetic}" + (": approximate, rounds to the stated figure." if verdict == "approximate"
                                   else ": the figures do not add up."),
                [(ma, ma.text), (mb, mb.text)], ctx.link(ma, mb, PERIOD_SCOPE if verdict == "conflict" else NEAR_PERIOD_SCOPE),
                verdict, fact="period: " + " ".join(sorted(shared)))
