"""Stage 3: typed mentions with normalised values, and people's names resolved across the corpus."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Iterable

from checker.extract.mentions import NAMED_BEFORE, extract_sentence
from checker.extract.people import PersonRegistry, name_tokens, name_variant
from checker.values import Place
from checker.models import Document, Mention, Sentence

__all__ = ["extract_documents", "resolve_people", "extract_sentence", "with_sentence_texts", "SharedValues"]


def extract_documents(docs: Iterable[Document], sentences: dict[str, list[Sentence]]) -> dict[str, list[Mention]]:
    """Mentions of every sentence, grouped by document name (names not yet resolved).

    A sentence's mentions depend only on its text and its article's publication date, so a sentence
    that wire copy repeats word for word is parsed once and its mentions moved to each place it occurs.
    """
    from checker.extract.nlp import iter_parsed

    order = [(d, s) for d in docs if not d.error for s in sentences.get(d.name, [])]
    out: dict[str, list[Mention]] = {d.name: [] for d in docs}
    first: dict[tuple[str, date | None], int] = {}
    unique: list[tuple[Sentence, date | None]] = []
    for doc, sent in order:
        if first.setdefault((sent.text, doc.published), len(unique)) == len(unique):
            unique.append((sent, doc.published))
    found = [extract_sentence(sent, parsed, published)
             for (sent, published), parsed in zip(unique, iter_parsed(s.text for s, _ in unique))]
    for doc, sent in order:
        i = first[(sent.text, doc.published)]
        out[doc.name].extend(_moved(found[i], unique[i][0], sent))
    shared = SharedValues()
    return {doc: shared.mentions(ms) for doc, ms in out.items()}


def with_sentence_texts(mentions: list[Mention], sentences: list[Sentence]) -> list[Mention]:
    """A document's mentions, those that span a whole sentence (an event is told by its sentence)
    holding the sentence's own text object rather than an equal copy: one string, not two, per
    sentence held, and one when the document is cached (a pickle writes an object once)."""
    by_index = {s.index: s for s in sentences}
    out = []
    for m in mentions:
        s = by_index.get(m.sentence)
        if s is not None and m.start == s.start and m.end == s.end and m.text is not s.text and m.text == s.text:
            m = replace(m, text=s.text)
        out.append(m)
    return out


class SharedValues:
    """Makes equal strings (and places, and sets of words) in mentions one object.

    A corpus names the same people, places and event words thousands of times; one object each
    makes the mentions held for the compare stage, and sent from an extraction process (a pickle
    writes an object once however often it recurs), about half the size."""

    def __init__(self) -> None:
        self._table: dict = {}

    def value(self, x):
        # only values whose equal copies are interchangeable: 1 == 1.0, so a number is left alone
        if isinstance(x, (str, Place)):
            return self._table.setdefault(x, x)
        if isinstance(x, frozenset) and all(isinstance(v, str) for v in x):
            return self._table.setdefault(x, frozenset(self.value(v) for v in x))
        return x

    def mentions(self, mentions: list[Mention]) -> list[Mention]:
        one = self.value
        return [Mention(one(m.kind), one(m.doc), m.sentence, m.start, m.end, one(m.text), one(m.value),
                        one(m.key), one(m.note), m.anchor, m.stated) for m in mentions]


def _moved(mentions: list[Mention], source: Sentence, target: Sentence) -> list[Mention]:
    """Mentions found in `source` placed in `target`, a sentence of the same text elsewhere."""
    if source is target:
        return mentions
    shift = target.start - source.start
    return [replace(m, doc=target.doc, sentence=target.index, start=m.start + shift, end=m.end + shift)
            for m in mentions]


def resolve_people(mentions: dict[str, list[Mention]]) -> tuple[dict[str, list[Mention]], PersonRegistry]:
    """Give every person, title, age and superlative one canonical name per person.

    Pronoun subjects of superlatives ("He is the highest-ranking ...") take the first person named
    in the same or the previous sentence of the document.
    """
    mentions = {doc: [m for m in ms if not (m.kind == "person" and _not_a_person(m.value))]
                for doc, ms in mentions.items()}
    names = {doc: {m.value for m in ms if m.kind == "person"} for doc, ms in mentions.items()}
    first_seen: dict[str, dict[str, int]] = {}
    for doc, ms in mentions.items():
        seen = first_seen.setdefault(doc, {})
        for m in ms:
            if m.kind == "person" and m.start < seen.get(m.value, 1 << 62):
                seen[m.value] = m.start
    # "known professionally as ...": the second name stands for the first, across the corpus
    registry = PersonRegistry(names, first_seen, _alias_table(mentions))
    known = registry.known_tokens()
    out: dict[str, list[Mention]] = {}
    for doc, ms in mentions.items():
        ms = [_as_person(m, known, registry, doc) for m in ms]
        ms = [m for m in ms if m.kind != "name?"]  # a run of capitals that names no one the corpus knows
        first_person: dict[int, str] = {}
        people_at: dict[int, list[tuple[int, str]]] = {}
        for m in sorted(ms, key=lambda x: x.start):
            if m.kind == "person":
                canon = registry.canonical(m.value, doc)
                first_person.setdefault(m.sentence, canon)
                people_at.setdefault(m.sentence, []).append((m.start, canon))
        fixed = []
        for m in ms:
            if m.kind == "alias":
                continue  # read into the registry; no rule compares it
            if m.kind == "person":
                canon = registry.canonical(m.value, doc)
                m = replace(m, value=canon, key=canon)
            elif m.kind == "age" and m.key == NAMED_BEFORE:
                # "The 18-year-old did not ...": the one person the two sentences before name (and this
                # one before the age)
                named = {name for i in range(m.sentence - 2, m.sentence + 1) for at, name in people_at.get(i, ())
                         if i < m.sentence or at < m.start}
                if len(named) != 1:
                    continue
                m = replace(m, key=next(iter(named)))
            elif m.kind in ("title", "age"):
                m = replace(m, key=registry.canonical(m.key, doc))
            elif m.kind == "superlative":
                subject = m.value.subject
                if subject.startswith("<"):
                    subject = first_person.get(m.sentence) or first_person.get(m.sentence - 1, "")
                    # the subject of "He is ..." is named before, not in, the sentence
                    prev = first_person.get(m.sentence - 1)
                    subject = prev or subject
                else:
                    subject = registry.canonical(subject, doc)
                if not subject:
                    continue
                m = replace(m, value=replace(m.value, subject=subject))
            if m.anchor is not None and m.anchor.owner:
                m = replace(m, anchor=replace(m.anchor, owner=registry.canonical(m.anchor.owner, doc)))
            fixed.append(m)
        out[doc] = _sole_person_owns(fixed)
    return out, registry


def _not_a_person(name: str) -> bool:
    """"The Lyon Ledger" (a masthead), a lone "Lyon" or "Rhône" (a dateline, a river): the small
    model's people that are no one."""
    from checker.extract.geo import lookup_place

    return name.startswith("The ") or (len(name_tokens(name)) == 1 and lookup_place(name) is not None)


