"""CC-SUPER-001 superlative-subject."""
from __future__ import annotations

from typing import Iterator

from checker.facts.story_links import SUPERLATIVE_HOLDERS
from checker.models import Mention, Severity
from checker.rules.base import Agreement, Candidate, CompareContext, Comparison, Rule, distinct_claims

SCOPE_OVERLAP = 0.35  # share of the scope's words two superlatives must have in common to be one

_FUNCTION = {"to", "the", "a", "an", "of", "in", "since", "be", "have", "make", "and", "us", "u.s."}


def _scope_words(m: Mention) -> set[str]:
    return {w for w in m.value.scope.split() if w not in _FUNCTION and len(w) > 2}


def _same_name(a: str, b: str) -> bool:
    ta, tb = set(a.split()), set(b.split())
    return ta <= tb or tb <= ta


def _distinct_people(names) -> list[str]:
    """One name per person: "Dubois" and "Pierre Dubois" are one, the longer kept."""
    out: list[str] = []
    for n in sorted(set(names), key=lambda x: -len(x)):
        if not any(_same_name(n, o) for o in out):
            out.append(n)
    return sorted(out)


def _with_subject(m: Mention, subject: str) -> Mention:
    from dataclasses import replace

    return replace(m, value=replace(m.value, subject=subject))


class SuperlativeSubject(Rule):
    """One superlative claimed of two people.

    "The highest-ranking official to visit since X" can be true of one person only. Superlatives of
    the same degree (rank: top, highest-ranking, most senior; order: first, last, only) with the same
    scope are compared; pronoun subjects ("She remains ...") take the person named just before.

    **Conflict**: "Sophie Laurent remains the top French official to visit Canada since Moreau became
    prime minister." / "Pierre Dubois is the highest-ranking French official to visit Canada since
    Prime Minister Moreau took office."

    **Agreement**: "Dubois is the first French foreign minister to visit Ottawa since 2018." / "Dubois
    is the first top French diplomat to visit Canada in five years."
    """

    code = "CC-SUPER-001"
    name = "superlative-subject"
    dotted_name = "superlative.subject"
    status = "stable"
    severity = Severity.WARNING
    summary = "One superlative claimed of two people"
    kinds = ("superlative",)

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        """Two superlatives of one degree and scope in one story: said of two people, a conflict;
        of one, an agreement; None when they are two superlatives."""
        if ctx.story(a.doc) != ctx.story(b.doc) or not _one_superlative(a, b):
            return None
        sa, sb = a.value.subject, b.value.subject
        if _same_name(sa, sb):
            return Comparison("agree", sa, sb, f"both said of {sa}")
        return Comparison("conflict", sa, sb, f"\"{a.text}\" of {sa} and \"{b.text}\" of {sb}",
                          f"One superlative claimed of two people: {sa} and {sb}")

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate | Agreement]:
        ms = sorted(distinct_claims(ctx.all_mentions("superlative")), key=lambda m: (ctx.story(m.doc), m.doc, m.start))
        used: set[int] = set()
        for i, m in enumerate(ms):
            if i in used:
                continue
            group = [m]
            for j in range(i + 1, len(ms)):
                o = ms[j]
                if ctx.story(o.doc) != ctx.story(m.doc):
                    break  # sorted by story: the rest of this story's claims are behind us
                if _one_superlative(m, o):
                    group.append(o)
                    used.add(j)
            subjects = _distinct_people(g.value.subject for g in group)
            if len(subjects) < 2:
                for x, y in zip(group, group[1:]):  # one superlative of one person, told twice
                    if x.doc != y.doc:
                        yield Agreement(f"superlative: {m.text}", (x, x.value.subject), (y, y.value.subject))
                continue
            for g in group:
                g_subject = next(s for s in subjects if _same_name(s, g.value.subject))
                if g_subject != g.value.subject:
                    group[group.index(g)] = _with_subject(g, g_subject)
            items = [(g, g.value.subject) for g in sorted(group, key=lambda g: (g.value.subject, g.doc))]
            claims = "; ".join(f"{s}: " + ", ".join(sorted({g.doc for g in group if g.value.subject == s}))
                               for s in subjects)
            # the link the finding rests on: the first two people's claims
            first, second = items[0][0], next(g for g, who in items if who != items[0][1])
            result = self.compare(first, second, ctx)
            if result is None or result.verdict != "conflict":
                continue
            yield self.candidate(
                ctx, f"\"{m.text.split()[0]} ...\" claimed of {len(subjects)} people: {', '.join(subjects)}",
                f"The same superlative ({m.value.degree}: \"{m.text}\") is said of " + " and of ".join(subjects)
                + f" ({claims}); it can hold of one person only.",
                items, ctx.link(first, second, SUPERLATIVE_HOLDERS), fact=f"superlative: {m.text}")


def _one_superlative(a: Mention, b: Mention) -> bool:
    """One degree ("first", "highest-ranking") of one scope: most words of what it is said over
    are shared ("the first French foreign minister to visit Ottawa since 2018")."""
    if a.value.degree != b.value.degree:
        return False
    shared = _scope_words(a) & _scope_words(b)
    union = _scope_words(a) | _scope_words(b)
    return len(shared) >= 3 and len(shared) / max(1, len(union)) >= SCOPE_OVERLAP
