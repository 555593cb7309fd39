"""CC-NAME-001 name-substitution."""
from __future__ import annotations

import re
from typing import Iterator

from checker.align.pairs import copy_alignment
from checker.facts.link import COPY_SIMILARITY, spelled_alike
from checker.extract.geo import lookup_place
from checker.facts.story_links import swapped_name
from checker.extract.people import strip_possessive, word_variant
from checker.models import Mention, Severity
from checker.rules.base import Candidate, CompareContext, Comparison, Rule


_PROPER = re.compile(r"\b[A-Z][\w’'&.-]*")
_PRONOUNS = {"It", "He", "She", "They", "We", "I", "You", "This", "That", "These", "Those", "The", "A",
             "An", "His", "Her", "Its", "Their", "Our", "My", "However", "But", "And", "In", "On", "At",
             "What", "Who", "Whom", "Whose", "Which", "Where", "When", "Why", "How", "With", "Ok", "Okay",
             "Yes", "No", "Says", "Said"}
ENTITY_KINDS = ("person", "place")  # what the words of a swapped name must be read as to alarm (a body's name is often reworded: "the Games" / "the Olympics")
MIN_RATIO = 0.55  # word-diff ratio above which two sentences are one wording with a name swapped
# an event's name is said many ways ("the Winter Games" / "the Winter Olympics", "the summit" / "the
# G20"): a swap of it in a copy is a rewording as often as not
REWORDED_LABELS = frozenset({"EVENT"})
WORK_LABELS = frozenset({"ORG", "FAC", "PRODUCT", "WORK_OF_ART"})  # bodies and works the small model mixes up with people
# the small model's label for a name it does not know is a guess among these: a body, a building or a
# work tagged two ways ("Anchor" FAC / "Anger" ORG) is one sort of thing, and so is a place tagged two
# ways ("the Americas" LOC / "the Soviet Union" GPE); a place against a body is not (a capital stands
# for its government: "Moscow" / "the Kremlin")
ONE_SORT_LABELS = (WORK_LABELS, frozenset({"GPE", "LOC", "place"}))
# what may stand between the words of one name: "Dragon Ball Z", "High Septon's", "Jean-Luc"
_ONE_NAME_GLUE = re.compile(r"[\s’'.-]*")
ATTRIBUTION_WORDS = 2  # words that may stand between a source's name and its saying verb ("NASA officials said")
_SAYS = r"(?:said|says|say|told|tells|reported|reports|announced|confirmed|stated|wrote|writes)"
# the name is who says it: "NASA said", "a NASA spokesman told", "told CNN", "according to the BBC",
# "said Reuters"; not a name the saying is about ("the company reported strong Q1 earnings")
_VERB_AFTER_NAME = re.compile(r"^[\s’'s,]*(?:[\w-]+\s+){0,%d}%s\b" % (ATTRIBUTION_WORDS, _SAYS), re.IGNORECASE)
_VERB_BEFORE_NAME = re.compile(r"\b(?:%s|according\s+to|quoted\s+by|cited\s+by|reported\s+by)\s+(?:the\s+|an?\s+)?$"
                          % _SAYS, re.IGNORECASE)


def _proper_words(text: str, at_sentence_start: bool) -> list[str]:
    words = _PROPER.findall(text)
    if at_sentence_start and words and text.startswith(words[0]):
        words = words[1:] if words[0] in _PRONOUNS else words
    return [w for w in words if w not in _PRONOUNS]


def _acronym_of(short: str, long: str) -> bool:
    letters = "".join(w[0] for w in re.findall(r"[A-Za-z]+", long) if w[0].isupper())
    core = re.sub(r"s$", "", short)
    return len(core) >= 2 and core.isupper() and letters.startswith(core)


def _shortened(short: str, long: str) -> bool:
    """One word cut short of the other, with or without its dot: "Gov." of "Governor"."""
    cut, whole = short.strip().rstrip(".").lower(), long.strip().lower()
    return len(cut) >= 2 and " " not in cut and " " not in whole and len(cut) < len(whole) and whole.startswith(cut)


def _capital_parts(name: str) -> set[str]:
    return {p for p in re.split(r"[\s-]+", name) if p[:1].isupper()}


