"""Markdown for a pull-request comment: a summary table first, then the findings.

Every piece of text that comes from an article (values, sentences, and the messages and explanations
that quote them) goes through `_text`, and file names are code spans (`_code`), so that an article
cannot put HTML, a link, an image or a table cell of its own into the comment.
"""
from __future__ import annotations

import re
import string

from checker.models import Report, Severity

# HTML's own characters become entities (a backslash does not stop GitHub from reading a tag);
# every other ASCII punctuation mark is backslash-escaped, which CommonMark allows for all of them:
# that stops emphasis, links and images ([ ] ( ) !), table cells (|), headings, lists and quotes
# (# - + . >), code spans (`) and GitHub's autolinks of URLs, "www." and e-mail addresses (: . @).
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_ESCAPES = {c: _ENTITIES.get(c, "\\" + c) for c in string.punctuation}


def _text(text: str) -> str:
    """Article text as inert Markdown on one line: shown as written, never rendered."""
    return "".join(_ESCAPES.get(c, c) for c in " ".join(text.split()))


def _code(text: str, in_table: bool = True) -> str:
    """A file name as a code span, where nothing renders and the name reads as it is: fenced with
    more backticks than any run inside it; a pipe escaped in a table cell (GFM splits cells first)."""
    text = " ".join(text.split())
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


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
            out += [f"**{f.rule}** {_text(f.message)} (confidence {f.confidence:.2f})", "",
                    "| where | value | sentence |", "|---|---|---|"]
            out += [f"| {_code(f'{e.doc}:{e.line}')} | {_text(e.value)} | {_text(e.text)} |" for e in f.evidence]
            out += ["", f"> {_text(f.explanation)}", ""]
    skipped = [d for d in report.documents if d.error]
    if skipped:
        out += ["### Not checked", ""] + [f"- {_code(d.name, in_table=False)}: {_text(d.error)}" for d in skipped] + [""]
    return "\n".join(out)
