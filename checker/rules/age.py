"""CC-AGE-001 age-mismatch."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterable

from checker.models import Finding, Mention, Severity
from checker.rules.base import CompareContext, Rule


def age_years(value) -> float:
    """An age in whole years, whether written in years or (for infants) in days."""
    return round(value.lo / 365.25) if value.unit == "day" else value.lo


class AgeMismatch(Rule):
    """Two ages for one person.

    Ages are compared by person across the whole corpus, whatever the sentences say otherwise. A
    difference of one year between articles published in different years may be a birthday and is
    reported at info.

    **Conflict**: "The pastor, 67-year-old David Lin, is held in China." / "David Lin, 65, has been
    held since 2006."

    **Agreement**: "48-year-old Mark Swidan is on death row." / "Mark Swidan, 48, was jailed in 2012."
    """

    code = "CC-AGE-001"
    name = "age-mismatch"
    severity = Severity.WARNING
    summary = "Two ages for one person"

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        by_person: dict[tuple[int, str], list[Mention]] = defaultdict(list)
        for m in ctx.all_mentions("age"):
            if m.key:  # one name in two stories may be two people
                by_person[(ctx.story(m.doc), m.key)].append(m)
        for (_, person), ms in sorted(by_person.items()):
            for ma, mb in combinations(sorted(ms, key=lambda m: (m.doc, m.start)), 2):
                ya, yb = age_years(ma.value), age_years(mb.value)
                if ya == yb:
                    continue
                da, db = ctx.documents[ma.doc].published, ctx.documents[mb.doc].published
                severity = None
                note = ""
                if abs(ya - yb) == 1 and da and db and da.year != db.year:
                    severity, note = Severity.INFO, " The articles were published in different years: perhaps a birthday."
                yield self.finding(ctx, f"Two ages for {person}: {ya:g} and {yb:g}",
                                   f"{person} is {ya:g} (\"{ma.text}\", {ctx.published_label(ma.doc)}) against"
                                   f" {yb:g} (\"{mb.text}\", {ctx.published_label(mb.doc)}).{note}",
                                   [(ma, f"{ya:g}"), (mb, f"{yb:g}")], 0.85, severity=severity,
                                   fact=f"age of {person}")