def variants(a: str, b: str) -> bool:
    """True when two names can denote one thing: one contains the other, an acronym, nested places."""
    a, b = strip_possessive(a), strip_possessive(b)
    if _capital_parts(a) == _capital_parts(b):
        return True  # "P-make-like" / "P-generate-like": the names themselves are unchanged
    ta, tb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    if not ta or not tb or ta <= tb or tb <= ta:
        return True
    if _acronym_of(a.strip(), b) or _acronym_of(b.strip(), a):
        return True
    if _shortened(a, b) or _shortened(b, a):
        return True  # "Sen." / "Senator", "Gov" / "Governor"
    pa, pb = lookup_place(a.strip(" ,.")), lookup_place(b.strip(" ,."))
    return bool(pa and pb and pa.nests_with(pb))


class NameSubstitution(Rule):
    """A name swapped for another in otherwise identical wording.

    Two near-identical sentences (a word diff keeps most words) that put different proper names in
    the same slot say different things: "the Patriots" against "the Eagles". Variants of one name
    ("Carter" / "James Carter", "DNNs" / "Deep Neural Networks") and nested places are not flagged;
    titles, numbers and dates in the slot are left to their own rules.

    **Conflict**: "The workshop will be held in Warsaw." / "The workshop will be held in Krakow."

    **Agreement**: "Lopez met Carter in Vienna." / "Lopez met James Carter in Vienna."
    """

    code = "CC-NAME-001"
    name = "name-substitution"
    dotted_name = "name.substitution"
    status = "stable"
    severity = Severity.WARNING
    summary = "A name swapped for another in otherwise identical wording"
    kinds = ("person",)

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate]:
        for pair in ctx.pairs:
            if pair.similarity < COPY_SIMILARITY:
                continue
            al = copy_alignment(pair.a.text, pair.b.text, MIN_RATIO)
            if al is None:
                continue
            handled_a = [m for m in ctx.mentions.get((pair.a.doc, pair.a.index), [])
                         if m.kind in ("title", "date", "number", "duration", "age", "time")]
            handled_b = [m for m in ctx.mentions.get((pair.b.doc, pair.b.index), [])
                         if m.kind in ("title", "date", "number", "duration", "age", "time")]
            if pair.a.doc == pair.b.doc or _differ_elsewhere(pair, al):
                continue  # entries of a list ("X, 34, of Leeds, is charged ..."), not a swapped name
            for a0, a1, b0, b1 in al.replaced:
                if _covered(pair.a.start + a0, pair.a.start + a1, handled_a) or \
                        _covered(pair.b.start + b0, pair.b.start + b1, handled_b):
                    continue
                ta, tb = pair.a.text[a0:a1], pair.b.text[b0:b1]
                wa, wb = _proper_words(ta, a0 == 0), _proper_words(tb, b0 == 0)
                if not wa or not wb:
                    continue
                na, nb = " ".join(wa), " ".join(wb)
                if _kinds_differ(ctx, pair, a0, a1, b0, b1):
                    continue
                ma = _span_mention(pair.a, a0, a1, na)
                mb = _span_mention(pair.b, b0, b1, nb)
                result = self.compare(ma, mb, ctx)
                if result is None or result.verdict != "conflict":
                    continue
                # a swap of two names the reading knows (two people, two places) says
                # two things; a capitalised word it does not know as a name ("Games" / "Olympics",
                # "Colorectal" / "Colon"), or one name against a list of them or words around it
                # ("told NBC News" / "NASA said", "the producers X, Y and Z") is most often a
                # rewording: a note
                # (even as the only change of a copy: "the Winter Games" / "the Winter Olympics")
                verdict = "conflict" if _one_name(ta, wa) and _one_name(tb, wb) and (
                    (_entity(ctx, pair.a, a0, a1) and _entity(ctx, pair.b, b0, b1))
                    or _bodies_swapped(ctx, pair, (a0, a1, b0, b1), na, nb)) else "note"
                yield self.candidate(
                    ctx, result.message,
                    f"The sentences match word for word ({al.ratio:.0%} of their words) except that one says"
                    f" \"{ta}\" where the other says \"{tb}\"; " + result.explanation,
                    [(ma, na), (mb, nb)],
                    ctx.link(ma, mb, swapped_name(al.ratio)), verdict,
                    fact="name")

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        """Two names in the same slot of two copies of one sentence: a conflict unless they are
        variants of one name or name one person; None when they may be one person's."""
        na, nb = a.value, b.value
        if na == nb:
            return Comparison("agree", na, nb, "the same name")
        if variants(na, nb) or spelled_alike(na, nb) or _words_spelled_alike(na, nb) or _same_person(ctx, a, b):
            return None
        return Comparison("conflict", na, nb, "these names are not variants of each other.",
                          f"\"{na}\" in one text, \"{nb}\" in the other, in otherwise matching wording")


