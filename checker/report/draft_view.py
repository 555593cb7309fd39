"""The draft of a `claimcheck draft` report, line by line, with the values the findings contradict
marked: what the text and HTML reports show below the findings, so that an editor reads the draft
as it stands with its wrong sentences picked out."""
from __future__ import annotations

from dataclasses import dataclass

from checker.models import Report, Severity


@dataclass(frozen=True)
class Mark:
    start: int  # 0-based offsets in the line
    end: int
    severity: Severity
    rule: str


@dataclass(frozen=True)
class DraftLine:
    number: int  # 1-based
    text: str
    marks: tuple[Mark, ...]  # the values of this line that a finding names, left to right

    @property
    def contradicted(self) -> bool:
        """A value of the line is contradicted by the sources (a finding at warning or above)."""
        return any(m.severity.rank >= Severity.WARNING.rank for m in self.marks)


def draft_lines(report: Report) -> list[DraftLine] | None:
    """The draft's lines with their marked values; None for a report that is not a draft's."""
    name = report.stats.get("draft")
    doc = next((d for d in report.documents if d.name == name), None) if name else None
    if doc is None:
        return None
    text = doc.text
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    marks: dict[int, list[Mark]] = {}
    for f in report.findings:
        for e in f.evidence:
            if e.doc != name:
                continue
            lo, hi = (e.mention_start, e.mention_end) if e.mention_start >= 0 else (e.start, e.end)
            first = starts[e.line - 1] if 0 < e.line <= len(starts) else 0
            marks.setdefault(e.line, []).append(Mark(lo - first, hi - first, f.severity, f.rule))
    lines = text.split("\n")
    out = []
    for number, line in enumerate(lines, 1):
        ms = sorted(marks.get(number, []), key=lambda m: (m.start, -m.severity.rank))
        kept: list[Mark] = []
        for m in ms:  # one mark per stretch of text: the first and most severe
            if 0 <= m.start < m.end <= len(line) and not (kept and m.start < kept[-1].end):
                kept.append(m)
        out.append(DraftLine(number, line.rstrip("\r"), tuple(kept)))
    return out
