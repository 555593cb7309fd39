"""Plain text for a terminal, as ruff and compilers write it: one `path:line:col: CODE [severity]
message` line per finding, the path relative to the working directory, so that a terminal or an
editor jumps to the value; then every side's sentence with its value marked, and why.

Values are marked in colour when `color` is true (the CLI decides: `--color`, a terminal, NO_COLOR),
else between `[[` and `]]`. A draft's report ends with the draft, its contradicted lines marked.
"""
from __future__ import annotations

import re

import click

from checker.models import Evidence, Report, Severity
from checker.report.draft_view import DraftLine, draft_lines
from checker.report.locations import shown_paths, value_column

WIDTH = 240  # a quoted sentence longer than this is cut, so one finding stays a few lines
COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


class Paint:
    """ANSI styles when colour is on; plain text (and `[[value]]`) when it is off."""

    def __init__(self, on: bool) -> None:
        self.on = on

    def __call__(self, text: str, **style: object) -> str:
        return click.style(text, **style) if self.on else text

    def value(self, text: str) -> str:
        return self(text, bold=True, underline=True, fg="magenta") if self.on else f"[[{text}]]"


def _marked(e: Evidence, paint: Paint, width: int = WIDTH) -> str:
    """The sentence on one line, its value marked, cut after the value when it is too long."""
    if not e.start <= e.mention_start < e.mention_end <= e.end:
        text = _one_line(e.text).strip()
        return text if len(text) <= width else text[: width - 1] + "…"
    s, t = e.mention_start - e.start, e.mention_end - e.start
    before, value, after = _one_line(e.text[:s]).lstrip(), _one_line(e.text[s:t]), _one_line(e.text[t:]).rstrip()
    room = max(0, width - len(before) - len(value))
    if len(after) > room:
        after = after[:max(0, room - 1)] + "…"
    return before + paint.value(value) + after


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _where(e: Evidence, paths: dict[str, str]) -> str:
    return f"{paths.get(e.doc, e.doc)}:{e.line}:{value_column(e)}"


def _draft_section(lines: list[DraftLine], paint: Paint) -> list[str]:
    out = ["", "the draft (>> a value the sources contradict, ?  a value they dispute):"]
    for d in lines:
        if not d.text.strip():
            continue
        text, last = "", 0
        for m in d.marks:
            value = d.text[m.start:m.end]
            text += d.text[last:m.start] + (paint(value, fg=COLOURS[m.severity], bold=True, underline=True)
                                             if paint.on else f"[[{value}]]")
            last = m.end
        text += d.text[last:]
        flag = ">>" if d.contradicted else ("? " if d.marks else "  ")
        out.append(f"{paint(flag, fg='red', bold=True) if d.contradicted else flag} {d.number:4d}  {text}")
    return out


def render(report: Report, color: bool = False, **_: object) -> str:
    paint = Paint(color)
    paths = shown_paths(report)
    lines: list[str] = []
    for d in report.documents:
        where = paths.get(d.name, d.name)
        if d.error:
            lines.append(f"skipped {where}: {d.error}")
        elif d.published is None:
            lines.append(f"note {where}: no publication date; relative dates stay unresolved")
        elif d.note:
            lines.append(f"note {where}: {d.note}")
    order = sorted(report.findings, key=lambda f: (-f.severity.rank, paths.get(f.evidence[0].doc, f.evidence[0].doc),
                                                   f.evidence[0].line, value_column(f.evidence[0])))
    for f in order:
        first = f.evidence[0]
        severity = paint(f"[{f.severity.value}]", fg=COLOURS[f.severity], bold=True)
        lines.append("")
        lines.append(f"{paint(_where(first, paths), bold=True)}: {paint(f.rule, fg=COLOURS[f.severity], bold=True)} "
                     f"{severity} {f.message}")
        for e in f.evidence:
            lines.append(f"  {_where(e, paths)}: {_marked(e, paint)}")
        lines.append(f"  why: {f.explanation} (confidence {f.confidence:.2f}, id {f.id})")
    draft = draft_lines(report)
    if draft is not None:
        lines.extend(_draft_section(draft, paint))
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    lines.append("")
    lines.append(f"{len(report.documents)} documents, {counts[Severity.ERROR]} errors, "
                 f"{counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info")
    return "\n".join(lines).lstrip("\n") + "\n"
