"""CC-NAME-002 name-variant."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from checker.facts.copies import near_copy
from checker.models import Mention, Severity
from checker.rules.base import Candidate, CompareContext, Comparison, Rule, distinct_claims

from checker.extract.people import fold, name_variant, name_words as _words  # noqa: F401 (re-exported)

VARIANT_LINK = 0.8  # the confidence that two spellings in conflict name one person
NOTED_VARIANT_LINK = 0.4  # ... and two spellings only noted (info): a weaker claim of one person


class NameVariant(Rule):
    """One person's name spelled two ways.

    Two full names that differ in one word, where the two spellings sound alike and are close
    ("Klinefelter" / "Kleinfelter", "Youssef" / "Yusuf"), are one person's name spelled two ways
    when the context shows one person: the same title or role word beside both, the same age,
    sentences that are copies of each other, or a shared first name or surname that no one else in
    either report has. Without such context the finding is a note (info).
    Accents alone ("Michał Wiśniewski" / "Michal Wisniewski") are not a difference.

    **Conflict**: "Fire Chief Daniel Okonkwo said the blaze was under control." / "Fire Chief Daniel
    Okonkow said crews would stay overnight."

    **Agreement**: "Zoë Martínez, the club's treasurer, resigned." / "Zoe Martinez, the club's
    treasurer, said she would step down."
    """

    code = "CC-NAME-002"
    name = "name-variant"
    dotted_name = "name.variant"
    status = "preview"
    severity = Severity.WARNING
    summary = "One person's name spelled two ways"
    kinds = ("person",)

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate]:
        import jellyfish

        first: dict[str, list[Mention]] = defaultdict(list)
        for m in distinct_claims(ctx.all_mentions("person")):
            if len(_words(m.value)) >= 2 and ctx.sentence_of(m).role != "correction":
                first[m.value].append(m)
        by_sound: dict[str, list[str]] = defaultdict(list)
        for name in sorted(first):
            # block on how the other words sound: the one differing word may be any of them
            words = [fold(w) for w in _words(name)]
            for i in range(len(words)):
                by_sound[" ".join(jellyfish.metaphone(w) for j, w in enumerate(words) if j != i) + f"#{i}"].append(name)
        seen: set[tuple[str, str]] = set()
        for names in by_sound.values():
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    if (a, b) in seen:
                        continue
                    seen.add((a, b))
                    if name_variant(a, b) is None:
                        continue
                    ma, mb = self._evidence(ctx, first[a], first[b])
                    result = self.compare(ma, mb, ctx)
                    if result is None or result.verdict == "agree":
                        continue
                    yield self.candidate(ctx, result.message, result.explanation, [(ma, a), (mb, b)],
                                         ctx.link(ma, mb, VARIANT_LINK if result.verdict == "conflict" else NOTED_VARIANT_LINK, "person"),
                                         result.verdict, fact=f"name of {a}")

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        """Two mentions of people: one name spelled two ways is a conflict when the context shows one
        person (a shared role or age, copies of one sentence), else a note; None when the names are
        not variants of each other."""
        if a.value == b.value:
            return Comparison("agree", a.value, b.value, "the same name")
        spellings = name_variant(a.value, b.value)
        if spellings is None:
            return None
        why = _same_context(ctx, a, b)
        expl = (f"\"{a.value}\" and \"{b.value}\" differ only in \"{spellings[0]}\" / \"{spellings[1]}\","
                f" which sound alike and differ by a few letters.")
        expl += f" Both are {why}: one person." if why else \
            " Nothing in the context shows whether they are one person."
        # without a shared role, age or sentence, two spellings may be two people: a note
        return Comparison("conflict" if why else "note", a.value, b.value, expl,
                          f"One name spelled two ways: {a.value} and {b.value}")

    def _evidence(self, ctx: CompareContext, ms_a: list[Mention], ms_b: list[Mention]
                  ) -> tuple[Mention, Mention]:
        """The two mentions that best show one person."""
        best = None
        for ma in ms_a:
            for mb in ms_b:
                why = _same_context(ctx, ma, mb)
                score = (bool(why), ma.doc != mb.doc)
                if best is None or score > best[0]:
                    best = (score, ma, mb, why)
        return best[1], best[2]


def _same_context(ctx: CompareContext, a: Mention, b: Mention) -> str:
    roles_a, roles_b = _roles_near(ctx, a), _roles_near(ctx, b)
    shared = roles_a & roles_b
    if shared:
        return f"called {sorted(shared)[0]}"
    ages_a = {x.value.lo for x in ctx.of(ctx.sentence_of(a), "age") if x.key == a.value}
    ages_b = {x.value.lo for x in ctx.of(ctx.sentence_of(b), "age") if x.key == b.value}
    if ages_a & ages_b:
        return f"aged {min(ages_a & ages_b):g}"
    if near_copy(ctx.sentence_of(a).text, ctx.sentence_of(b).text):
        return "named in copies of one sentence"
    if a.doc != b.doc:
        shared_words = [w for w in _words(a.value) if fold(w) in {fold(x) for x in _words(b.value)}]
        if shared_words and all(_only_one_named(ctx, m.doc, shared_words) for m in (a, b)):
            # "Alan Kerrigan" in one report, "Allan Kerrigan" in the other, and no other Kerrigan in
            # either: the story's one Kerrigan
            return f"the only person named {' '.join(shared_words)} in their report"
    return ""


def _only_one_named(ctx: CompareContext, doc: str, words: list[str]) -> bool:
    """Exactly one of the document's people has every one of these words in their name."""
    wanted = {fold(w) for w in words}
    holders = [name for name in ctx.people_of(doc) if wanted <= {fold(w) for w in _words(name)}]
    return len(holders) == 1


def _roles_near(ctx: CompareContext, m: Mention) -> set[str]:
    """Title and role words within a few words of a name ("the regional prefect, X", "Judge X")."""
    from checker.extract.people import title_words

    s = ctx.sentence_of(m)
    before = s.text[max(0, m.start - s.start - 40):m.start - s.start].lower().split()[-4:]
    after = s.text[m.end - s.start:m.end - s.start + 40].lower().split()[:5]
    words = {w.strip(",.’'s:;()") for w in before + after}
    return {w for w in words if w in title_words() and len(w) > 3 and w not in ("said", "says")}
