"""CC-NAME-002 name-variant."""
from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Iterator

from checker.facts.copies import near_copy
from checker.facts.story_links import NAME_VARIANT, NOTED_NAME_VARIANT
from checker.models import Mention, Severity
from checker.rules.base import Candidate, CompareContext, Comparison, Rule, distinct_claims

from checker.extract.people import fold, name_variant, name_words as _words, proper_part, word_variant  # noqa: F401 (re-exported)

MIN_BODY_WORD = 5  # letters a body's differing word shares at its start with the other's ("Offic-")
BODY_WORD_SIMILARITY = 0.88  # Jaro-Winkler of two forms of one stem in a body's name
LONE_SURNAME_LETTERS = 5  # a lone word shorter than this is too common a spelling to be one surname's
# the labels under which the small model files a lone surname it does not know as a person
LONE_NAME_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})


class NameVariant(Rule):
    """One person's name spelled two ways.

    Two full names that differ in one word, where the two spellings sound alike and are close
    ("Klinefelter" / "Kleinfelter", "Youssef" / "Yusuf"), are one person's name spelled two ways
    when the context shows one person: the same title or role word beside both, the same age,
    sentences that are copies of each other, or a shared first name or surname that no one else in
    either report has. Without such context the finding is a note (info). A lone surname spelled
    otherwise than a full name of the story, and a body's name written two ways one word apart, are
    notes too.
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
        by_sound: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for name in sorted(first):
            # block on how the other words sound: the one differing word may be any of them
            # (and on the last two capitalised words: one outlet gives more of a name than another)
            whole = [fold(w) for w in _words(name)]
            for words in (whole, [fold(w) for w in proper_part(_words(name))][-2:]):
                for i in range(len(words)):
                    key = (*(jellyfish.metaphone(w) for j, w in enumerate(words) if j != i), f"#{i}/{len(words)}")
                    if name not in by_sound[key]:
                        by_sound[key].append(name)
            # ("Joseph Van Wert" / "Joseph VanWert": a surname in two words or one)
            proper = [fold(w) for w in proper_part(_words(name))]
            for key in {(proper[0], "".join(proper[-2:])), (proper[0], proper[-1])} if len(proper) >= 2 else ():
                if name not in by_sound[key]:
                    by_sound[key].append(name)
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
                    # the reader sees which outlet spells it which way: each other report's first use
                    others = [(m, name) for name, ms in ((a, first[a]), (b, first[b]))
                              for m in _first_per_report(ms) if m.doc not in (ma.doc, mb.doc)]
                    yield self.candidate(ctx, result.message, result.explanation, [(ma, a), (mb, b), *others],
                                         ctx.link(ma, mb, NAME_VARIANT if result.verdict == "conflict" else NOTED_NAME_VARIANT),
                                         result.verdict, fact=f"name of {a}")
        yield from self._lone_surnames(ctx, first)
        yield from self._bodies(ctx)

    def _bodies(self, ctx: CompareContext) -> Iterator[Candidate]:
        """A body's name written two ways by two reports, one word apart and that word spelled alike
        ("University of Tolouse", "Federal Police Officials Association" / "... Officers ..."): a
        note, since two bodies may differ by one word. Not when a report writes both."""
        by_rest: dict[tuple[str, ...], list[str]] = defaultdict(list)
        where: dict[str, list[Mention]] = defaultdict(list)
        for m in ctx.all_mentions("org"):
            name = _body_name(m.value)
            if m.key == "ORG" and len(proper_part(_words(name))) >= 2:
                where[name].append(m)
        for name in sorted(where):
            words = [fold(w) for w in proper_part(_words(name))]
            for i in range(len(words)):
                by_rest[(*words[:i], "#", *words[i + 1:])].append(name)
        seen: set[tuple[str, str]] = set()
        for names in by_rest.values():
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    differ = [(x, y) for x, y in zip(proper_part(_words(a)), proper_part(_words(b))) if fold(x) != fold(y)]
                    if (a, b) in seen or len(differ) != 1 or not _worded_alike(*differ[0]):
                        continue
                    seen.add((a, b))
                    ma, mb = _in_two_reports(where[a], where[b])
                    if mb is None or {m.doc for m in where[a]} & {m.doc for m in where[b]}:
                        continue  # one report writes both: two bodies, or a report's own slip
                    yield self.candidate(
                        ctx, f"One name written two ways: {a} and {b}",
                        f"\"{a}\" and \"{b}\" differ only in \"{differ[0][0]}\" / \"{differ[0][1]}\";"
                        " nothing but the name shows whether they are one body.",
                        [(ma, a), (mb, b)], ctx.link(ma, mb, NOTED_NAME_VARIANT), "note",
                        fact=f"name of {a}")

    def _lone_surnames(self, ctx: CompareContext, full: dict[str, list[Mention]]) -> Iterator[Candidate]:
        """A surname written alone and spelled otherwise than the full name the story gives ("Sanago"
        beside "Amadou Sanogo"): a note, since a lone word may be someone else. The small model
        often takes such a word for a place or a body; a place the gazetteer knows is left alone."""
        import jellyfish
        from checker.extract.geo import lookup_place

        by_surname: dict[str, list[str]] = defaultdict(list)
        known_words: set[str] = set()
        for name in full:
            proper = proper_part(_words(name))
            known_words |= {fold(w) for w in proper}
            if len(proper) >= 2:  # blocked on sound, and on the first letters for slips that change it
                for key in {jellyfish.metaphone(fold(proper[-1])), fold(proper[-1])[:3]}:
                    by_surname[key].append(name)
        lone: dict[str, list[Mention]] = defaultdict(list)
        for m in ctx.all_mentions("person"):
            lone[m.value].append(m)
        for m in ctx.all_mentions("org"):
            if m.key in LONE_NAME_LABELS:
                lone[m.value].append(m)
        for word, ms in sorted(lone.items()):
            if len(_words(word)) != 1 or not word.isalpha() or not word[:1].isupper() or \
                    len(word) < LONE_SURNAME_LETTERS or fold(word) in known_words or lookup_place(word) is not None:
                continue
            for name in sorted(set(by_surname.get(jellyfish.metaphone(fold(word)), [])) |
                               set(by_surname.get(fold(word)[:3], []))):
                if not word_variant(word, proper_part(_words(name))[-1]):
                    continue
                ma, mb = _in_two_reports(ms, full[name])
                if mb is None:
                    continue
                yield self.candidate(
                    ctx, f"One name spelled two ways: {word} and {name}",
                    f"\"{word}\", written alone, and the surname of \"{name}\" differ by a few letters and"
                    f" sound alike; nothing but the name shows whether they are one person.",
                    [(ma, word), (mb, name)], ctx.link(ma, mb, NOTED_NAME_VARIANT), "note",
                    fact=f"name of {name}")

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        """Two mentions of people: one name spelled two ways is a conflict when the context shows one
        person (a shared role or age, copies of one sentence), else a note; None when the names are
        not variants of each other."""
        if a.value == b.value:
            return Comparison("agree", a.value, b.value, "the same name")
        spellings = name_variant(a.value, b.value)
        if spellings is None or _bare(spellings[0]) == _bare(spellings[1]) or _body(a.value) or _body(b.value):
            return None  # "Al Franken:" is "Al Franken"; "National Cancer Insitute" names no person
        why = _same_context(ctx, a, b)
        slip = keyboard_slip(spellings[0], spellings[1])
        expl = (f"\"{a.value}\" and \"{b.value}\" differ only in \"{spellings[0]}\" / \"{spellings[1]}\","
                f" which sound alike and differ by a few letters.")
        expl += f" Both are {why}: one person." if why else \
            " Nothing in the context shows whether they are one person."
        if why and not slip:
            expl += " The two spellings differ as transliterations and spelling conventions do (a letter" \
                    " for another, a doubled letter, an added h), not as a slip of the keyboard."
        # without a shared role, age or sentence, two spellings may be two people; two spellings
        # that transliterate one name ("Morsi" / "Mursi", "Gaddafi" / "Gadhafi") are both right
        return Comparison("conflict" if why and slip else "note", a.value, b.value, expl,
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


def _body_name(text: str) -> str:
    """A body's name without "the" before it or a possessive's tail ("the University of Lyon's
    Anne Roy" → "University of Lyon")."""
    name = re.split(r"[’']s\b", text)[0]
    return re.sub(r"^[Tt]he\s+", "", name).strip()


def _worded_alike(x: str, y: str) -> bool:
    """Two spellings of one word, or two forms of one stem ("Officials" / "Officers")."""
    import jellyfish

    fx, fy = fold(x), fold(y)
    if fx[:1] != fy[:1] or min(len(fx), len(fy)) < MIN_BODY_WORD or fx in fy or fy in fx:
        return False  # (one word inside the other gives more of the name: "Washington-Seattle")
    if word_variant(x, y):
        return True
    return len(os.path.commonprefix([fx, fy])) >= MIN_BODY_WORD and jellyfish.jaro_winkler_similarity(fx, fy) >= BODY_WORD_SIMILARITY


def _in_two_reports(ms_a: list[Mention], ms_b: list[Mention]) -> tuple[Mention, Mention | None]:
    """The first mention of one spelling, and the first of the other in another report (None if none)."""
    ma = min(ms_a, key=lambda m: (m.doc, m.start))
    return ma, min((m for m in ms_b if m.doc != ma.doc), key=lambda m: (m.doc, m.start), default=None)


def _first_per_report(mentions: list[Mention]) -> list[Mention]:
    """The first mention of each report, in report order."""
    first: dict[str, Mention] = {}
    for m in sorted(mentions, key=lambda m: (m.doc, m.start)):
        first.setdefault(m.doc, m)
    return list(first.values())


# nouns that make a name a body's, not a person's (a reading may take "Cancer Institute" for a person)
BODY_NOUNS = frozenset({"institute", "university", "college", "department", "council", "committee", "agency",
                        "association", "center", "centre", "hospital", "school", "company", "corporation",
                        "foundation", "society", "ministry", "bureau", "office", "court", "party", "union",
                        "bank", "museum", "journal", "group", "commission", "authority", "service", "board",
                        "reserve", "park", "station", "airport", "stadium", "festival"})


def _body(name: str) -> bool:
    return any(_bare(w) in BODY_NOUNS for w in name.split())


def _bare(word: str) -> str:
    return fold(word).strip(".,;:!?'\"’()")


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# the letters around each key of a QWERTY keyboard (left, right, and the rows above and below)
_NEIGHBOURS = {c: "".join({r[j] for k, r in enumerate(_ROWS) if abs(k - i) <= 1
                           for j in range(max(0, p - 1), min(len(r), p + 2))} - {c})
               for i, row in enumerate(_ROWS) for p, c in enumerate(row)}


def keyboard_slip(x: str, y: str) -> bool:
    """Whether two spellings differ as a typing slip does: two adjacent letters swapped, a key struck
    for its neighbour ("Alvarez" / "Alvares"), or one letter dropped or added that is not a doubled
    letter or an h ("Barack" / "Barak"). A letter for another ("Morsi" / "Mursi", "Hisham" / "Hesham"), a doubled
    letter ("Alison" / "Allison", "Mohamed" / "Mohammed") and an added h ("Gadafi" / "Gadhafi")
    are how transliterations and spelling conventions differ: both spellings are in use."""
    a, b = _bare(x), _bare(y)
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:  # a key struck for its neighbour ("Alvarez" / "Alvares")
            return b[diff[0]] in _NEIGHBOURS.get(a[diff[0]], "")
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if abs(len(a) - len(b)) != 1:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    for i, c in enumerate(long):
        if long[:i] + long[i + 1:] == short:
            doubled = (i > 0 and long[i - 1] == c) or (i + 1 < len(long) and long[i + 1] == c)
            return not doubled and c != "h"
    return False


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
