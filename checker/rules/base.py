"""What every rule shares: its identity, the context it reads, and how it builds findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Literal

from checker.align.pairs import SentencePair, copy_alignment
from checker.facts.link import CLOSE_MEANING, Link, LinkHow, Linker
from checker.models import Document, Evidence, Finding, Mention, Sentence, Severity


NEAR_COPY = 0.6  # word-diff ratio above which two sentences are copies of one another
RARE_EVENT_SHARE = 0.04  # an event word in more than 4% of the sentences is too common to link two
CERTAIN_NOUNS = 2  # shared words of what two values describe, beyond the verb, for a certain link

# approximate, update: info; note: something worth a look that is not a conflict (info)
Verdict = Literal["agree", "approximate", "update", "conflict", "note"]


@dataclass
class CompareContext:
    """Everything the compare stage knows about a corpus; rules only read it."""

    documents: dict[str, Document]
    sentences: dict[tuple[str, int], Sentence]
    mentions: dict[tuple[str, int], list[Mention]]
    pairs: list[SentencePair]
    options: dict = field(default_factory=dict)
    agreements: list = field(default_factory=list)  # (measure, (mention, label), (mention, label))
    stories: dict[str, int] = field(default_factory=dict)  # document → story; absent: one story
    vectors: Any = None  # sentence embeddings (numpy rows), for how close two sentences are in meaning
    rows: dict[tuple[str, int], int] = field(default_factory=dict)  # sentence → row of `vectors`

    def similarity(self, a: Sentence, b: Sentence) -> float:
        """Cosine similarity of two sentences' embeddings (0 when either is unknown)."""
        ra, rb = self.rows.get((a.doc, a.index)), self.rows.get((b.doc, b.index))
        if self.vectors is None or ra is None or rb is None:
            return 0.0
        return float(self.vectors[ra] @ self.vectors[rb])

    _links: dict[str, list] | None = None

    _linker: Linker | None = None

    _people: dict[str, set[str]] | None = None

    def people_of(self, doc: str) -> set[str]:
        """The canonical names of the people a document names, gathered once for the corpus."""
        if self._people is None:
            people: dict[str, set[str]] = {}
            for m in self.all_mentions("person"):
                people.setdefault(m.doc, set()).add(m.value)
            self._people = people
        return self._people.get(doc, set())

    def links(self, kind: str) -> list[Link]:
        """The values of `kind` linked as one fact (checker.facts.link.Link), computed once."""
        if self._links is None:
            self._links = {}
        if kind not in self._links:
            self._links[kind] = self.linker().links(kind)
        return self._links[kind]

    def linker(self) -> Linker:
        """The corpus's checker.facts.link.Linker, made once."""
        if self._linker is None:
            self._linker = Linker(self)
        return self._linker

    def link(self, a: Mention, b: Mention, confidence: float, how: LinkHow) -> Link:
        """A link that a rule looking at a whole story makes itself (one person's ages, one post),
        with the features the linker reads off the two sentences."""
        return Link(a, b, confidence, how, self.linker().features(a, b))

    def story(self, doc: str) -> int:
        """Documents of one story may be compared beyond aligned pairs (who holds a post, who
        was first); documents of different stories never are."""
        return self.stories.get(doc, 0)

    def note_agreement(self, measure: str, a: Mention, a_label: str, b: Mention, b_label: str) -> None:
        """Two linked values that agree: reported as a fact, so readers see who says what."""
        self.agreements.append((measure, (a, a_label), (b, b_label)))

    _event_df: dict[str, int] | None = None

    def event_frequency(self, lemma: str) -> float:
        """The share of the corpus's sentences that use an event word: rare words identify events."""
        if self._event_df is None:
            df: dict[str, int] = {}
            for m in self.all_mentions("event"):
                for w in m.value:
                    df[w] = df.get(w, 0) + 1
            self._event_df = df
        return self._event_df.get(lemma, 0) / max(1, len(self.sentences))

    def rare_shared_events(self, events: frozenset[str], exclude: str = "") -> set[str]:
        """Shared event words used by few sentences: 'phone' links two accounts of one call,
        'meeting' in a story about meetings links nothing."""
        limit = max(3 / max(1, len(self.sentences)), RARE_EVENT_SHARE)
        return {w for w in events if w != exclude and self.event_frequency(w) <= limit}

    _copies: dict[tuple[str, int], list[SentencePair]] | None = None

    def copies_in(self, sentence: Sentence, doc: str) -> list[SentencePair]:
        """Pairs of the sentence with its near-verbatim copies in `doc` (a word diff keeps most of it)."""
        if self._copies is None:
            copies: dict[tuple[str, int], list[SentencePair]] = {}
            for p in self.pairs:
                if p.similarity >= 0.6 and copy_alignment(p.a.text, p.b.text, NEAR_COPY):
                    copies.setdefault((p.a.doc, p.a.index), []).append(p)
                    copies.setdefault((p.b.doc, p.b.index), []).append(p)
            self._copies = copies
        return [p for p in self._copies.get((sentence.doc, sentence.index), [])
                if (p.b.doc if (p.a.doc, p.a.index) == (sentence.doc, sentence.index) else p.a.doc) == doc]

    def has_copy_in(self, sentence: Sentence, doc: str) -> bool:
        return bool(self.copies_in(sentence, doc))

    def counterpart_in_copy(self, m: Mention, doc: str) -> bool:
        """True when m's sentence has a copy in `doc` that gives a value in m's slot: the value is
        then compared with that counterpart only."""
        for p in self.copies_in(self.sentence_of(m), doc):
            other = p.b if (p.a.doc, p.a.index) == (m.doc, m.sentence) else p.a
            if any(slot_aligned(p, m, o) for o in self.of(other, m.kind)):
                return True
        return False

    _place_df: dict[str, int] | None = None

    def rare_shared_places(self, a: Sentence, b: Sentence) -> set[str]:
        """Names of places that both sentences mention and few sentences do ("Tasmania" in a story set
        in Canada), lower-cased as the context keys are."""
        if self._place_df is None:
            df: dict[str, int] = {}
            for key in {(m.doc, m.sentence, m.value.code) for m in self.all_mentions("place")}:
                df[key[2]] = df.get(key[2], 0) + 1
            self._place_df = df
        limit = max(3, RARE_EVENT_SHARE * len(self.sentences))
        pa = {m.value.code: m.value.name for m in self.of(a, "place")}
        pb = {m.value.code for m in self.of(b, "place")}
        return {pa[c].lower() for c in pa.keys() & pb if self._place_df.get(c, 0) <= limit}

    _person_df: dict[str, int] | None = None

    def rare_shared_people(self, a: Sentence, b: Sentence) -> set[str]:
        """People both sentences name and few sentences do (lower-cased words of their names)."""
        if self._person_df is None:
            df: dict[str, int] = {}
            for key in {(m.doc, m.sentence, m.value) for m in self.all_mentions("person")}:
                df[key[2]] = df.get(key[2], 0) + 1
            self._person_df = df
        limit = max(3, RARE_EVENT_SHARE * len(self.sentences))
        pa = {m.value for m in self.of(a, "person")}
        pb = {m.value for m in self.of(b, "person")}
        return {w.lower() for p in pa & pb if self._person_df.get(p, 0) <= limit for w in p.split()}

    def events_of(self, sentence: Sentence) -> set[str]:
        return {w for m in self.of(sentence, "event") for w in m.value}

    def mention_pairs(self, kind: str) -> Iterator[tuple[SentencePair, Mention, Mention]]:
        """Every aligned pair of sentences with one mention of `kind` from each side."""
        for pair in self.pairs:
            for ma in self.of(pair.a, kind):
                for mb in self.of(pair.b, kind):
                    yield pair, ma, mb

    _by_kind: dict[tuple[str, int, str], tuple[Mention, ...]] | None = None

    def of(self, sentence: Sentence, kind: str) -> tuple[Mention, ...]:
        if self._by_kind is None:  # rules ask this for every pair: index the mentions once
            index: dict[tuple[str, int, str], list[Mention]] = {}
            for ms in self.mentions.values():
                for m in ms:
                    index.setdefault((m.doc, m.sentence, m.kind), []).append(m)
            self._by_kind = {k: tuple(v) for k, v in index.items()}
        return self._by_kind.get((sentence.doc, sentence.index, kind), ())

    def all_mentions(self, kind: str) -> Iterator[Mention]:
        for ms in self.mentions.values():
            for m in ms:
                if m.kind == kind:
                    yield m

    def sentence_of(self, m: Mention) -> Sentence:
        return self.sentences[(m.doc, m.sentence)]

    def published_label(self, doc: str) -> str:
        d = self.documents[doc]
        if d.published is None:
            return "no publication date"
        from checker.extract.values import WEEKDAYS

        return f"published {WEEKDAYS[d.published.weekday()]} {d.published.isoformat()}"


