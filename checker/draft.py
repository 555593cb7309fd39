"""The pre-publication pass: a draft checked against a corpus and against itself.

The draft is one more document in a run of the corpus pipeline (`pipeline.run_prepared`), so every
rule judges it exactly as it judges the corpus's articles; the report keeps the findings that have
at least one evidence item in the draft, with the draft's own line numbers. Conflicts among the
corpus's articles alone are not the draft's business and are left out.

The draft's publication date resolves its relative dates ("on Sunday"): the date given as an option,
else a dateline found in its text, else today. `Document.published_source` says which ("option",
"text", "today") and the document's note repeats it for the text report.
"""
from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from checker.errors import InputError
from checker.ingest.dateline import infer_published
from checker.models import Document, Report
from checker.pipeline import Options, PreparedCorpus, prepare_corpus, run_prepared

if TYPE_CHECKING:
    from checker.cache import Cache

DRAFT_SUFFIXES = (".txt", ".md")


def draft_document(text: str, name: str, published: date | None = None, today: date | None = None,
                   path: str = "", note: str = "") -> Document:
    """The draft as a Document, dated by the option, else its text, else today."""
    if published is not None:
        source, evidence = "option", ""
    else:
        published, evidence = infer_published(text)
        source = "text"
        if published is None:
            published, source = today or date.today(), "today"
    said = {"option": "given with --published", "text": f'found in the text ("{evidence}")',
            "today": "none given or found in the text: today's date"}[source]
    dated = f"draft dated {published.isoformat()}, {said}"
    return Document(name=name, text=text, published=published, published_source=source,
                    published_evidence=evidence, path=path, note="; ".join(x for x in (dated, note) if x))


def read_draft(path: str | os.PathLike, published: date | None = None, today: date | None = None) -> Document:
    """Read a .txt or .md draft; a file that cannot be read is an input error (there is nothing else
    to check)."""
    from checker.ingest.reader import read_text_document

    p = Path(path)
    if p.suffix.lower() not in DRAFT_SUFFIXES:
        raise InputError(f"{path}: a draft must be a .txt or .md file")
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    doc = read_text_document(p, name=str(path))
    if doc.error:
        raise InputError(f"{path}: {doc.error}")
    return draft_document(doc.text, doc.name, published, today, path=str(p), note=doc.note)


def _corpus_without(against, draft: Document, embedder, cache: Cache | None) -> PreparedCorpus:
    """The prepared corpus, less the draft itself when it lies in the corpus folder (read from the
    folder here, or given as documents read from it)."""
    if isinstance(against, (str, os.PathLike)):
        from checker.ingest import read_corpus

        against = read_corpus(str(against))
    if not isinstance(against, PreparedCorpus):
        real = os.path.realpath(draft.path) if draft.path else None
        against = [d for d in against if not (real and d.path and os.path.realpath(d.path) == real)]
    return prepare_corpus(against, embedder, cache)


def check_draft(draft: str | os.PathLike | Document, against: str | PreparedCorpus | Sequence[Document],
                published: date | None = None, embedder=None, options: Options | None = None,
                cache: Cache | None = None) -> Report:
    """Check a draft (a path to a .txt/.md file, or a Document) against a corpus (a folder, documents,
    or a `PreparedCorpus`). The Report lists the corpus's documents and the draft, and only the
    findings with evidence in the draft; `report.stats["draft"]` names the draft."""
    doc = draft if isinstance(draft, Document) else read_draft(draft, published)
    if isinstance(draft, Document) and published is not None:
        doc = replace(doc, published=published, published_source="option")
    prepared = _corpus_without(against, doc, embedder, cache)
    taken = {d.name for d in prepared.documents}
    if doc.name in taken:
        doc = replace(doc, name=f"draft:{doc.name}")
    report = run_prepared(prepared, [doc], options, keep_pairs=False).report
    findings = tuple(f for f in report.findings if any(e.doc == doc.name for e in f.evidence))
    stats = dict(report.stats, draft=doc.name, corpus_findings=len(report.findings) - len(findings))
    return Report(documents=report.documents, facts=tuple(x for x in report.facts if any(
        e.doc == doc.name for e in x.claims)), findings=findings, stats=stats)
