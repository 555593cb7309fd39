"""What the pages show, built from the JSON report (`checker.report.json_format.report_dict`).

The pages read the report's JSON, the documented contract, rather than the pipeline's records,
which change more often. The `facts` list is read defensively: only `measure`, `kind` (or the
older `rule`), `agree` and `claims` ({doc, value, line, start, end, text}) are needed; `subject` and
`attribute` are shown when present, and anything else is ignored. Nothing here judges a value: a
fact is a conflict because the rules said so.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from checker.models import Document, Sentence

SEVERITIES = ("error", "warning", "info")
_RANK = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True)
class DocumentRow:
    name: str
    outlet: str
    published: str
    published_source: str
    published_evidence: str
    note: str
    error: str


@dataclass(frozen=True)
class Cell:
    """One value a source gives for a fact, with the sentence it is in."""

    value: str
    line: int
    start: int
    text: str


@dataclass(frozen=True)
class FindingLink:
    id: str
    severity: str
    message: str


@dataclass(frozen=True)
class FactRow:
    index: int
    measure: str
    kinds: tuple[str, ...]  # the rule codes that found conflicts in it, or ("agreement",)
    agree: bool
    subject: str
    attribute: str
    severity: str  # the highest severity of its findings; "" when it has none
    findings: tuple[FindingLink, ...]  # most severe first
    cells: tuple[tuple[Cell, ...], ...]  # one entry per column, in column order
    docs: tuple[str, ...]  # the documents that give a value

    @property
    def kind(self) -> str:
        return " ".join(self.kinds)

    @property
    def finding(self) -> str:
        return self.findings[0].id if self.findings else ""

    @property
    def marks(self) -> str:
        """What the severity filter matches: each finding's severity, and "agrees" for an agreement."""
        return " ".join(sorted({f.severity for f in self.findings} | ({"agrees"} if self.agree else set())))


@dataclass(frozen=True)
class FactsTable:
    columns: tuple[str, ...]  # document names, as the report gives them
    rows: tuple[FactRow, ...]
    kinds: tuple[str, ...]
    labels: tuple[str, ...] = ()  # what a reader sees over each column: the outlet (see column_labels)

    def label(self, index: int) -> str:
        return self.labels[index] if index < len(self.labels) else self.columns[index]


def column_labels(columns: Sequence[str], data: dict) -> tuple[str, ...]:
    """A reader's name for each source: its outlet (the manifest's, else the web page's site name),
    else its file name. Two sources of one outlet are told apart by date, then by number."""
    docs = {str(d.get("file")): d for d in data.get("documents", []) if isinstance(d, dict)}
    first = [str(docs.get(c, {}).get("outlet") or "").strip() or c.rsplit("/", 1)[-1] for c in columns]
    labels = []
    for c, label in zip(columns, first):
        if first.count(label) > 1 and docs.get(c, {}).get("published"):
            label = f"{label}, {docs[c]['published']}"
        labels.append(label)
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if labels.count(label) == 1 else f"{label} ({seen[label]})")
    return tuple(out)


@dataclass(frozen=True)
class Segment:
    """A run of an article's text with one look: plain, unread (furniture, beyond the cap), a
    conflicting value (linked to its finding) or an agreeing one."""

    text: str
    look: str  # "", "unread", "role-headline", "role-correction", "conflict error|warning|info",
    # "agree" (its sentence), "agree exact" (the value)
    href: str = ""
    title: str = ""
    anchor: str = ""  # "c<offset>" where a sentence starts: findings link to it


def documents_table(data: dict) -> list[DocumentRow]:
    rows = []
    for d in data.get("documents", []):
        rows.append(DocumentRow(name=str(d.get("file", "")), outlet=str(d.get("outlet", "")),
                                published=str(d.get("published") or "unknown"),
                                published_source=str(d.get("published_source", "")),
                                published_evidence=str(d.get("published_evidence", "")),
                                note=str(d.get("note", "")), error=str(d.get("error", ""))))
    return rows


def counts(data: dict) -> tuple[dict[str, int], list[tuple[str, str, int]]]:
    """Findings by severity, and by rule (code, name, count)."""
    by_severity = {s: 0 for s in SEVERITIES}
    by_rule: dict[tuple[str, str], int] = {}
    for f in data.get("findings", []):
        by_severity[f.get("severity", "info")] = by_severity.get(f.get("severity", "info"), 0) + 1
        key = (str(f.get("rule", "")), str(f.get("name", "")))
        by_rule[key] = by_rule.get(key, 0) + 1
    return by_severity, [(code, name, n) for (code, name), n in sorted(by_rule.items())]


def _claims(fact: dict) -> list[dict]:
    claims = fact.get("claims")
    return [c for c in claims if isinstance(c, dict)] if isinstance(claims, list) else []


def _evidence_key(items: Iterable[dict]) -> frozenset:
    return frozenset((str(c.get("doc")), c.get("start"), c.get("end"), str(c.get("value"))) for c in items)