@dataclass(frozen=True)
class Comparison:
    """What a rule's `compare` says of two values linked as one fact.

    verdict: agree, approximate (agree once rounding is allowed for: info), update (a later report's
    running figure: info) or conflict. `explanation` gives the resolved values and the arithmetic.
    """

    verdict: Literal["agree", "approximate", "update", "conflict"]
    a_label: str
    b_label: str
    explanation: str
    message: str = ""


class Rule:
    """A comparator. Subclasses set code, name, severity and implement `compare` (two linked values
    of `kinds` → a Comparison) or, for rules that look at a whole story, `check`.

    `compare` is the one place where two values are judged: the corpus check, drafts, single claims
    and the web app all call it.

    The docstring of each rule has a **Conflict** example before an **Agreement** example; both
    run as tests (tests/test_rule_docs.py) and each has a fixture file in fixtures/rules/.
    """

    code: str = ""
    name: str = ""
    severity: Severity = Severity.WARNING
    summary: str = ""

    kinds: tuple[str, ...] = ()

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        """Judge two values of one fact (ctx is read for publication dates only); None when the
        two cannot be compared."""
        raise NotImplementedError

    def measure(self, a: Mention) -> str:
        """What the fact is, in a few words ("number of flights")."""
        return self.name

    def specificity(self, m: Mention) -> float:
        """How coarse a value is (lower is finer). A value that agrees with a value of the other
        sentence at least as fine as the one it conflicts with has found its counterpart there; a
        coarser agreement ("Canada" against "Ottawa") does not excuse a finer conflict."""
        return 0.0

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        """The findings to report: every candidate not answered by an agreeing counterpart."""
        return (c.finding for c in self.candidates(ctx) if c.shown)

    def candidates(self, ctx: CompareContext) -> Iterator[Candidate]:
        """Every linked pair of values of the rule's kinds that `compare` does not find equal, with
        the link it rests on; rules that look at a whole story override this."""
        for kind in self.kinds:
            links = ctx.links(kind)
            results = [(link, self.compare(link.a, link.b, ctx)) for link in links]
            # a value that agrees with a value of the other sentence has found its counterpart there:
            # "3,412 acres" meets "about 3,400 acres by Monday and 5,100 by Tuesday" in the 3,400
            agreed: dict[tuple, list[tuple[float, float]]] = {}
            for link, result in results:
                if result is not None and result.verdict == "agree":
                    for m, o in ((link.a, link.b), (link.b, link.a)):
                        agreed.setdefault((m.doc, m.start, o.doc, o.sentence), []).append(
                            (self.specificity(o), link.confidence))

            def has_counterpart(m: Mention, o: Mention, confidence: float) -> bool:
                return any(fine <= self.specificity(o) and conf >= confidence
                           for fine, conf in agreed.get((m.doc, m.start, o.doc, o.sentence), ()))

            for link, result in results:
                if result is None:
                    continue
                if result.verdict == "agree":
                    ctx.note_agreement(self.measure(link.a), link.a, result.a_label, link.b, result.b_label)
                    continue
                answered = has_counterpart(link.a, link.b, link.confidence) or \
                    has_counterpart(link.b, link.a, link.confidence)
                yield self.candidate(ctx, result.message or f"{self.summary}: {result.a_label} and {result.b_label}",
                                     result.explanation, [(link.a, result.a_label), (link.b, result.b_label)],
                                     link, result.verdict, fact=self.measure(link.a), shown=not answered)

    def candidate(self, ctx: CompareContext, message: str, explanation: str,
                  items: list[tuple[Mention, str]], link: Link, verdict: Verdict = "conflict",
                  fact: str = "", shown: bool = True) -> Candidate:
        """A finding with what it rests on; its severity and confidence come from `assess`."""
        # a severity set in the configuration (checker.config) is the reader's word for this rule
        configured = self.severity if "severity" in vars(self) else None
        severity, confidence = assess(verdict, link, configured)
        evidence = tuple(evidence_for(ctx, m, label) for m, label in items)
        finding = Finding(rule=self.code, name=self.name, severity=severity, confidence=confidence,
                          message=message, explanation=explanation, evidence=evidence, fact=fact)
        return Candidate(finding, link, verdict, shown)


