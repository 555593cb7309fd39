"""CC-TITLE-001 title-mismatch."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from checker.extract.mentions import DESCRIBED
from checker.facts.link import same_day
from checker.facts.roles import SHARED_ROLES
from checker.facts.story_links import LONE_PERSON_TITLE, PERSON_TITLE
from checker.models import Mention, Severity
from checker.rules.base import Agreement, Candidate, CompareContext, Comparison, Rule, distinct_claims

# courtesy titles and forms of address: they name no post ("Mr Adams" and "Sinn Fein leader Gerry
# Adams" are one man, not two posts)
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "lord", "lady", "madam", "madame",
                        "mme", "mlle", "monsieur", "herr", "frau", "senor", "senora", "dr", "doctor", "rev",
                        "reverend", "hon", "honourable", "honorable"})

MAX_EVIDENCE = 24


def undecided(a: Mention, b: Mention) -> bool:
    """A post told in lower case, in apposition or before a name ("Paul Hendry, the arresting officer",
    "Bend's fire chief", "deputy returning officer Mark Hebden"), may be a description as much as a title: it contradicts only a title of the same rank
    that another word makes another post ("deputy general secretary" / "general secretary"); its
    other words are too loose to set against a formal title's."""
    if DESCRIBED not in (a.note, b.note) or a.value.compatible(b.value):
        return False
    return a.value.head != b.value.head or a.value.modifiers == b.value.modifiers


def is_post(m: Mention) -> bool:
    """A title that names a post: not a form of address ("Mr", "Sir", "Dr"), whatever words the
    extraction took before it ("but Sir John")."""
    words = [w.strip(".,;:").lower() for w in m.value.raw.split()]
    return bool(words) and words[-1] not in HONORIFICS and m.value.head.lower() not in HONORIFICS


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


_CONNECTORS = {"of", "the", "and", "for", "on", "to", "&"}


def _formal(m: Mention) -> bool:
    """A title as a title is written: no function word opens it, and no lower-case word comes before
    a capitalised one. Otherwise words of the sentence were read into it ("protest names
    President", "now Secretary", "But General"); a post told in lower case ("deputy general
    secretary", "Port union general secretary") is compared on its own terms (see `undecided`)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = m.value.raw.split()
    if m.note == DESCRIBED or not words:
        return True
    if not words[0].isupper() and words[0].lower() in STOP_WORDS:
        return False  # a sentence's first word before the title ("But General Kelly")
    capitals = [i for i, w in enumerate(words) if w[:1].isupper()]
    last = capitals[-1] if capitals else -1
    return all(w[:1].isupper() or not w[:1].isalpha() or w in _CONNECTORS for w in words[:last])


def _verdict(a: Mention, b: Mention) -> str:
    """A conflict when the same rank noun is given another rank or field ("Deputy Director" /
    "Director", "Police Chief" / "Fire Chief"), or two rank nouns two fields; else a note (see
    TitleMismatch.compare)."""
    x, y = a.value, b.value
    if not (_formal(a) and _formal(b)):
        return "note"  # words of the sentence read into the title ("impeachment of President")
    other_field = bool(x.domain and y.domain and not x.domain & y.domain)
    if x.head != y.head and (x.head in SHARED_ROLES or y.head in SHARED_ROLES):
        return "note"  # "White House Spokesman" / "Press Secretary": a function and a post
    if x.head != y.head:
        # "Foreign Secretary" / "Foreign Minister": two words for one post of one field; "Foreign
        # Minister" / "Secretary of State": two posts of two fields
        return "conflict" if other_field else "note"
    return "conflict" if x.modifiers != y.modifiers or other_field else "note"


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
        if undecided(a, b) or not (is_post(a) and is_post(b)):
            return None
        if a.value.compatible(b.value):
            return Comparison("agree", a.value.raw, b.value.raw, f"one post: {a.value.post()}")
        # "Deputy Director" against "Director": one word makes it another post of the same line, a
        # real contradiction. Two different post nouns ("Foreign Secretary" / "Foreign Minister",
        # "CEO" / "founder", "spokesman" / "communications manager") are, on published news, most
        # often two names of one post or two posts held at once: a note for a reader, not an alarm.
        return Comparison(_verdict(a, b), a.value.raw, b.value.raw,
                          f"{a.value.post()} is not {b.value.post()}",
                          f"{a.key} has two titles: \"{a.value.raw}\" and \"{b.value.raw}\"")

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate | Agreement]:
        by_person: dict[tuple[int, str], list[Mention]] = defaultdict(list)
        for m in distinct_claims(ctx.all_mentions("title")):
            if m.key and " " in m.key and is_post(m):  # a full name: a lone surname may be anyone's
                by_person[(ctx.story(m.doc), m.key)].append(m)  # one name in two stories: two people
        holders: dict[tuple[int, str, frozenset[str]], set[str]] = defaultdict(set)
        for (story, person), ms in by_person.items():
            for m in ms:
                holders[(story, m.value.head, m.value.domain)].add(person)
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
                who = holders.get((story, v.head, v.domain), set()) - {person}
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
                    items[:MAX_EVIDENCE], ctx.link(first, same_moment[0], PERSON_TITLE if others else LONE_PERSON_TITLE),
                    _verdict(first, groups[0][0]), fact=f"title of {person}")