def facts_table(data: dict) -> FactsTable:
    """One row per fact, one column per source (in the report's document order, then any other
    source a fact names), the values each source gives (a value said twice in one sentence, once).
    A fact's findings are those its `findings` list names; a report without that list links a
    conflict to the finding with the same evidence."""
    findings_by_evidence = {_evidence_key(f.get("evidence", [])): f for f in data.get("findings", [])}
    by_id = {f.get("id"): f for f in data.get("findings", [])}
    facts = [f for f in data.get("facts", []) if isinstance(f, dict)]
    columns: list[str] = []
    named = {str(c.get("doc")) for f in facts for c in _claims(f)}
    for d in data.get("documents", []):
        if str(d.get("file")) in named:
            columns.append(str(d.get("file")))
    for f in facts:
        for c in _claims(f):
            if str(c.get("doc")) not in columns:
                columns.append(str(c.get("doc")))
    rows = []
    for i, f in enumerate(facts):
        claims = _claims(f)
        agree = bool(f.get("agree", False))
        ids = f.get("findings")
        if isinstance(ids, list):
            found = [by_id[x] for x in ids if isinstance(x, str) and x in by_id]
        else:
            match = None if agree else findings_by_evidence.get(_evidence_key(claims))
            found = [match] if match else []
        found.sort(key=lambda x: -_RANK.get(str(x.get("severity")), 0))
        links = tuple(FindingLink(str(x.get("id", "")), str(x.get("severity", "")), str(x.get("message", "")))
                      for x in found)
        cells = []
        for col in columns:
            seen: set[tuple[str, int]] = set()
            cell = []
            for c in claims:
                value, start = str(c.get("value", "")), _int(c.get("start"))
                if str(c.get("doc")) == col and (value, start) not in seen:
                    seen.add((value, start))
                    cell.append(Cell(value=value, line=_int(c.get("line")), start=start, text=str(c.get("text", ""))))
            cells.append(tuple(cell))
        kinds = tuple(str(f.get("kind", f.get("rule", ""))).replace(",", " ").split()) or ("",)
        rows.append(FactRow(index=i, measure=str(f.get("measure", "")), kinds=kinds, agree=agree,
                            subject=str(f.get("subject") or ""), attribute=str(f.get("attribute") or ""),
                            severity=links[0].severity if links else "", findings=links,
                            cells=tuple(cells), docs=tuple(col for col, cs in zip(columns, cells) if cs)))
    kinds = tuple(sorted({k for r in rows for k in r.kinds}))
    return FactsTable(columns=tuple(columns), rows=tuple(rows), kinds=kinds, labels=column_labels(columns, data))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def article_segments(doc: Document, sentences: Sequence[Sentence], data: dict) -> list[Segment]:
    """The article's text cut where a sentence or a compared value starts or ends. Text outside
    every sentence is what the checker did not read (page furniture, lines beyond the cap); values
    in a finding's evidence are conflicts, linked to it; values of facts that agree are agreements."""
    text = doc.text
    n = len(text)
    marks: list[tuple[int, int, int, str, str, str]] = []  # start, end, rank, look, href, title
    for f in data.get("findings", []):
        for e in f.get("evidence", []):
            if e.get("doc") != doc.name:
                continue
            start, end = _value_span(e)
            sev = str(f.get("severity", "info"))
            marks.append((start, end, 10 + _RANK.get(sev, 0), f"conflict {sev}", f"/finding/{f.get('id', '')}",
                          f"{f.get('rule', '')}: {f.get('message', '')}"))
    facts = [f for f in data.get("facts", []) if isinstance(f, dict)]  # numbered as in facts_table
    for index, fact in enumerate(facts):
        if not fact.get("agree"):
            continue
        for c in _claims(fact):
            if c.get("doc") != doc.name:
                continue
            start, end = _value_span(c)
            exact = (start, end) != (_int(c.get("start")), _int(c.get("end")))
            marks.append((start, end, 2 if exact else 1, "agree exact" if exact else "agree", f"/#fact-{index}",
                          f"agrees: {fact.get('measure', '')}: {c.get('value', '')}"))
    marks = [m for m in marks if 0 <= m[0] < m[1] <= n]
    starts = {s.start for s in sentences}
    bounds = {0, n} | {b for s in sentences for b in (s.start, s.end) if 0 <= b <= n}
    bounds |= {b for m in marks for b in m[:2]}
    cuts = sorted(bounds)
    covered = _coverage(sentences, n)
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        over = [m for m in marks if m[0] <= a and b <= m[1]]
        anchor = f"c{a}" if a in starts else ""
        if over:
            top = max(over, key=lambda m: m[2])
            seg = Segment(text[a:b], top[3], top[4], top[5], anchor)
        else:
            role = covered(a)
            if role is None:
                seg = Segment(text[a:b], "unread", anchor=anchor)
            elif role in NOT_COMPARED:
                seg = Segment(text[a:b], f"role-{role}", title=NOT_COMPARED[role], anchor=anchor)
            else:
                seg = Segment(text[a:b], "", anchor=anchor)
        if out and not anchor and (out[-1].look, out[-1].href, out[-1].title) == (seg.look, seg.href, seg.title):
            out[-1] = Segment(out[-1].text + seg.text, seg.look, seg.href, seg.title, out[-1].anchor)
        else:
            out.append(seg)
    return out


