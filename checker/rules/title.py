"""CC-TITLE-001 title-mismatch."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from checker.extract.mentions import DESCRIBED
from checker.facts.link import same_day
from checker.models import Mention, Severity
from checker.rules.base import Agreement, Candidate, CompareContext, Comparison, Rule, distinct_claims

TITLE_LINK = 0.8  # the confidence that two titles of one person at one moment are one fact
LONE_TITLE_LINK = 0.7  # ... when no other title of that person is told besides

MAX_EVIDENCE = 24


def undecided(a: Mention, b: Mention) -> bool:
    """A post told in lower case, in apposition or before a name ("Paul Hendry, the arresting officer",
    "Bend's fire chief", "deputy returning officer Mark Hebden"), may be a description as much as a title: it contradicts only a title of the same rank
    that another word makes another post ("deputy general secretary" / "general secretary"); its
    other words are too loose to set against a formal title's."""
    if DESCRIBED not in (a.note, b.note) or a.value.compatible(b.value):
        return False
    return a.value.head != b.value.head or a.value.modifiers == b.value.modifiers


def group_compatible(ms: list[Mention]) -> list[list[Mention]]:
    """Greedy clusters of mutually compatible titles."""
    groups: list[list[Mention]] = []
    for m in ms:
        for g in groups:
            if all(m.value.compatible(x.value) or undecided(m, x) for x in g):
                g.append(m)
                break
        else:
            groups.append([m])
    return groups


def _closeness(ctx: CompareContext, these: list[Mention], those: list[Mention]) -> float:
    """The highest similarity between the two sets of sentences: the source that tells the same
    moment with the other title is the one to show."""
    return max((ctx.similarity(ctx.sentence_of(x), ctx.sentence_of(y)) for x in these for y in those[:8]),
               default=0.0)


def _same_day(ctx: CompareContext, a: Mention, b: Mention) -> bool:
    """The two mentions' sentences date themselves on the same day."""
    return same_day(ctx, ctx.sentence_of(a), ctx.sentence_of(b))


class TitleMismatch(Rule):
    """One person given two different formal titles.

    Titles are the capitalised posts written before a name, and the posts told in lower case before
    it or in apposition to it ("the union's deputy general secretary, Koen Verstraete"). "EMS chief" and "EMS Director" are one
    post; "Defense Secretary" and "Secretary of Defense" too. Descriptions in lower case before a
    name ("top prosecutor", "senior housing expert") and posts in apposition are compared only with a
    post of the same rank that a word such as "deputy" makes another post (they may describe as much
    as name).

    **Conflict**: "Police Chief Maria Lopez arrived in Lyon." / "Fire Chief Maria Lopez arrived in
    Lyon."

    **Agreement**: "EMS chief James Carter traveled to Canada." / "EMS Director James Carter traveled
    to Ottawa."
    """

    code = "CC-TITLE-001"
    name = "title-mismatch"
    dotted_name = "title.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "One person given two different titles"
    kinds = ("title",)

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        if undecided(a, b):
            return None
        if a.value.compatible(b.value):
            return Comparison("agree", a.value.raw, b.value.raw, f"one post: {a.value.post()}")
        return Comparison("conflict", a.value.raw, b.value.raw, f"{a.value.post()} is not {b.value.post()}",
                          f"{a.key} has two titles: \"{a.value.raw}\" and \"{b.value.raw}\"")

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate | Agreement]:
        by_person: dict[tuple[int, str], list[Mention]] = defaultdict(list)
        for m in distinct_claims(ctx.all_mentions("title")):
            if m.key and " " in m.key:  # a full name: a lone surname may be anyone's
                by_person[(ctx.story(m.doc), m.key)].append(m)  # one name in two stories: two people
        holders: dict[str, set[str]] = defaultdict(set)
        for (story, person), ms in by_person.items():
            for m in ms:
                holders[f"{story}|{m.value.head}|{' '.join(sorted(m.value.domain))}"].add(person)
        for (story, person), ms in sorted(by_person.items()):
            groups = group_compatible(sorted(ms, key=lambda m: (m.doc, m.start)))
            for g in groups:  # one post, told by several: the facts table and claims show it
                for x, y in zip(g, g[1:]):
                    if x.doc != y.doc:
                        yield Agreement(f"title of {person}", (x, x.value.raw), (y, y.value.raw))
            if len(groups) < 2:
                continue
            groups.sort(key=lambda g: -len({m.doc for m in g}))
            parts = []
            for g in groups:
                docs = sorted({m.doc for m in g})
                parts.append(f"\"{g[0].value.raw}\" (post: {g[0].value.post()}; {len(g)} mention(s) in {', '.join(docs)})")
            others = []
            for g in groups[1:]:
                v = g[0].value
                who = holders.get(f"{story}|{v.head}|{' '.join(sorted(v.domain))}", set()) - {person}
                if who:
                    others.append(f"\"{v.raw}\" is also the title given to {', '.join(sorted(who))}")
            # One finding per minority title: its mentions, set against the source that uses the main
            # title most (every source is named in the explanation).
            main_by_doc: dict[str, list[Mention]] = defaultdict(list)
            for m in groups[0]:
                main_by_doc[m.doc].append(m)
            for g in groups[1:]:
                docs_here = {m.doc for m in g}
                other = [d for d in main_by_doc if d not in docs_here] or list(main_by_doc)
                # the sources that tell the same moment with the main title (a sentence dated as the
                # minority title's), else the closest one: who says what of that moment
                first = g[0]
                same_moment = [
                    min((m for m in main_by_doc[d] if _same_day(ctx, first, m)),
                        key=lambda m: (ctx.sentence_of(m).role != "body", -_closeness(ctx, [first], [m])))
                    for d in sorted(other) if any(_same_day(ctx, first, m) for m in main_by_doc[d])]
                if not same_moment:
                    best_doc = max(sorted(other), key=lambda d: (_closeness(ctx, g, main_by_doc[d]), len(main_by_doc[d])))
                    same_moment = main_by_doc[best_doc][:1]
                items = [(m, m.value.raw) for m in g] + [(m, m.value.raw) for m in same_moment]
                yield self.candidate(
                    ctx, f"{person} has two titles: \"{g[0].value.raw}\" and \"{groups[0][0].value.raw}\"",
                    f"{person} is called " + "; and ".join(parts) + ". These name different posts."
                    + (" " + "; ".join(others) + "." if others else ""),
                    items[:MAX_EVIDENCE], ctx.link(first, same_moment[0], TITLE_LINK if others else LONE_TITLE_LINK, "person"),
                    fact=f"title of {person}")
