"""Plain text for a terminal: grouped by severity, file:line, both sentences, values marked."""
from __future__ import annotations

from checker.models import Evidence, Report, Severity


def _marked(e: Evidence, width: int = 240) -> str:
    text = e.text
    if e.mention_start >= e.start and e.mention_end <= e.end and e.mention_end > e.mention_start:
        s, t = e.mention_start - e.start, e.mention_end - e.start
        text = text[:s] + "[[" + text[s:t] + "]]" + text[t:]
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(report: Report, **_: object) -> str:
    lines: list[str] = []
    for d in report.documents:
        if d.error:
            lines.append(f"skipped {d.name}: {d.error}")
        elif d.published is None:
            lines.append(f"note {d.name}: no publication date; relative dates stay unresolved")
        elif d.note:
            lines.append(f"note {d.name}: {d.note}")
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in report.findings if f.severity == sev]
        if not group:
            continue
        lines.append("")
        lines.append(f"== {sev.value.upper()} ({len(group)}) ==")
        for f in group:
            lines.append("")
            lines.append(f"{f.rule} {f.name} [{f.id}] confidence {f.confidence:.2f}")
            lines.append(f"  {f.message}")
            for e in f.evidence:
                lines.append(f"  {e.doc}:{e.line}: {_marked(e)}")
            lines.append(f"  why: {f.explanation}")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    lines.append("")
    lines.append(f"{len(report.documents)} documents, {counts[Severity.ERROR]} errors, "
                 f"{counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info")
    return "\n".join(lines).lstrip("\n") + "\n"
