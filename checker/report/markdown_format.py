"""Markdown for a pull-request comment: a summary table first, then the findings."""
from __future__ import annotations

from checker.models import Report, Severity


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(report: Report, **_: object) -> str:
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    out = ["## claimcheck", "",
           "| documents | errors | warnings | info |", "|---|---|---|---|",
           f"| {len(report.documents)} | {counts[Severity.ERROR]} | {counts[Severity.WARNING]} | {counts[Severity.INFO]} |",
           ""]
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in report.findings if f.severity == sev]
        if not group:
            continue
        out += [f"### {sev.value.capitalize()} ({len(group)})", ""]
        for f in group:
            out += [f"**{f.rule}** {_cell(f.message)} (confidence {f.confidence:.2f})", "",
                    "| where | value | sentence |", "|---|---|---|"]
            out += [f"| `{e.doc}:{e.line}` | {_cell(e.value)} | {_cell(e.text)} |" for e in f.evidence]
            out += ["", f"> {_cell(f.explanation)}", ""]
    skipped = [d for d in report.documents if d.error]
    if skipped:
        out += ["### Not checked", ""] + [f"- `{d.name}`: {_cell(d.error)}" for d in skipped] + [""]
    return "\n".join(out)