def _words_spelled_alike(a: str, b: str) -> bool:
    """Word for word the same name or one word's two spellings ("Muhammad" / "Mohammed"): a
    transliteration, which the name-variant rule notes, not another name."""
    wa, wb = strip_possessive(a).split(), strip_possessive(b).split()
    return len(wa) == len(wb) and all(x == y or word_variant(x, y) for x, y in zip(wa, wb))


def _differ_elsewhere(pair, al) -> bool:
    """Another stretch of the two sentences differs in a figure too: another entry of a list ("Ann
    Roe, 34, ... three counts" / "Bo Chen, 52, ... five counts") or another event told in the same
    template, not a name swapped in otherwise identical wording."""
    figures = [(a0, a1, b0, b1) for a0, a1, b0, b1 in al.replaced
               if _has_figure(pair.a.text[a0:a1] + " " + pair.b.text[b0:b1])]
    names = [r for r in al.replaced if _PROPER.search(pair.a.text[r[0]:r[1]]) and r not in figures]
    return bool(figures) and bool(names)


def _has_figure(text: str) -> bool:
    from checker.extract.numbers import words_to_number

    # "a" and "an" read as one, but "an episode" / "a transcript" is a reworded article, not a figure
    return any(ch.isdigit() for ch in text) or any(words_to_number(w) is not None
                                                   for w in re.findall(r"[A-Za-z]+", text)
                                                   if w.lower() not in ("a", "an"))


def _in_slot(ctx: CompareContext, sentence, s: int, e: int) -> list[Mention]:
    """The mentions the extraction read that overlap the slot [s, e) of the sentence."""
    lo, hi = sentence.start + s, sentence.start + e
    return [m for m in ctx.mentions.get((sentence.doc, sentence.index), []) if m.start < hi and lo < m.end]


def _kinds_differ(ctx: CompareContext, pair, a0: int, a1: int, b0: int, b1: int) -> bool:
    """A place in one slot and a person in the other is a rewording, not a swapped name."""
    def kinds(sentence, s: int, e: int) -> set[str]:
        return {m.kind for m in _in_slot(ctx, sentence, s, e) if m.kind in ("person", "place")}
    ka, kb = kinds(pair.a, a0, a1), kinds(pair.b, b0, b1)
    return bool(ka and kb and not ka & kb)


def _entity(ctx: CompareContext, sentence, s: int, e: int) -> bool:
    """The slot [s, e) of the sentence overlaps a person or a place the extraction read."""
    return any(m.kind in ENTITY_KINDS for m in _in_slot(ctx, sentence, s, e))


def _bodies_swapped(ctx: CompareContext, pair, slots: tuple[int, int, int, int], na: str, nb: str) -> bool:
    """Two bodies, groups or works of one sort swapped ("a report by Forbes" / "a report by
    Bloomberg", "Israeli carriers" / "Qatari carriers"): spaCy tags both slots alike. Not when a
    source writes the other's name too (both are in its story: "the Winter Games" beside "the
    Olympic committee", a county beside its state), nor when the name is whom a saying is
    attributed to ("told NBC News" / "NASA said": outlets credit different sources)."""
    a0, a1, b0, b1 = slots
    labels_a, labels_b = _org_labels(ctx, pair.a, a0, a1), _org_labels(ctx, pair.b, b0, b1)
    if REWORDED_LABELS & (labels_a | labels_b):
        return False
    tagged_a, tagged_b = _entity(ctx, pair.a, a0, a1) or bool(labels_a), _entity(ctx, pair.b, b0, b1) or bool(labels_b)
    if not labels_a & labels_b:
        # a name the model tagged against capitalised words it left untagged inside the sentence
        # ("the Patriots" / "the Eagles"), or two runs of capitals inside it that it tagged neither
        # ("the Gold plan" / "the Silver plan"); a capital opening a sentence or a quote is no name
        # and a person against a body or a work (the small model takes one unknown name for either:
        # "the anime Kaizen Road" / "the anime Ember Saga"); never a place (a capital stands for its
        # government: "Moscow" / "the Kremlin")
        mixed = tagged_a and tagged_b and (_person_against_work(ctx, pair, slots) or _one_sort(ctx, pair, slots))
        if not ((tagged_a != tagged_b or not tagged_a or mixed) and not _opens(pair.a.text, a0)
                and not _opens(pair.b.text, b0)):
            return False
    if _writes(ctx.documents[pair.a.doc].text, nb) or _writes(ctx.documents[pair.b.doc].text, na):
        return False
    return not (_attributed(pair.a.text, a0, a1) or _attributed(pair.b.text, b0, b1))