def _value_span(item: dict) -> tuple[int, int]:
    """The value's own offsets when the item has them, else its sentence's."""
    vs, ve = _int(item.get("value_start")), _int(item.get("value_end"))
    start, end = _int(item.get("start")), _int(item.get("end"))
    if 0 <= start <= vs < ve <= end:
        return vs, ve
    return start, end


# Sentence roles (checker.segment.structure) whose values are never compared: shown apart.
NOT_COMPARED = {"headline": "headline: its values are not compared",
                "correction": "correction: its values are not compared"}


def _coverage(sentences: Sequence[Sentence], n: int) -> Callable[[int], str | None]:
    """For a position in the text: None outside every sentence, else the sentence's role."""
    spans = sorted((s.start, s.end, getattr(s, "role", "body")) for s in sentences)
    starts = [(a, b) for a, b, _ in spans]

    def role_at(pos: int) -> str | None:
        import bisect

        i = bisect.bisect_right(starts, (pos, n + 1)) - 1
        return spans[i][2] if i >= 0 and spans[i][0] <= pos < spans[i][1] else None

    return role_at


@dataclass(frozen=True)
class EvidenceView:
    doc: str
    line: int
    start: int
    value: str
    before: str  # the sentence before, for context
    lead: str  # the evidence sentence up to the value
    marked: str  # the value as written
    tail: str  # the rest of the sentence
    after: str  # the sentence after
    outlet: str
    published: str


def evidence_views(finding: dict, documents: dict[str, Document],
                   sentences_of: Callable[[str], Sequence[Sentence]]) -> list[EvidenceView]:
    """Each evidence sentence of a finding with the sentences around it."""
    out = []
    for e in finding.get("evidence", []):
        name = str(e.get("doc", ""))
        doc = documents.get(name)
        sents = sentences_of(name)
        start, end = _int(e.get("start")), _int(e.get("end"))
        text = str(e.get("text", ""))
        vs, ve = _value_span(e)
        if start <= vs < ve <= end and (vs, ve) != (start, end):
            lead, marked, tail = text[:vs - start], text[vs - start:ve - start], text[ve - start:]
        else:
            lead, marked, tail = "", text, ""
        idx = next((i for i, s in enumerate(sents) if s.start <= start < s.end), None)
        before = sents[idx - 1].text if idx is not None and idx > 0 else ""
        after = sents[idx + 1].text if idx is not None and idx + 1 < len(sents) else ""
        out.append(EvidenceView(doc=name, line=_int(e.get("line")), start=start, value=str(e.get("value", "")),
                                before=before, lead=lead, marked=marked, tail=tail, after=after,
                                outlet=doc.outlet if doc else "",
                                published=doc.published.isoformat() if doc and doc.published else "unknown"))
    return out


def draft_segments(text: str, data: dict) -> list[dict]:
    """The draft's text cut into runs, for the page to show with its contradicted sentences marked:
    each run is {"text"} alone, or with "look" ("contradicted SEVERITY" for a sentence a finding
    holds as the draft's evidence, "value SEVERITY" for the value itself), "title" (the findings'
    messages) and "findings" (their ids). Read from the draft's report (`check_draft`, as JSON):
    the marks are the findings' own evidence spans in the draft, nothing judged here."""
    name = data.get("draft")
    n = len(text)
    marks: list[tuple[int, int, int, str, dict]] = []  # start, end, rank, look, finding
    for f in data.get("findings", []):
        sev = str(f.get("severity", "info"))
        for e in f.get("evidence", []):
            if e.get("doc") != name:
                continue
            start, end = _int(e.get("start")), _int(e.get("end"))
            vs, ve = _value_span(e)
            marks.append((start, end, _RANK.get(sev, 0), f"contradicted {sev}", f))
            if (vs, ve) != (start, end):
                marks.append((vs, ve, 10 + _RANK.get(sev, 0), f"value {sev}", f))
    marks = [m for m in marks if 0 <= m[0] < m[1] <= n]
    cuts = sorted({0, n} | {b for m in marks for b in m[:2]})
    out: list[dict] = []
    for a, b in zip(cuts, cuts[1:]):
        over = [m for m in marks if m[0] <= a and b <= m[1]]
        if not over:
            out.append({"text": text[a:b]})
            continue
        top = max(over, key=lambda m: m[2])
        found = {id(m[4]): m[4] for m in over}.values()
        out.append({"text": text[a:b], "look": top[3],
                    "title": "\n".join(sorted({f"{f.get('rule', '')}: {f.get('message', '')}" for f in found})),
                    "findings": sorted({str(f.get("id", "")) for f in found})})
    return out