@dataclass(frozen=True)
class Candidate:
    """A finding before it is reported, with the link it rests on and the rule's verdict.

    shown is False when a value of the other sentence agrees with it (its counterpart was found
    there): such a candidate is not reported; `make calibrate` reads it as a likely false alarm.
    """

    finding: Finding
    link: Link
    verdict: Verdict
    shown: bool = True


def certain(link: Link) -> bool:
    """Whether two claims are surely one fact, both values read without doubt: near-verbatim
    sentences with the values in one slot, or one action (same verb, two or more shared words of
    what it is done to, sentences close in meaning) of one named person. Values said of a person
    (one name may be two people) or of a post or a superlative in a story are judgements, never
    certain."""
    f = link.features
    if f.hedged or f.reported:
        return False
    if link.how == "copy":
        return True
    return link.how == "anchor" and f.owner_shared and f.same_verb and f.shared_nouns >= CERTAIN_NOUNS \
        and f.similarity >= CLOSE_MEANING


def assess(verdict: Verdict, link: Link, configured: Severity | None = None) -> tuple[Severity, float]:
    """The severity and the confidence of a finding, decided here only.

    error: a conflict between two claims `certain` to be one fact; warning: a conflict whose link or
    values leave doubt; info: approximate agreement, a later running figure, a note. A severity set
    in the configuration replaces error/warning for the rule's conflicts. The confidence is the
    calibrated probability that the finding is a real conflict (checker.rules.calibration)."""
    from checker.rules.calibration import probability

    if verdict != "conflict":
        severity = Severity.INFO
    elif configured is not None:
        severity = configured
    else:
        severity = Severity.ERROR if certain(link) else Severity.WARNING
    return severity, probability(verdict, link)


