"""The pre-publication pass: a draft checked against a corpus and against itself.

The draft is one more document in a run of the corpus pipeline (`pipeline.run_prepared`), so every
rule judges it exactly as it judges the corpus's articles, and its related-link lines, captions and
furniture are read as the sources' are (checker.segment.structure). Conflicts among the corpus's
articles alone are not the draft's business and are left out.

A rule reports pairs: one wrong value of the draft stated alike by four sources comes out as four
findings. An editor wants one line per wrong value ("the draft says seven years; 4 sources say
otherwise"), so the findings are merged per value of the draft (`merge_per_draft_value`). A value
the sources dispute among themselves, where at least as many sources state it as the draft does as
give any one other value, is not the draft's error: it is kept at info, as a dispute among the sources.

The draft's publication date resolves its relative dates ("on Sunday"): the date given as an option,
else a dateline found in its text, else today. `Document.published_source` says which ("option",
"text", "today") and the document's note repeats it for the text report.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import numpy as np

from checker.baseline import finding_fingerprint
from checker.errors import InputError
from checker.ingest.dateline import infer_published
from checker.models import Document, Evidence, Finding, Report, Severity
from checker.pipeline import Options, PreparedCorpus, prepare_corpus, run_prepared

if TYPE_CHECKING:
    from checker.cache import Cache
    from checker.rules.base import CompareContext

DRAFT_SUFFIXES = (".txt", ".md")
# `claimcheck draft` fails on a warning unless --fail-on says otherwise: a pre-publication pass is there
# to stop a draft that contradicts its sources (a corpus check's default stays the config's, else error)
DRAFT_FAIL_ON = "warning"
STDIN = "-"  # the draft's path that reads it from standard input (checker.ingest.stdin.DASH)
STDIN_NAME = "<stdin>"  # the name a draft read from standard input is reported under
SHOWN_VALUES = 3  # distinct values of the sources named in a merged finding's message; the rest counted
# A source sentence this close in meaning to the draft's sentence speaks of the same thing: the
# threshold `claimcheck claim` uses to find a claim's sources (checker.claim.FOUND_SIMILARITY,
# chosen there on the seeds' claims); a value of it that the rule's compare() finds equal to the
# draft's sides with the draft even where the linker made no link between the two.
SAME_THING = 0.6


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

    if str(path) == STDIN:
        return read_stdin_draft(published, today)
    p = Path(path)
    if p.suffix.lower() not in DRAFT_SUFFIXES:
        raise InputError(f"{path}: a draft must be a .txt or .md file")
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    doc = read_text_document(p, name=str(path))
    if doc.error:
        raise InputError(f"{path}: {doc.error}")
    return draft_document(doc.text, doc.name, published, today, path=str(p), note=doc.note)


def read_stdin_draft(published: date | None = None, today: date | None = None) -> Document:
    """The draft piped on standard input (`claimcheck draft - --against DIR`)."""
    from checker.ingest.stdin import read_stdin

    return draft_document(read_stdin("the draft"), STDIN_NAME, published, today)


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
    detailed = run_prepared(prepared, [doc], options, keep_pairs=False)
    report = detailed.report
    pairwise = [f for f in report.findings if any(e.doc == doc.name for e in f.evidence)]
    agreements = agreeing_sources(detailed.context, doc.name, pairwise)
    fronts: dict[str, Callable[[Sequence[Evidence]], int]] = {}  # one per rule: each reads every mention once

    def front(code: str) -> Callable[[Sequence[Evidence]], int]:
        if code not in fronts:
            fronts[code] = sources_at_one(detailed.context, code)
        return fronts[code]

    findings = tuple(merge_per_draft_value(pairwise, doc.name, agreements, front))
    stats = dict(report.stats, draft=doc.name, corpus_findings=len(report.findings) - len(pairwise),
                 draft_pairwise_findings=len(pairwise))
    # a fact names the findings about it: the merged one in place of the pairs it stands for
    merged_id = {_draft_spot(f, doc.name): f.id for f in findings}
    renamed = {f.id: merged_id[spot] for f in pairwise if (spot := _draft_spot(f, doc.name)) is not None}
    facts = tuple(replace(x, findings=tuple(dict.fromkeys(renamed.get(i, i) for i in x.findings)))
                  for x in report.facts if any(e.doc == doc.name for e in x.claims))
    return Report(documents=report.documents, facts=facts, findings=findings, stats=stats)


def _draft_spot(f: Finding, draft: str) -> tuple[int, int] | None:
    """Where the draft's side of a finding lies (None: a finding of the draft against itself)."""
    mine = [e for e in f.evidence if e.doc == draft]
    return _spot(mine[0]) if mine and len(mine) < len(f.evidence) else None


