"""Markdown for a pull-request comment: a summary table first, then the findings.

Every piece of text that comes from an article (file names, values, sentences, and the messages and
explanations that quote them) goes through `_text`, so that an article cannot put HTML, a link, an
image or a table cell of its own into the comment.
"""
from __future__ import annotations

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
            out += [f"| {_text(f'{e.doc}:{e.line}')} | {_text(e.value)} | {_text(e.text)} |" for e in f.evidence]
            out += ["", f"> {_text(f.explanation)}", ""]
    skipped = [d for d in report.documents if d.error]
    if skipped:
        out += ["### Not checked", ""] + [f"- {_text(d.name)}: {_text(d.error)}" for d in skipped] + [""]
    return "\n".join(out)