def _one_name(slot: str, words: list[str]) -> bool:
    """The proper words of a slot are one name, written in one run: "the Hubble" or "James Webb",
    not a list ("X, Y and Z") nor a name with words around it ("Byerly told NBC News")."""
    end = slot.find(words[0]) + len(words[0])
    for word in words[1:]:
        start = slot.find(word, end)
        if start < 0 or not _ONE_NAME_GLUE.fullmatch(slot[end:start]):
            return False
        end = start + len(word)
    return True


def _sorts(ctx: CompareContext, sentence, s: int, e: int) -> set[str]:
    """What the reading took the slot [s, e) for: person, place, or a body's entity label."""
    return {m.kind if m.kind != "org" else m.key for m in _in_slot(ctx, sentence, s, e)
            if m.kind in ("person", "place", "org")}


def _one_sort(ctx: CompareContext, pair, slots: tuple[int, int, int, int]) -> bool:
    """Both slots tagged, with other labels of one sort (see ONE_SORT_LABELS)."""
    a0, a1, b0, b1 = slots
    sa, sb = _sorts(ctx, pair.a, a0, a1), _sorts(ctx, pair.b, b0, b1)
    return bool(sa and sb) and any(sa | sb <= labels for labels in ONE_SORT_LABELS)


def _person_against_work(ctx: CompareContext, pair, slots: tuple[int, int, int, int]) -> bool:
    a0, a1, b0, b1 = slots
    sa, sb = _sorts(ctx, pair.a, a0, a1), _sorts(ctx, pair.b, b0, b1)
    return not (sa | sb) - ({"person"} | WORK_LABELS) and \
        ((sa == {"person"} and sb <= WORK_LABELS) or (sb == {"person"} and sa <= WORK_LABELS))


def _opens(text: str, s: int) -> bool:
    """The slot starts the sentence or a quotation, where any word is capitalised."""
    return not text[:s].strip(" \"'“‘([")


def _org_labels(ctx: CompareContext, sentence, s: int, e: int) -> set[str]:
    """The named-entity labels (ORG, NORP, PRODUCT ...) of the bodies read in the slot [s, e)."""
    return {m.key for m in _in_slot(ctx, sentence, s, e) if m.kind == "org"}


def _writes(text: str, name: str) -> bool:
    """The text writes each word of the name, as a word, somewhere."""
    return all(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text) for w in name.split())


def _attributed(text: str, s: int, e: int) -> bool:
    """The name in [s, e) is the source a saying is credited to."""
    return bool(_VERB_BEFORE_NAME.search(text[:s]) or _VERB_AFTER_NAME.match(text[e:]))


def _covered(start: int, end: int, handled: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in handled)


def _same_person(ctx: CompareContext, a: Mention, b: Mention) -> bool:
    """The two names are written as one person (resolved across the corpus) in their sentences."""
    pa = {m.value for m in ctx.of(ctx.sentence_of(a), "person") if m.text in a.value or a.value in m.text}
    pb = {m.value for m in ctx.of(ctx.sentence_of(b), "person") if m.text in b.value or b.value in m.text}
    return bool(pa & pb)


def _span_mention(sentence, s: int, e: int, value: str) -> Mention:
    return Mention(kind="name", doc=sentence.doc, sentence=sentence.index, start=sentence.start + s,
                   end=sentence.start + e, text=sentence.text[s:e], value=value)