@dataclass(frozen=True)
class Agreement:
    """A source that states a value of the draft as the draft does."""

    start: int  # the draft value's offsets in the draft
    end: int
    doc: str  # the source


def agreeing_sources(ctx: CompareContext, draft: str, findings: Sequence[Finding] = ()) -> list[Agreement]:
    """The sources that state a value of the draft as the draft does: the agreements the rules
    noted, and for each value of the draft a finding contradicts, the sources whose sentences speak
    of the same thing (`SAME_THING`) and give a value the finding's rule judges equal."""
    out = []
    for _measure, (a, _la), (b, _lb) in ctx.agreements:
        mine, theirs = (a, b) if a.doc == draft else (b, a)
        if mine.doc == draft and theirs.doc != draft:
            out.append(Agreement(mine.start, mine.end, theirs.doc))
    seen: set[tuple[str, int, int]] = set()
    for f in findings:
        for e in f.evidence:
            if e.doc == draft and (f.rule, *_spot(e)) not in seen:
                seen.add((f.rule, *_spot(e)))
                out.extend(_stated_alike(ctx, draft, f.rule, e))
    return out


def _stated_alike(ctx: CompareContext, draft: str, code: str, e: Evidence) -> list[Agreement]:
    """Sources close in meaning to the draft's sentence that state its value as it does."""
    from checker.rules import rule_by_code

    rule_class = rule_by_code(code)
    sentence = next((s for (d, _), s in ctx.sentences.items() if d == draft and s.start == e.start), None)
    if rule_class is None or not rule_class.kinds or sentence is None or ctx.vectors is None:
        return []
    mine = [m for m in ctx.mentions.get((draft, sentence.index), ())
            if m.kind in rule_class.kinds and m.start < e.mention_end and e.mention_start < m.end]
    row = ctx.rows.get((draft, sentence.index))
    if not mine or row is None:
        return []
    keys = [k for k in ctx.rows if k[0] != draft and ctx.mentions.get(k)]
    if not keys:
        return []
    similarity = np.asarray(ctx.vectors)[[ctx.rows[k] for k in keys]] @ np.asarray(ctx.vectors)[row]
    rule = rule_class()
    out = []
    for key, sim in zip(keys, similarity):
        if sim < SAME_THING:
            continue
        for other in ctx.mentions[key]:
            if other.kind not in rule_class.kinds:
                continue
            verdict = next((c.verdict for m in mine if (c := rule.compare(m, other, ctx)) is not None), None)
            if verdict == "agree":
                out.append(Agreement(mine[0].start, mine[0].end, other.doc))
                break
    return out


def _spot(e: Evidence) -> tuple[int, int]:
    """Where an evidence item's value lies in its document (its sentence when no value is marked)."""
    return (e.mention_start, e.mention_end) if e.mention_start >= 0 else (e.start, e.end)


def sources_at_one(ctx: CompareContext, code: str) -> Callable[[Sequence[Evidence]], int]:
    """How many sources, among those that state a value otherwise than the draft, give one value
    together: the largest group of them whose values the rule's compare() finds equal. Four
    sources that say "five years" or "since 2018" are one front against the draft; one source's
    Friday and another's April 2022 are two."""
    from checker.rules import rule_by_code

    rule_class = rule_by_code(code)
    found = {(m.doc, m.start): m for ms in ctx.mentions.values() for m in ms}

    def largest(evidence: Sequence[Evidence]) -> int:
        mentions = [found.get((e.doc, e.mention_start)) for e in evidence]
        if rule_class is None or any(m is None for m in mentions):
            return len({e.doc for e in evidence})
        rule = rule_class()
        best = 0
        for m in mentions:
            together = {o.doc for o in mentions if o is m or (
                (c := rule.compare(m, o, ctx)) is not None and c.verdict in ("agree", "approximate"))}
            best = max(best, len(together))
        return best

    return largest


