"""Which values are one fact: two claims linked when they say the same attribute of the same thing.

Linking is strict, and wording alone never links two values:
- **Copies.** Two near-identical sentences (wire copy and its rewrite) that put two values in the
  same slot, and name the same people: the values are one fact. A list entry that names another
  person ("Ann Roe, 34, of Leeds, is charged with ..." against "Bo Chen, 52, of Leeds, is charged
  with ...") is another thing, however alike the wording.
- **Anchors.** Otherwise each value carries what the parse says it is said of (its verb, the event
  noun around it, their subjects and objects, the person it belongs to: checker.extract.anchors).
  Two values are linked when they belong to no two different people, their verbs agree, and what
  they describe overlaps: two words of it, or one word and sentences close in meaning. "At a
  briefing" or "a spokesperson told reporters" names no one event, and links nothing; the date of
  a statement ("said on Monday") links only to the same speaker's same remarks.
- Values of one document are not linked with each other (but for ages and names, which the
  person-level rules compare): the entries of a list, a gallery or a live blog are distinct things,
  and a page that states a figure twice differently is rare next to one that gives two figures for
  two moments.

Linking is blocked on the words of the anchors, so its cost grows with the number of values, not
their square.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Hashable, Iterable, Iterator, Literal, TypeVar

from checker.align.pairs import SentencePair, copy_alignment
from checker.extract.anchors import REPORTING
from checker.facts.copies import NEAR_COPY, slot_aligned
from checker.facts.matching import participants_agree, places_disagree, same_person
from checker.models import Mention
from checker.values import DateValue, Place, Quantity

MAX_BLOCK = 60  # a word anchoring more values than this in a story says nothing of which fact
CLOSE_MEANING = 0.6  # sentences at least this close (cosine) confirm a single shared word
NEAR_PARAPHRASE = 0.75  # two nouns for one counted group need sentences this close
PARAPHRASE = 0.8  # sentences this close with one value each need no shared word beyond the verb
MAX_SOLE = 12  # values of one group in one report beyond which a report's values are not paired
SOLE_SIMILARITY = 0.3  # two reports' only counts of one noun, in sentences at least this close, are one count
LIKELY_SIMILARITY = 0.45  # two values of one group in sentences this close (cosine): a note
LIKELY_KINDS = ("number", "time", "date")  # kinds whose likely links are noted
COARSE_DATES = ("year", "season", "month")  # dates of a stretch of time, few in a story
CROWDED = 3  # values of one kind in one sentence from which linking one of them is a guess
REFERENT_WINDOW = 3  # sentences back in which a pronoun's person is looked for
STEM = 5  # "injury" and "injured", "evacuation" and "evacuate" meet on their first letters
COPY_SIMILARITY = 0.6  # sentences less close (cosine) than this are not word-diffed as copies
# The hand-set confidence of a link, by what it rests on (the calibration reads it as one feature;
# set by hand on the seeds and the news fixtures, not fitted):
COPY_LINK = 0.9  # two values in one slot of near-verbatim sentences
CLOSE_LINK = 0.8  # the same verb and shared nouns, in sentences close in meaning
ANCHOR_CEILING = 0.85  # the most two counts' shared nouns raise a link
ACTION_LINK = 0.7  # the same verb (or one named event) in sentences close in meaning
FIRM_LINK = 0.65  # two cues without closeness in meaning: verb and nouns, or one speaker's remarks
PLAIN_LINK = 0.6  # one cue that names the fact: the verb of a counted thing, two shared nouns
WEAK_LINK = 0.55  # one cue that names little: a paraphrase, one shared noun of an event
PER_NOUN = 0.05  # what each further shared noun adds to a count's link


T = TypeVar("T")

LinkHow = Literal["copy", "anchor", "person", "scope", "aligned", "sole"]


@dataclass(frozen=True, slots=True)
class LinkFeatures:
    """What the linker saw when it took two claims as one fact: the severity of a conflict and its
    calibrated confidence are read from these (checker.rules.base.assess), never from wording.

    shared_nouns: words of what the two values describe that both anchors hold (a shared owner counts
    as one). same_verb: both values hang on one verb. similarity: cosine of the two sentences.
    owner_shared: both values belong to one named person, or both sentences name the same person,
    or both say it of a pronoun that stands for the same person named just before.
    hedged: a value is stated with doubt ("about 40", "more than 300", a weekday the tense leaves
    open). reported: a value dates a statement ("said on Monday"), not the event.
    """

    shared_nouns: int = 0
    same_verb: bool = False
    similarity: float = 0.0
    owner_shared: bool = False
    hedged: bool = False
    reported: bool = False
    # unnamed: a value's sentence names no one and says its subject with a pronoun or a generic noun
    # ("His bond was set at $50,000", "the suspect was 34"): whose value it is comes from the text
    # before, and a copy of the template may speak of someone else. crowded: a sentence gives
    # CROWDED or more values of the kind (a list of rates, results, tolls by region), or gives the
    # value as one of two ("in July or August"), so which value stands for which is a guess.
    unnamed: bool = False
    crowded: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """Two claims linked as one fact, how they were linked, and the hand-set confidence of the rule
    that linked them (the calibration model reads it as one feature among the others).

    how: "copy" (near-verbatim sentences, the values in one slot), "anchor" (what the values are
    said of), "person" (values of one named person: age, title, spelling) or "scope" (one post or
    one superlative in a story); "aligned" only in `make calibrate`, for two values of aligned
    sentences that the linker did not link (the false candidates it keeps out).
    """

    a: Mention
    b: Mention
    confidence: float
    how: LinkHow
    features: LinkFeatures = field(default_factory=LinkFeatures)


def _stem(word: str) -> str:
    if word.endswith("ing") and len(word) > 6:
        word = word[:-3]  # "meeting" is "meet"
    return word[:STEM] if len(word) > STEM else word


def _meet(a: frozenset[str] | set[str], b: frozenset[str] | set[str]) -> set[str]:
    sb = {_stem(w) for w in b}
    return {w for w in a if _stem(w) in sb}


def verbs_agree(a, b) -> bool:
    """The anchors' verbs name one action, or one of them is silent, or one verb is the other's
    event noun ("suffered injuries" and "were injured")."""
    va, vb = a.verb.split()[0] if a.verb else "", b.verb.split()[0] if b.verb else ""
    if not va or not vb:
        return True
    if _stem(va) == _stem(vb):
        # "found liable" is not "found not guilty" nor "found stabbed": the complement names the action
        ca, cb = a.verb.split()[1:], b.verb.split()[1:]
        return not ca or not cb or ca == cb
    return bool(_meet({va}, b.core()) or _meet({vb}, a.core()))


def owners_agree(a, b) -> bool:
    return not a.owner or not b.owner or same_person(a.owner, b.owner)


class Linker:
    """Links the values of one kind in a story (a CompareContext) into facts."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx

    def links(self, kind: str) -> list[Link]:
        seen: dict[tuple, Link] = {}
        for link in self._copy_links(kind):
            seen.setdefault(_key(link.a, link.b), link)
        copied = {(m.doc, m.start) for link in seen.values() for m in (link.a, link.b)}
        for link in self._anchor_links(kind):
            k = _key(link.a, link.b)
            if k in seen:
                continue
            # a value whose sentence has a copy in the other source is compared with its copy only
            if self._has_copy_in((link.a.doc, link.a.sentence), link.b.doc) or \
                    self._has_copy_in((link.b.doc, link.b.sentence), link.a.doc):
                if (link.a.doc, link.a.start) in copied or (link.b.doc, link.b.start) in copied:
                    continue
            seen[k] = link
        for link in self._sole_links(kind):
            if link.a.doc != link.b.doc:
                seen.setdefault(_key(link.a, link.b), link)
        kept = [link for link in seen.values() if not self._told_beside(link)]
        return sorted(kept, key=lambda x: (x.a.doc, x.a.start, x.b.doc, x.b.start))

    def _told_beside(self, link: Link) -> bool:
        """One sentence tells two moments of one change ("fell to 4.6% in October from 6.7% in
        September") and the other source's day or time is one of them: the other moment of the
        sentence is not a conflict with it."""
        a, b = link.a, link.b
        if a.kind not in ("date", "time") or _same_value(a, b):
            return False

        def beside(m: Mention, other: Mention) -> bool:
            return any(x.start != m.start and x.anchor is not None and m.anchor is not None
                       and x.anchor.verb == m.anchor.verb and _same_value(x, other)
                       for x in self.ctx.of(self.ctx.sentence_of(m), m.kind))
        return beside(a, b) or beside(b, a)

    def _sole_links(self, kind: str) -> Iterator[Link]:
        """Counts of one noun in one unit, or clock times or dates, that two reports tell in other
        words: each report's only such value, or the two values whose sentences are each other's
        closest ("2,500 athletes are taking part" / "some 2,000 athletes will participate"). Likely
        one fact, but the wording does not show it: such a link never carries more than a note
        (checker.rules.base.holds). Blocked on the noun, so linear in the values."""
        if kind not in LIKELY_KINDS:
            return
        ctx = self.ctx
        groups: dict[tuple, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
        for m in distinct_claims(ctx.all_mentions(kind)):
            if m.anchor is None or ctx.sentence_of(m).role not in ("body", "item") or m.anchor.modifier:
                continue
            if kind == "number":
                # one noun counted ("activists" / "activists"), or one action counted in other
                # nouns ("nine of the activists were arrested" / "arrested eight people"); a part of
                # a group ("nine of the activists") counts what the verb did, not the group
                if m.key and not m.anchor.partitive:
                    groups[(m.key, m.value.unit)][m.doc].append(m)
                verb = m.anchor.verb.split()[0] if m.anchor.verb else ""
                if verb and verb not in _GENERIC_VERBS:
                    groups[("@" + _stem(verb), m.value.unit)][m.doc].append(m)
            elif kind == "time" and not m.anchor.partitive:
                groups[()][m.doc].append(m)
            elif kind == "date" and m.value.granularity in COARSE_DATES and m.stated is not None \
                    and m.stated.year is not None and not m.anchor.partitive:
                # the year, season or month of a year of a thing that happened once ("separated in
                # 2015" / "in 2014", "in February 1983" / "February 1982"); a story's days (and
                # months without a year) are many, and each has its own action
                groups[("coarse",)][m.doc].append(m)
        for per_doc in groups.values():
            docs = sorted(d for d, ms in per_doc.items() if len(ms) <= MAX_SOLE)
            for i, da in enumerate(docs):
                for db in docs[i + 1:]:
                    if ctx.story(da) != ctx.story(db):
                        continue
                    for a, b in self._closest_pairs(per_doc[da], per_doc[db]):
                        if not owners_agree(a.anchor, b.anchor) or self._other_referents(a, b) \
                                or self._other_moment(a, b) or not _relations_agree(a, b):
                            continue
                        yield Link(a, b, WEAK_LINK, "sole", self.features(a, b))

    def _closest_pairs(self, xs: list[Mention], ys: list[Mention]) -> Iterator[tuple[Mention, Mention]]:
        """The pairs of values in sentences close enough: each report's only value of the group needs
        SOLE_SIMILARITY, values among several LIKELY_SIMILARITY."""
        floor = SOLE_SIMILARITY if len(xs) == 1 and len(ys) == 1 and xs[0].kind == "number" else LIKELY_SIMILARITY
        for x in xs:
            for y in ys:
                if self.similarity(x, y) >= floor:
                    yield x, y

    # -- copies -----------------------------------------------------------------------------
    _copies: dict[tuple[str, int], set[str]] | None = None

    def _copy_pairs(self) -> list[SentencePair]:
        ctx = self.ctx
        out = []
        for p in ctx.pairs:
            if p.a.doc == p.b.doc or p.similarity < COPY_SIMILARITY:
                continue
            if copy_alignment(p.a.text, p.b.text, NEAR_COPY) is None:
                continue
            if not self._same_people(p):
                continue  # another entry of a list, told in the same words
            out.append(p)
        return out

    def _same_people(self, p: SentencePair) -> bool:
        ctx = self.ctx
        pa = {m.value for m in ctx.of(p.a, "person")}
        pb = {m.value for m in ctx.of(p.b, "person")}
        return all(any(same_person(x, y) or spelled_alike(x, y) for y in pb) for x in pa) and \
            all(any(same_person(x, y) or spelled_alike(x, y) for y in pa) for x in pb)

    def _has_copy_in(self, sentence: tuple[str, int], doc: str) -> bool:
        if self._copies is None:
            copies: dict[tuple[str, int], set[str]] = defaultdict(set)
            for p in self._copy_pairs():
                copies[(p.a.doc, p.a.index)].add(p.b.doc)
                copies[(p.b.doc, p.b.index)].add(p.a.doc)
            self._copies = copies
        return doc in self._copies.get(sentence, ())

    def _all_of(self, p: SentencePair) -> list[Mention]:
        """Every value of the two sentences of a pair."""
        return self.ctx.mentions.get((p.a.doc, p.a.index), []) + self.ctx.mentions.get((p.b.doc, p.b.index), [])

    def _copy_links(self, kind: str) -> Iterator[Link]:
        ctx = self.ctx
        for p in self._copy_pairs():
            for ma in ctx.of(p.a, kind):
                for mb in ctx.of(p.b, kind):
                    if slot_aligned(p, ma, mb) is True and _relations_agree(ma, mb) \
                            and not self._other_referents(ma, mb) \
                            and not _described_otherwise(p, ma, mb, self._all_of(p)) \
                            and not (kind in ("date", "time") and _planned_actions_differ(p.a.text, p.b.text)):
                        yield Link(ma, mb, COPY_LINK, "copy", self.features(ma, mb))

    # -- anchors ----------------------------------------------------------------------------
    def _anchor_links(self, kind: str) -> Iterator[Link]:
        ctx = self.ctx
        claims = [m for m in ctx.all_mentions(kind) if m.anchor is not None
                  and ctx.sentence_of(m).role in ("body", "item", "headline")]
        blocks: dict[str, list[Mention]] = defaultdict(list)
        for m in claims:
            keys = {_stem(x) for x in m.anchor.core()} | ({"#" + m.key} if m.key and kind == "number" else set())
            if m.anchor.owner:
                keys.add("@" + m.anchor.owner.split()[-1])  # one person, however fully named
            for w in keys:
                blocks[w].append(m)
        tried: set[tuple] = set()
        for members in blocks.values():
            if len(members) > MAX_BLOCK:
                continue
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    if a.doc == b.doc:
                        continue
                    k = _key(a, b)
                    if k in tried:
                        continue
                    tried.add(k)
                    conf = self.same_fact(a, b)
                    if conf is not None:
                        yield Link(a, b, conf, "anchor", self.features(a, b))

    def similarity(self, a: Mention, b: Mention) -> float:
        return self.ctx.similarity(self.ctx.sentence_of(a), self.ctx.sentence_of(b))

    def same_fact(self, a: Mention, b: Mention) -> float | None:
        """A confidence that two values of one kind say the same attribute of the same thing."""
        ctx = self.ctx
        kind = a.kind
        x, y = a.anchor, b.anchor
        if not owners_agree(x, y) or not verbs_agree(x, y):
            return None
        if (x.indefinite and y.indefinite) or ((x.indefinite or y.indefinite) and not self._named_participants(a, b)):
            # "at a briefing" against "at a briefing", "a spokesperson told reporters": no one
            # identifiable event; "a phone call" against "spoke by phone with Qin Gang" is the call
            return None
        if not _relations_agree(a, b):
            return None  # "at 9 p.m." and "until 9 p.m." are two attributes of one warning
        if self._other_referents(a, b):
            return None  # "He was jailed for ..." of two different defendants named before
        if kind in ("date", "time", "place") and (x.modifier or y.modifier):
            return None  # "Sunday's lineup", "a Kansas City band" name things, not when or where
        if kind == "place" and not (a.note == "locative" and b.note == "locative"):
            return None
        if kind == "number" and (a.value.unit != b.value.unit or x.partitive or y.partitive):
            return None
        if kind == "duration" and a.note != b.note:
            return None  # "a 90-minute session" within "two-day talks": told in another unit, another span
        if x.reported or y.reported:
            # the date of a statement: one speaker's same remarks only ("Austin said Friday he was
            # confident" / "Austin expressed optimism on Friday": told as a saying or not)
            if kind not in ("date", "time") or not (x.owner and y.owner and owners_agree(x, y)):
                return None
            if not (x.reported and y.reported) and (self.similarity(a, b) < CLOSE_MEANING or not all(
                    anchor.owner.split()[-1].lower() in anchor.subject for anchor in (x, y))):
                return None  # a saying and a doing match only when that person is the subject of both
        # what the value is said of; a count's own noun ("46 workers were ...") is the count's key
        # a pronoun subject ("he was jailed") is unknown, not different
        xs, ys = x.subject - {a.key, "<pron>"}, y.subject - {b.key, "<pron>"}
        if x.owner and y.owner:
            # one person under two names ("Daniel Ostrowski" / "Danny Oster"): the owners agree,
            # and the names' words say nothing more of what the values are about
            names = self._name_words(a, b)
            xs, ys = xs - names, ys - names
        if xs and ys and not (_meet(xs, ys) or _meet(xs, y.core()) or _meet(ys, x.core())):
            return None  # said of two different things ("the office opened" / "a book was opened")
        sa, sb = ctx.sentence_of(a), ctx.sentence_of(b)
        if not participants_agree(ctx, sa, sb):
            return None
        if kind != "place" and places_disagree(ctx, sa, sb):
            return None
        if self._other_moment(a, b):
            return None
        if kind in ("date", "time") and _planned_actions_differ(sa.text, sb.text):
            return None  # "scheduled to launch in July 2018" / "scheduled to end in June 2025"
        sim = self.similarity(a, b)
        nouns = shared_nouns(x, y)
        same_verb = bool(x.verb and y.verb) and verbs_agree(x, y)
        one_each = len(ctx.of(sa, kind)) == 1 and len(ctx.of(sb, kind)) == 1
        if kind == "number":
            if not a.key or not b.key:
                return None  # a bare figure says too little of what it counts
            if a.key != b.key:
                # two nouns for one group ("workers" / "employees") only in paraphrases that count
                # nothing else by either noun
                keys_a = {m.key for m in ctx.of(sa, kind)}
                keys_b = {m.key for m in ctx.of(sb, kind)}
                alone = b.key not in keys_a and a.key not in keys_b
                return WEAK_LINK if sim >= NEAR_PARAPHRASE and alone and nouns and verbs_agree(x, y) else None
            nouns -= {a.key}
            if nouns and (same_verb or sim >= CLOSE_MEANING):
                # the more of what they describe two counts share, the surer the link
                base = ACTION_LINK if same_verb and sim >= CLOSE_MEANING else PLAIN_LINK
                return min(ANCHOR_CEILING, base + PER_NOUN * len(nouns))
            if same_verb and x.verb not in _GENERIC_VERBS and "<pron>" not in x.subject | y.subject:
                return PLAIN_LINK  # "cancel 62 flights" / "46 flights were cancelled"
            if same_verb and self._same_moment(a, b):
                return PLAIN_LINK  # "by 8am on Tuesday the blaze had burned 1,400 hectares" / "... it had burned 2,600"
            return None
        if kind == "date":
            said = {n for n in nouns if not n.startswith("@")}
            if x.reported and y.reported:
                return FIRM_LINK if said else None  # one speaker's remarks, to the same audience
            if x.reported or y.reported:
                return PLAIN_LINK
            # beyond the people's names and titles, what the two dates describe: "spoke by phone with
            # Qin Gang" / "Qin Gang said in a phone call" share the phone
            content = said - self._name_words(a, b)
            if content and len(said) >= 3 and verbs_agree(x, y):
                return PLAIN_LINK
            if not x.verb and not y.verb and x.nominal and y.nominal and _stem(x.nominal) == _stem(y.nominal) \
                    and self._named_participants(a, b):
                # "the meeting last November between Biden and Xi" / "Biden and Xi meet in Bali —
                # November 14, 2022"; a meeting of no one named is any meeting
                return PLAIN_LINK
            same_verb = same_verb and _stem(x.verb.split()[0]) == _stem(y.verb.split()[0])
            if x.tense and y.tense and x.tense != y.tense and "present" not in (x.tense, y.tense):
                return None  # "appeared on Thursday" and "will appear on 16 October": two hearings
            if not same_verb or not (nouns or sim >= CLOSE_MEANING or self._rare_action(a, b)):
                return None  # a date belongs to an action: the same action of the same thing
            return CLOSE_LINK if sim >= CLOSE_MEANING and nouns else FIRM_LINK
        if same_verb and bool(x.owner) == bool(y.owner) and self._rare_action(a, b, apart=True):
            return PLAIN_LINK  # "jailed for seven years and four months" / "jailed for seven years and eight"
        if kind == "duration" and x.owner and y.owner and a.note == b.note and sim >= CLOSE_MEANING:
            # "two-day talks" and "two days of meetings" of one person, told in the same unit: one
            # visit's length; a half-hour meeting within it is told in another unit
            return WEAK_LINK
        if kind == "duration" and _meet(({x.nominal} | x.subject) - {"", "<pron>"},
                                        ({y.nominal} | y.subject) - {"", "<pron>"}):
            return ACTION_LINK if sim >= CLOSE_MEANING else PLAIN_LINK  # the length of one named event
        if same_verb and nouns:
            return CLOSE_LINK if sim >= CLOSE_MEANING else FIRM_LINK
        if kind == "time" and nouns and not (x.verb and y.verb) and self._one_each_of(a, b, nouns):
            return WEAK_LINK  # "the result was declared at 2.10am" / "the result came shortly before 1.30am"
        if len(nouns) >= 2 and sim >= CLOSE_MEANING:
            return PLAIN_LINK
        if sim >= PARAPHRASE and one_each and nouns:
            return WEAK_LINK
        return None

    def features(self, a: Mention, b: Mention) -> LinkFeatures:
        """What the link of two values rests on, as the calibration and the severity read it."""
        x, y = a.anchor, b.anchor
        nouns = shared_nouns(x, y) if x is not None and y is not None else set()
        if a.kind == "number" and a.key:
            nouns -= {a.key}  # a count's own noun is its key, not something both describe
        return LinkFeatures(
            shared_nouns=len(nouns),
            same_verb=bool(x and y and x.verb and y.verb and verbs_agree(x, y)),
            similarity=round(self.similarity(a, b), 4),
            owner_shared=bool(x and y and x.owner and y.owner and owners_agree(x, y))
            or self._named_participants(a, b) or self._same_referent(a, b),
            hedged=value_hedged(a) or value_hedged(b),
            reported=bool((x and x.reported) or (y and y.reported)),
            unnamed=self._unnamed(a) or self._unnamed(b),
            crowded=self._crowded(a) or self._crowded(b) or self._alternative(a) or self._alternative(b))

    def _alternative(self, m: Mention) -> bool:
        """The value is one of two the text leaves open ("in either July or August of 2018")."""
        s = self.ctx.sentence_of(m)
        before, after = s.text[:m.start - s.start], s.text[m.end - s.start:]
        return bool(_OR_BEFORE.search(before) or _OR_AFTER.match(after))

    def _crowded(self, m: Mention) -> bool:
        ctx = self.ctx
        same = [o for o in ctx.of(ctx.sentence_of(m), m.kind) if o.kind != "number" or o.key == m.key]
        return len(same) >= CROWDED

    def _unnamed(self, m: Mention) -> bool:
        """The value's sentence names no person and says its subject with a pronoun or a bare
        generic noun, after sentences that name people: whose value it is lies in the sentences
        before, and a copy of it may follow other people. ("We cut prices by 10%" in a text that
        names no one before it is the text's own voice, not a template told of several people.)"""
        ctx = self.ctx
        s = ctx.sentence_of(m)
        return not ctx.of(s, "person") and self._pronoun_subject(m) and self._first_named(m.doc) < s.index

    _first_named_at: dict[str, float] | None = None

    def _first_named(self, doc: str) -> float:
        """The index of the document's first sentence that names a person (infinity when none does)."""
        if self._first_named_at is None:
            first: dict[str, float] = {}
            for (d, i), ms in self.ctx.mentions.items():
                if any(x.kind == "person" for x in ms) and i < first.get(d, float("inf")):
                    first[d] = i
            self._first_named_at = first
        return self._first_named_at.get(doc, float("inf"))

    def _pronoun_subject(self, m: Mention) -> bool:
        """The value's clause has a pronoun for its subject ("he was jailed for ...") or opens on
        one ("His bail was set at ..."): who it is said of lies in the sentences before."""
        if m.anchor is not None and "<pron>" in m.anchor.subject:
            return True
        return bool(_OPENING_PRONOUN.match(self.ctx.sentence_of(m).text))

    def referent(self, m: Mention) -> str:
        """The person a pronoun of m's sentence stands for: the last person named in the sentences
        just before it in its document ("" when the sentence names someone itself, or no one is
        named before). spaCy's small model does not resolve pronouns; the nearest preceding name
        is what news prose most often means, and is used only to keep two values apart."""
        ctx = self.ctx
        s = ctx.sentence_of(m)
        if ctx.of(s, "person") or not self._pronoun_subject(m):
            return ""
        for back in range(1, REFERENT_WINDOW + 1):
            prev = ctx.sentences.get((m.doc, s.index - back))
            if prev is None:
                break
            people = ctx.of(prev, "person")
            if people:
                return max(people, key=lambda p: p.start).value
        return ""

    def _same_referent(self, a: Mention, b: Mention) -> bool:
        """Both values are said of a pronoun, and both pronouns stand for one person ("He
        recommended three ..." after the same account manager in both texts): a template told of
        several people keeps its values apart, one told of the same person does not."""
        ra, rb = self.referent(a), self.referent(b)
        return bool(ra and rb and (same_person(ra, rb) or spelled_alike(ra, rb)))

    def _other_referents(self, a: Mention, b: Mention) -> bool:
        """The two values' pronouns stand for two different people ("He was jailed for ..." after
        one defendant's name in one report and after another's in the other)."""
        ra, rb = self.referent(a), self.referent(b)
        if not ra and not rb:
            return False
        ctx = self.ctx
        pa = {ra} if ra else {p.value for p in ctx.of(ctx.sentence_of(a), "person")}
        pb = {rb} if rb else {p.value for p in ctx.of(ctx.sentence_of(b), "person")}
        if not pa or not pb:
            return False
        return not any(same_person(x, y) or spelled_alike(x, y) for x in pa for y in pb)

    def _name_words(self, a: Mention, b: Mention) -> set[str]:
        """The words of the people's names and titles in the two sentences, lower-cased."""
        ctx = self.ctx
        words: set[str] = set()
        for m in (a, b):
            for kind in ("person", "title"):
                for o in ctx.of(ctx.sentence_of(m), kind):
                    words |= {w.lower() for w in o.text.split()}
        return words

    def _named_participants(self, a: Mention, b: Mention) -> bool:
        """The two sentences name a person in common: "a phone call" with Qin Gang is one call, "a
        briefing" of officials is any briefing."""
        ctx = self.ctx
        pa = {m.value for m in ctx.of(ctx.sentence_of(a), "person")}
        pb = {m.value for m in ctx.of(ctx.sentence_of(b), "person")}
        return bool(pa & pb)

    _actions: dict[str, dict[str, int]] | None = None
    _by_doc: dict[tuple[str, str], list[Mention]] | None = None

    def _rare_action(self, a: Mention, b: Mention, apart: bool = False) -> bool:
        """The verb of both values carries one value of their kind in each of the two documents
        ("were arrested Tuesday" / "were arrested March 10"): one action of the story, told twice."""
        if self._actions is None:
            counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for kind in ("date", "time", "duration"):
                for m in self.ctx.all_mentions(kind):
                    if m.anchor is not None and m.anchor.verb:
                        counts[self._action_key(m, False)][m.doc] += 1
                        counts[self._action_key(m, True)][m.doc] += 1
            self._actions = counts
        if a.kind not in ("date", "time", "duration") or not a.anchor.verb:
            return False
        key = self._action_key(a, apart)
        per_doc = self._actions.get(key, {})
        return key == self._action_key(b, apart) and per_doc.get(a.doc, 0) == 1 and per_doc.get(b.doc, 0) == 1

    @staticmethod
    def _action_key(m: Mention, apart: bool) -> str:
        # `apart`: the values of no named person counted apart from those of named people: a court
        # round-up's one unnamed "jailed for seven years" is the story's sentence, whatever named
        # defendants were jailed for
        owned = ("@" if m.anchor.owner else "-") if apart else ""
        return f"{m.kind}:{_stem(m.anchor.verb.split()[0])}:{owned}"

    def _same_moment(self, a: Mention, b: Mention) -> bool:
        """Both sentences are dated to the same minute of the same day ("by 8am on Tuesday")."""
        ctx = self.ctx
        sa, sb = ctx.sentence_of(a), ctx.sentence_of(b)
        ta = {m.value for m in ctx.of(sa, "time")}
        tb = {m.value for m in ctx.of(sb, "time")}
        return bool(ta & tb) and same_day(ctx, sa, sb)

    def _one_each_of(self, a: Mention, b: Mention, nouns: set[str]) -> bool:
        """What the two values share is said to have one value of their kind in each of the two
        documents: "the result" has one time in each."""
        if self._by_doc is None:
            by_doc: dict[tuple[str, str], list[Mention]] = defaultdict(list)
            for ms in self.ctx.mentions.values():
                for m in ms:
                    if m.anchor is not None:
                        by_doc[(m.kind, m.doc)].append(m)
            self._by_doc = by_doc

        def count(doc: str) -> int:
            return sum(1 for m in self._by_doc.get((a.kind, doc), ())
                       if _meet(nouns, m.anchor.subject | ({m.anchor.nominal} - {""})))
        return count(a.doc) == 1 and count(b.doc) == 1

    def _other_moment(self, a: Mention, b: Mention) -> bool:
        """The two sentences are about two moments: they date themselves on days that do not
        overlap (for a count, a time, a place), or give two different counts of one thing (for a
        date): "450 firefighters on Monday", "700 firefighters on Tuesday"."""
        ctx = self.ctx
        sa, sb = ctx.sentence_of(a), ctx.sentence_of(b)
        if a.kind != "date":
            da = [m.value for m in ctx.of(sa, "date") if m.value.resolved and not (m.anchor and m.anchor.modifier)]
            db = [m.value for m in ctx.of(sb, "date") if m.value.resolved and not (m.anchor and m.anchor.modifier)]
            return bool(da and db) and not any(x.overlaps(y) for x in da for y in db)
        for na in ctx.of(sa, "number"):
            for nb in ctx.of(sb, "number"):
                if na.key and na.key == nb.key and na.value.unit == nb.value.unit \
                        and not na.value.compatible(nb.value):
                    return True
        return False


def unique_by(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """The first item of each key, in order."""
    seen: set = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def distinct_claims(ms: Iterable[Mention]) -> list[Mention]:
    """One mention per document, value and key: a page that repeats a sentence (a gallery, a live
    blog, a template) states its values once, and the rules stay linear on it."""
    return unique_by(ms, lambda m: (m.doc, m.kind, m.key, m.value))


def same_day(ctx, sa, sb) -> bool:
    """The two sentences date themselves on the same day."""
    da = [m.value for m in ctx.of(sa, "date") if m.value.resolved and m.value.granularity == "day"]
    db = [m.value for m in ctx.of(sb, "date") if m.value.resolved and m.value.granularity == "day"]
    return any(x.overlaps(y) for x in da for y in db)


def shared_nouns(x, y) -> set[str]:
    """The words of what two anchors describe that both hold, verbs aside; a shared owner is one."""
    verbs = {w for w in (x.verb.split()[:1] + y.verb.split()[:1])}
    nouns = _meet(x.core() - verbs, y.core() - verbs)
    if x.owner and y.owner:
        nouns.add("@" + x.owner)
    return nouns


def value_hedged(m: Mention) -> bool:
    """The value is stated with doubt: a bound or an approximation ("about 40", "more than 300"),
    or a date the text leaves open between two readings ("on Monday" in the present tense)."""
    from checker.values import DateValue, Quantity

    v = m.value
    if isinstance(v, Quantity):
        return v.bound != "exact"
    if isinstance(v, DateValue):
        return len(v.candidates) > 1
    return False


# "scheduled to launch", "due to end": the plan's verb is the event the date belongs to
_PLANNED = re.compile(r"\b(?:scheduled|set|due|expected|planned|slated|poised)\s+to\s+([a-z]+)", re.I)


def _planned_actions_differ(a: str, b: str) -> bool:
    """Both sentences date a planned action, and the actions differ (launch / end)."""
    pa, pb = {_stem(w.lower()) for w in _PLANNED.findall(a)}, {_stem(w.lower()) for w in _PLANNED.findall(b)}
    return bool(pa and pb and not pa & pb)


_OR_BEFORE = re.compile(r"\b(?:or|and/or)\s+$", re.I)
_OR_AFTER = re.compile(r"^,?\s+(?:or|and/or)\b", re.I)

_OPENING_PRONOUN = re.compile(r"^\W*(?:he|she|his|her)\b", re.I)

# verbs that say little of which count they go with ("employs 19,000 people" worldwide or here)
_GENERIC_VERBS = {"include", "involve", "employ", "contain", "see", "use", "hold", "receive", "add"}

# prepositions that say the same relation of a value to its event
_RELATION = {"": "at", "on": "at", "in": "at", "around": "at", "about": "at", "during": "at", "of": "at",
             "till": "until", "through": "until", "by": "until", "from": "since"}


def _relations_agree(a: Mention, b: Mention) -> bool:
    """"at 7:40 p.m." and "until 9:15 p.m." are two attributes of one warning: a start and an end."""
    if a.kind not in ("date", "time") or a.anchor is None or b.anchor is None:
        return True
    ra, rb = a.anchor.relation, b.anchor.relation
    return _RELATION.get(ra, ra) == _RELATION.get(rb, rb)


_WORD = re.compile(r"[A-Za-z]+")
MIN_LEMMA = 3  # shorter lemmas ("be", "go") begin too many other words to be found by their start
_GLUE_WORDS = frozenset({"and", "the", "in", "of", "a", "an"})  # rewordings of these are no change of meaning ("the" begins "theft")


# saying verbs: how a copy introduces a figure ("said", "noted", "proposed") is not what it describes
COPY_SAYING = frozenset(REPORTING | {"mention", "propose", "suggest", "argue", "insist", "warn", "estimate"})
MOMENT_KINDS = ("date", "time", "duration")  # values that say when: changed in a copy, they make another moment


def _described_otherwise(p: SentencePair, a: Mention, b: Mention, mentions: list[Mention]) -> bool:
    """The copy changes, besides the values, a word of what they describe: another action ("was
    arrested on Monday" / "was charged on Tuesday"), another thing ("revenue rose 12%" / "profit
    rose 8%"), another person ("his wife, 49" / "his son, 19"), another scope ("in the north" /
    "nationwide"), another moment ("since the outbreak began in March" / "in the past week", "as of
    11 March, 48 cases" / "as of 12 March, 91 cases"): two facts told in one template, not one fact
    with its value changed. `mentions` are the two sentences' values of every kind. An amount's
    verb is only its direction ("rose to $2.4 billion" / "fell to $2.1 billion") and is not
    counted; nor are other figures of the kind with their units ("10 km" / "6 miles"): another
    figure changed is another fact's change."""
    if a.anchor is None or b.anchor is None or _same_value(a, b):
        return False  # a value the copy keeps is the same fact's, however the copy words the rest
    al = copy_alignment(p.a.text, p.b.text, NEAR_COPY)
    if al is None:
        return False
    amount = a.kind == "number" and bool(a.value.unit) and bool(b.value.unit)
    verbs = {anchor.verb.split()[0] for anchor in (a.anchor, b.anchor) if anchor.verb}
    lemmas = {k.lower() for k in (a.key, b.key) if k and len(k) >= MIN_LEMMA}
    for anchor in (a.anchor, b.anchor):
        lemmas |= {w.lower() for w in (anchor.subject - {"<pron>"}) | anchor.words | verbs
                   | ({anchor.nominal} if anchor.nominal else set()) if len(w) >= MIN_LEMMA}
    lemmas -= COPY_SAYING  # a copy words the saying of a figure freely ("proposed" / "mentioned")
    if amount:
        lemmas -= verbs

    def within(x: Mention, sentence, s: int, e: int) -> bool:
        return x.doc == sentence.doc and x.sentence == sentence.index and \
            x.start - sentence.start < e and s < x.end - sentence.start

    for a0, a1, b0, b1 in al.replaced:
        inside = [x for x in mentions if within(x, p.a, a0, a1) or within(x, p.b, b0, b1)]
        if a.kind not in MOMENT_KINDS and any(x.kind in MOMENT_KINDS for x in inside):
            return True
        if a.kind in ("date", "time") and any(x.kind == "number" for x in inside):
            return True  # a count changed with its day: a running count told at two moments
        if not (_WORD.search(p.a.text[a0:a1]) and _WORD.search(p.b.text[b0:b1])):
            continue  # words left out ("is charged with 14 counts" / "• 12 counts"), as a deletion is
        figures = [x for x in inside if x.kind == a.kind]
        text = p.a.text[a0:a1] + " " + p.b.text[b0:b1]
        for x in figures:  # the figures themselves and the words they count are the figures' own
            text = text.replace(x.text, " ")
        units = {x.key.lower() for x in figures if x.key}
        words = {w.lower() for w in _WORD.findall(text)} - _GLUE_WORDS
        words = {w for w in words if not any(w.startswith(u) for u in units)
                 and not (amount and any(_form_of(w, v) for v in verbs))}
        if any(_form_of(w, lemma) for w in words for lemma in lemmas):
            return True
    return False


def _same_value(a: Mention, b: Mention) -> bool:
    """The two values can be one, however written ("seven" / "7", "Gdańsk" / "Gdansk", "Nepal" /
    "Kathmandu", one day told two ways): such a copy is an agreement whatever else it rewords."""
    x, y = a.value, b.value
    if isinstance(x, Quantity) and isinstance(y, Quantity):
        return x.unit == y.unit and x.compatible(y)
    if isinstance(x, DateValue) and isinstance(y, DateValue):
        return x.overlaps(y)
    if isinstance(x, Place) and isinstance(y, Place):
        return x.nests_with(y)
    return x == y


def _form_of(word: str, lemma: str) -> bool:
    """A written word is a form of a lemma or its stem ("landed" / "land", "grow" / "growth")."""
    return word.startswith(lemma) or (lemma.startswith(word) and len(word) >= MIN_LEMMA)


def spelled_alike(a: str, b: str) -> bool:
    """Two spellings of one name ("Perrault" / "Perreault"): see checker.rules.name_variant."""
    from checker.extract.people import name_variant

    return name_variant(a, b) is not None


def _key(a: Mention, b: Mention) -> tuple:
    ka, kb = (a.doc, a.start, a.kind), (b.doc, b.start, b.kind)
    return (ka, kb) if ka <= kb else (kb, ka)