def evidence_for(ctx: CompareContext, m: Mention, value_label: str) -> Evidence:
    s = ctx.sentence_of(m)
    text = ctx.documents[m.doc].text
    line_start = max(text.rfind("\n", 0, s.start), text.rfind("\r", 0, s.start)) + 1
    return Evidence(doc=m.doc, start=s.start, end=s.end, line=s.line, text=s.text, value=value_label,
                    mention_start=m.start, mention_end=m.end, column=s.start - line_start + 1)


def slot_aligned(pair: SentencePair, ma: Mention, mb: Mention) -> bool | None:
    """True when the two mentions stand in the same slot of two near-identical sentences;
    False when the sentences are near-identical but the mentions are in different slots;
    None when the sentences differ too much for a word diff to say."""
    a, b = (pair.a, pair.b) if ma.doc == pair.a.doc and ma.sentence == pair.a.index else (pair.b, pair.a)
    al = copy_alignment(a.text, b.text, NEAR_COPY)
    if al is None:
        return None
    sa, ea = ma.start - a.start, ma.end - a.start
    sb, eb = mb.start - b.start, mb.end - b.start
    for a0, a1, b0, b1 in al.replaced + al.equal:
        if a0 < ea and sa < a1:
            if b0 < eb and sb < b1:
                return True
    return False


def mentions_in(pair: SentencePair, ctx: CompareContext, kind: str) -> tuple[tuple[Mention, ...], tuple[Mention, ...]]:
    return ctx.of(pair.a, kind), ctx.of(pair.b, kind)


def unique_by(items: Iterable, key: Callable) -> list:
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


def same_sentence(a: Mention, b: Mention) -> bool:
    return a.doc == b.doc and a.sentence == b.sentence


RuleFactory = Callable[[], Rule]
