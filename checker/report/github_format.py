"""GitHub Actions workflow annotations: one per evidence item, each naming the other side.

`file=` is the path from the repository root (checker.report.locations), where GitHub looks for it;
the message names the other side by the same path.
"""
from __future__ import annotations

from checker.models import Report, Severity
from checker.report.locations import places

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, **_: object) -> str:
    where = places(report)
    lines = []
    for f in report.findings:
        for i, e in enumerate(f.evidence):
            others = "; ".join(f"{where.path(o.doc)}:{o.line} says {o.value}" for j, o in enumerate(f.evidence) if j != i)
            col = e.column + (e.mention_start - e.start if e.mention_start >= e.start else 0)
            lines.append(f"::{COMMANDS[f.severity]} file={_escape_property(where.path(e.doc))},line={e.line},col={col},"
                         f"title={_escape_property(f.rule + ' ' + f.name)}::"
                         + _escape_data(f"{f.message} (here: {e.value}; {others}). {f.explanation}"))
    return "\n".join(lines) + ("\n" if lines else "")