def merge_per_draft_value(findings: Iterable[Finding], draft: str, agreements: Sequence[Agreement] = (),
                          front: Callable[[str], Callable[[Sequence[Evidence]], int]] | None = None) -> list[Finding]:
    """One finding per value of the draft that the sources contradict, however many source pairs
    the rules reported it in: the draft's evidence first, then every source that states it
    otherwise. Where at least as many sources state the value as the draft does as give any one
    other value (`front(rule)` counts those; without it every source against the draft counts as
    one front), the sources dispute it among themselves: the merged finding is info. A finding with
    all its evidence in the draft (the draft against itself) is kept as it is."""
    groups: dict[tuple[int, int], list[Finding]] = {}
    kept: list[Finding] = []
    for f in findings:
        mine = [e for e in f.evidence if e.doc == draft]
        if not mine or len(mine) == len(f.evidence):
            kept.append(f)
            continue
        groups.setdefault(_spot(mine[0]), []).append(f)
    merged = [_merged(spot, group, draft, agreements, front) for spot, group in groups.items()]
    out = kept + merged
    out.sort(key=lambda f: (-f.severity.rank, next((e.line for e in f.evidence if e.doc == draft), 0), f.rule))
    return out


def _merged(spot: tuple[int, int], group: list[Finding], draft: str, agreements: Sequence[Agreement],
            front: Callable[[str], Callable[[Sequence[Evidence]], int]] | None) -> Finding:
    here = next(e for f in group for e in f.evidence if e.doc == draft and _spot(e) == spot)
    same: set[str] = {a.doc for a in agreements if a.start < spot[1] and spot[0] < a.end}
    others: dict[tuple[str, int, int], Evidence] = {}
    for f in group:
        for e in f.evidence:
            if e.doc == draft:
                continue
            if e.value == here.value:
                same.add(e.doc)  # a source in a finding that gives the draft's very value sides with it
            else:
                others.setdefault((e.doc, *_spot(e)), e)
    otherwise = [e for e in others.values() if e.doc not in same]
    lead = max(group, key=lambda f: (f.severity.rank, f.confidence))
    severity = lead.severity
    # the draft's error only where more sources give one other value than give the draft's: a value
    # that as many sources state as the draft does is a dispute among the sources, left at info
    against = front(lead.rule)(otherwise) if front and otherwise else len({e.doc for e in otherwise})
    dispute = bool(same) and len(same) >= against
    if dispute:
        severity = Severity.INFO
    if not otherwise:  # every source that spoke also agrees: nothing of the draft is contradicted
        otherwise, severity = list(others.values()), Severity.INFO
    sources = sorted({e.doc for e in otherwise})
    message = _message(here, otherwise, len(sources), sorted(same), dispute)
    explanation = " ".join(dict.fromkeys(f.explanation for f in group))  # each a sentence of its own
    found = Finding(lead.rule, lead.name, severity, max(f.confidence for f in group), message, explanation,
                    (here, *sorted(otherwise, key=lambda e: (e.doc, e.start))), lead.fact)
    return found.with_id(finding_fingerprint(found))


def _message(here: Evidence, otherwise: Sequence[Evidence], sources: int, same: Sequence[str], dispute: bool) -> str:
    """'the draft says "in seven years"; 4 sources say otherwise: "in five years" (a, b), ...'."""
    by_value: dict[str, list[str]] = {}
    for e in otherwise:
        docs = by_value.setdefault(e.value, [])
        if e.doc not in docs:
            docs.append(e.doc)
    told = [f'"{value}" ({", ".join(docs)})' for value, docs in list(by_value.items())[:SHOWN_VALUES]]
    if len(by_value) > SHOWN_VALUES:
        told.append(f"{len(by_value) - SHOWN_VALUES} more")
    noun = "source says" if sources == 1 else "sources say"
    text = f'the draft says "{here.value}"; {sources} {noun} otherwise: {", ".join(told)}'
    if dispute:
        text += (f"; {len(same)} {'source states' if len(same) == 1 else 'sources state'} it as the draft "
                 f"does ({', '.join(same)}): a dispute among the sources, not the draft's error")
    return text
