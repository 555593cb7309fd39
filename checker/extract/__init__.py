"""Stage 3: typed mentions with normalised values, and people's names resolved across the corpus."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from checker.extract.mentions import extract_sentence
from checker.extract.people import PersonRegistry
from checker.models import Document, Mention, Sentence

__all__ = ["extract_documents", "resolve_people", "extract_sentence"]


def extract_documents(docs: Iterable[Document], sentences: dict[str, list[Sentence]]) -> dict[str, list[Mention]]:
    """Mentions of every sentence, grouped by document name (names not yet resolved)."""
    from checker.extract.nlp import iter_parsed

    order = [(d, s) for d in docs if not d.error for s in sentences.get(d.name, [])]
    out: dict[str, list[Mention]] = {d.name: [] for d in docs}
    for (doc, sent), spacy_doc in zip(order, iter_parsed(s.text for _, s in order)):
        out[doc.name].extend(extract_sentence(sent, spacy_doc, doc.published))
    return out


def resolve_people(mentions: dict[str, list[Mention]]) -> tuple[dict[str, list[Mention]], PersonRegistry]:
    """Give every person, title, age and superlative one canonical name per person.

    Pronoun subjects of superlatives ("He is the highest-ranking ...") take the first person named
    in the same or the previous sentence of the document.
    """
    names = {doc: {m.value for m in ms if m.kind == "person"} for doc, ms in mentions.items()}
    registry = PersonRegistry(names)
    known = registry.known_tokens()
    out: dict[str, list[Mention]] = {}
    for doc, ms in mentions.items():
        first_person: dict[int, str] = {}
        for m in sorted(ms, key=lambda x: x.start):
            if m.kind == "person":
                first_person.setdefault(m.sentence, registry.canonical(m.value, doc))
        fixed = []
        for m in ms:
            if m.kind == "person":
                canon = registry.canonical(m.value, doc)
                m = replace(m, value=canon, key=canon)
            elif m.kind == "org" and m.value in known:
                # spaCy sometimes tags a surname as a place or an organisation
                canon = registry.canonical(m.value, doc)
                m = replace(m, kind="person", value=canon, key=canon)
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
            fixed.append(m)
        out[doc] = fixed
    return out, registry