def _as_person(m: Mention, known: set[str], registry: PersonRegistry, doc: str) -> Mention:
    """An organisation or an untagged run of capitals that is one of the corpus's people: a surname
    the model took for a body, or a full name it missed that is another spelling of a person the
    corpus names ("Remedios Clement, who heads the agency" where another source names Remedios
    Climent)."""
    from checker.extract.geo import lookup_place

    if m.kind == "org" and m.value in known:
        canon = registry.canonical(m.value, doc)  # spaCy sometimes tags a surname as a place or a body
        return replace(m, kind="person", value=canon, key=canon)
    if m.kind not in ("org", "name?") or (m.kind == "org" and m.key != "ORG"):
        return m
    words = name_tokens(m.value)
    if not (2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)) \
            or m.value in registry.all_full:
        return m
    # only a spelling of a person the corpus names: "Storm Elvira" tagged as a body is not a person
    # because another sentence tags it as one
    holders = registry.full_holding(words[0]) | registry.full_holding(words[-1])
    if any(name_variant(m.value, full) for full in holders) and lookup_place(m.value) is None:
        return replace(m, kind="person", value=m.value, key=m.value)
    return m


def _alias_table(mentions: dict[str, list[Mention]]) -> dict[str, str]:
    """Each other name → the name it stands for. One stage name given to two birth names (a source
    that has the birth name wrong) makes the stage name stand for both: the rest of what the sources
    say of that person is still compared."""
    primaries: dict[str, set[str]] = {}
    for ms in mentions.values():
        for m in ms:
            if m.kind == "alias" and m.value != m.key:
                primaries.setdefault(m.value, set()).add(m.key)
    table: dict[str, str] = {}
    for alias, names in sorted(primaries.items()):
        if len(names) == 1:
            table[alias] = next(iter(names))
        else:
            table.update((name, alias) for name in sorted(names))
    return table


def _sole_person_owns(mentions: list[Mention]) -> list[Mention]:
    """A length of time with no owner in a sentence that names one person (once the corpus has told
    a lone "Blinken" the model took for a place to be a person) is that person's."""
    people: dict[int, set[str]] = {}
    for m in mentions:
        if m.kind == "person":
            people.setdefault(m.sentence, set()).add(m.value)
    out = []
    for m in mentions:
        named = people.get(m.sentence, set())
        # a length of time is a person's (a visit, talks, a sentence); a count rarely is
        if m.kind == "duration" and m.anchor is not None and not m.anchor.owner and len(named) == 1:
            m = replace(m, anchor=replace(m.anchor, owner=next(iter(named))))
        out.append(m)
    return out
