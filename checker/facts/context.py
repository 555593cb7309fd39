"""The context the rules read: a corpus's documents, sentences, values and aligned pairs, and the
links the facts stage makes between its values (checker.facts.link)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from checker.align.pairs import SentencePair
from checker.facts.link import Link, Linker
from checker.facts.story_links import StoryLink
from checker.models import Document, Mention, Sentence

RARE_EVENT_SHARE = 0.04  # an event word in more than 4% of the sentences is too common to link two


@dataclass
class CompareContext:
    """Everything the compare stage knows about a corpus; rules only read it (they return what they
    find: checker.rules.base.Judgement). `agreements` is the runner's: every rule's agreements of
    a run, gathered story by story (checker.pipeline.compare_stories)."""

    documents: dict[str, Document]
    sentences: dict[tuple[str, int], Sentence]
    mentions: dict[tuple[str, int], list[Mention]]
    pairs: list[SentencePair]
    options: dict = field(default_factory=dict)
    agreements: list = field(default_factory=list)  # (measure, (mention, label), (mention, label))
    stories: dict[str, int] = field(default_factory=dict)  # document → story; absent: one story
    vectors: Any = None  # sentence embeddings (numpy rows), for how close two sentences are in meaning
    rows: dict[tuple[str, int], int] = field(default_factory=dict)  # sentence → row of `vectors`
    # indexes of the mentions, made once here, before any rule reads them
    _by_kind: dict[tuple[str, int, str], tuple[Mention, ...]] = field(init=False, repr=False)
    _people: dict[str, set[str]] = field(init=False, repr=False)
    _event_df: dict[str, int] = field(init=False, repr=False)
    _place_df: dict[str, int] = field(init=False, repr=False)
    _person_df: dict[str, int] = field(init=False, repr=False)
    # the facts stage: its linker, and the links of each kind as they are first asked for (linking a
    # kind no enabled rule reads would be wasted work)
    _linker: Linker = field(init=False, repr=False)
    _links: dict[str, list[Link]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, int, str], list[Mention]] = {}
        for ms in self.mentions.values():
            for m in ms:
                index.setdefault((m.doc, m.sentence, m.kind), []).append(m)
        self._by_kind = {k: tuple(v) for k, v in index.items()}
        people: dict[str, set[str]] = {}
        for m in self.all_mentions("person"):
            people.setdefault(m.doc, set()).add(m.value)
        self._people = people
        df: dict[str, int] = {}
        for m in self.all_mentions("event"):
            for w in m.value:
                df[w] = df.get(w, 0) + 1
        self._event_df = df
        df = {}
        for key in {(m.doc, m.sentence, m.value.code) for m in self.all_mentions("place")}:
            df[key[2]] = df.get(key[2], 0) + 1
        self._place_df = df
        df = {}
        for key in {(m.doc, m.sentence, m.value) for m in self.all_mentions("person")}:
            df[key[2]] = df.get(key[2], 0) + 1
        self._person_df = df
        self._linker = Linker(self)
        self._links = {}

    def similarity(self, a: Sentence, b: Sentence) -> float:
        """Cosine similarity of two sentences' embeddings (0 when either is unknown)."""
        ra, rb = self.rows.get((a.doc, a.index)), self.rows.get((b.doc, b.index))
        if self.vectors is None or ra is None or rb is None:
            return 0.0
        return float(self.vectors[ra] @ self.vectors[rb])

    def people_of(self, doc: str) -> set[str]:
        """The canonical names of the people a document names, gathered once for the corpus."""
        return self._people.get(doc, set())

    def links(self, kind: str) -> list[Link]:
        """The values of `kind` linked as one fact (checker.facts.link.Link), computed once."""
        if kind not in self._links:
            self._links[kind] = self.linker().links(kind)
        return self._links[kind]

    def linker(self) -> Linker:
        """The corpus's checker.facts.link.Linker, made once."""
        return self._linker

    def link(self, a: Mention, b: Mention, sort: StoryLink) -> Link:
        """The link of two values a rule looking at a whole story found (one person's ages, one
        post), of a sort declared in checker.facts.story_links, with the features the linker
        reads off the two sentences."""
        return Link(a, b, sort.confidence, sort.how, self.linker().features(a, b))

    def story(self, doc: str) -> int:
        """Documents of one story may be compared beyond aligned pairs (who holds a post, who
        was first); documents of different stories never are."""
        return self.stories.get(doc, 0)

    def event_frequency(self, lemma: str) -> float:
        """The share of the corpus's sentences that use an event word: rare words identify events."""
        return self._event_df.get(lemma, 0) / max(1, len(self.sentences))

    def rare_shared_events(self, events: frozenset[str], exclude: str = "") -> set[str]:
        """Shared event words used by few sentences: 'phone' links two accounts of one call,
        'meeting' in a story about meetings links nothing."""
        limit = max(3 / max(1, len(self.sentences)), RARE_EVENT_SHARE)
        return {w for w in events if w != exclude and self.event_frequency(w) <= limit}

    def rare_shared_places(self, a: Sentence, b: Sentence) -> set[str]:
        """Names of places that both sentences mention and few sentences do ("Tasmania" in a story set
        in Canada), lower-cased as the context keys are."""
        limit = max(3, RARE_EVENT_SHARE * len(self.sentences))
        pa = {m.value.code: m.value.name for m in self.of(a, "place")}
        pb = {m.value.code for m in self.of(b, "place")}
        return {pa[c].lower() for c in pa.keys() & pb if self._place_df.get(c, 0) <= limit}

    def rare_shared_people(self, a: Sentence, b: Sentence) -> set[str]:
        """People both sentences name and few sentences do (lower-cased words of their names)."""
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

    def of(self, sentence: Sentence, kind: str) -> tuple[Mention, ...]:
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
        from checker.values import WEEKDAYS

        return f"published {WEEKDAYS[d.published.weekday()]} {d.published.isoformat()}"
