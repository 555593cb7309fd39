"""CC-AGE-001 age-mismatch."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Iterator

from checker.facts.story_links import PERSON_AGE
from checker.models import Mention, Severity
from checker.rules.base import Agreement, Candidate, CompareContext, Comparison, Rule, distinct_claims



def age_years(value) -> float:
    """An age in whole years, whether written in years or (for infants) in days."""
    return round(value.lo / 365.25) if value.unit == "day" else value.lo


def by_reference(ctx: CompareContext, m: Mention) -> bool:
    """The age is told as a noun ("the 12-year-old") whose sentence does not write its person's name
    in full, or writes it only as an owner ("Hooper's classroom")."""
    s = ctx.sentence_of(m)
    rel = m.start - s.start
    if not s.text[max(0, rel - 4):rel].lower().endswith("the "):
        return False
    surname = m.key.split()[-1] if m.key else ""
    at = s.text.find(surname) if surname else -1
    return at < 0 or s.text[at + len(surname):at + len(surname) + 2] in ("'s", "’s")


class AgeMismatch(Rule):
    """Two ages for one person.

    Ages are compared by person across the whole corpus, whatever the sentences say otherwise. A
    difference of one year between articles published in different years may be a birthday and is
    reported at info.

    **Conflict**: "The farmer, 67-year-old Robert Hayes, is missing in Oregon." / "Robert Hayes, 65,
    has been missing since Monday."

    **Agreement**: "48-year-old Peter Walsh is on trial for fraud." / "Peter Walsh, 48, was arrested
    in 2021."
    """

    code = "CC-AGE-001"
    name = "age-mismatch"
    dotted_name = "age.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "Two ages for one person"
    kinds = ("age",)

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate | Agreement]:
        by_person: dict[tuple[int, str], list[Mention]] = defaultdict(list)
        for m in distinct_claims(ctx.all_mentions("age")):
            if m.key:  # one name in two stories may be two people
                by_person[(ctx.story(m.doc), m.key)].append(m)
        for (_, person), ms in sorted(by_person.items()):
            if person.startswith("the "):
                # "the driver": one person only across sources that each give that role one age
                per_doc: dict[str, list[Mention]] = defaultdict(list)
                for m in ms:
                    per_doc[m.doc].append(m)
                ms = [x[0] for x in per_doc.values() if len({m.value.lo for m in x}) == 1]
            for ma, mb in combinations(sorted(ms, key=lambda m: (m.doc, m.start)), 2):
                if person.startswith("the ") and ma.doc == mb.doc:
                    continue
                result = self.compare(ma, mb, ctx)
                if result.verdict == "agree":
                    yield Agreement(f"age of {person}", (ma, result.a_label), (mb, result.b_label))
                    continue
                yield self.candidate(ctx, result.message, result.explanation,
                                     [(ma, result.a_label), (mb, result.b_label)],
                                     ctx.link(ma, mb, PERSON_AGE), result.verdict, fact=f"age of {person}")

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison:
        ya, yb = age_years(a.value), age_years(b.value)
        la, lb = f"{ya:g}", f"{yb:g}"
        if ya == yb:
            return Comparison("agree", la, lb, f"{a.key} is {la} in both")
        da, db = ctx.documents[a.doc].published, ctx.documents[b.doc].published
        why = (f"{a.key} is {la} (\"{a.text}\", {ctx.published_label(a.doc)}) against"
               f" {lb} (\"{b.text}\", {ctx.published_label(b.doc)}).")
        if abs(ya - yb) == 1 and da and db and da.year != db.year:
            return Comparison("approximate", la, lb, why + " The articles were published in different years:"
                              " perhaps a birthday.", f"Two ages for {a.key}: {la} and {lb}")
        if by_reference(ctx, a) or by_reference(ctx, b):
            # "the 12-year-old walked into Hooper's classroom": whose age "the N-year-old" is comes
            # from the names around it, a guess that another person of the story may upset
            return Comparison("note", la, lb, why + " One age is told as \"the N-year-old\" and bound to"
                              " the person named nearby.", f"Two ages for {a.key}: {la} and {lb}")
        return Comparison("conflict", la, lb, why, f"Two ages for {a.key}: {la} and {lb}")
