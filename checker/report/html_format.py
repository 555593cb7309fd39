"""One self-contained HTML page: findings by severity, sentences side by side, values highlighted,
filters by rule and severity. Every piece of article text is escaped."""
from __future__ import annotations

import html

from checker.models import Evidence, Report, Severity
from checker.report.draft_view import DraftLine, draft_lines

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} .summary span{margin-right:1.5em}
.finding{border:1px solid #ccc;border-radius:6px;margin:1em 0;padding:.8em}
.finding.error{border-left:6px solid #c0392b}.finding.warning{border-left:6px solid #e67e22}
.finding.info{border-left:6px solid #2980b9}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:.8em}
.side{background:#fafafa;padding:.6em;border-radius:4px}
.where{font:12px monospace;color:#555} mark{background:#ffd54f;padding:0 2px;font-weight:600}
.why{color:#444;margin-top:.5em} .rule{font:13px monospace} .filters{margin:1em 0}
.draft{background:#fafafa;border:1px solid #ccc;border-radius:6px;padding:.8em}
.draft p{margin:.3em 0;padding:.1em .4em} .draft .n{font:12px monospace;color:#888;margin-right:.8em}
.draft p.contradicted{background:#fdecea;border-left:4px solid #c0392b}
.draft p.disputed{border-left:4px solid #2980b9} .draft mark.info{background:#d6eaf8}
"""

_SCRIPT = """
function applyFilters(){
  var r=document.getElementById('rule').value, s=document.getElementById('sev').value;
  document.querySelectorAll('.finding').forEach(function(el){
    var ok=(!r||el.dataset.rule===r)&&(!s||el.dataset.severity===s);
    el.style.display=ok?'':'none';});
}
"""


def _marked(e: Evidence) -> str:
    text = e.text
    if e.start <= e.mention_start < e.mention_end <= e.end:
        s, t = e.mention_start - e.start, e.mention_end - e.start
        return html.escape(text[:s]) + "<mark>" + html.escape(text[s:t]) + "</mark>" + html.escape(text[t:])
    return html.escape(text)


def _draft_section(lines: list[DraftLine]) -> str:
    """The draft as written, each line whose value the sources contradict marked, the value too."""
    esc = html.escape
    parts = ["<h2>The draft</h2><div class='draft'>"]
    for d in lines:
        if not d.text.strip():
            continue
        body, last = "", 0
        for m in d.marks:
            body += esc(d.text[last:m.start]) + f"<mark class='{m.severity.value}' title='{esc(m.rule)}'>" \
                + esc(d.text[m.start:m.end]) + "</mark>"
            last = m.end
        body += esc(d.text[last:])
        kind = " class='contradicted'" if d.contradicted else (" class='disputed'" if d.marks else "")
        parts.append(f"<p{kind}><span class='n'>{d.number}</span>{body}</p>")
    parts.append("</div>")
    return "".join(parts)


def render(report: Report, **_: object) -> str:
    esc = html.escape
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    rules = sorted({f.rule for f in report.findings})
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">",
             f"<title>claimcheck report</title><style>{_STYLE}</style><script>{_SCRIPT}</script></head><body>",
             "<h1>claimcheck report</h1><p class='summary'>",
             f"<span>{len(report.documents)} documents</span>",
             *(f"<span>{counts[s]} {s.value}</span>" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)),
             "</p><div class='filters'>Rule <select id='rule' onchange='applyFilters()'><option value=''>all</option>",
             *(f"<option>{esc(r)}</option>" for r in rules),
             "</select> Severity <select id='sev' onchange='applyFilters()'><option value=''>all</option>",
             *(f"<option>{s.value}</option>" for s in Severity),
             "</select></div>"]
    for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in report.findings if f.severity == sev]
        if not group:
            continue
        parts.append(f"<h2>{sev.value.capitalize()} ({len(group)})</h2>")
        for f in group:
            parts.append(f"<div class='finding {sev.value}' data-rule='{esc(f.rule)}' data-severity='{sev.value}'>"
                         f"<div class='rule'>{esc(f.rule)} {esc(f.name)} · confidence {f.confidence:.2f}</div>"
                         f"<p><strong>{esc(f.message)}</strong></p><div class='sides'>")
            for e in f.evidence:
                parts.append(f"<div class='side'><div class='where'>{esc(e.doc)}:{e.line} · {esc(e.value)}</div>"
                             f"{_marked(e)}</div>")
            parts.append(f"</div><p class='why'>{esc(f.explanation)}</p></div>")
    draft = draft_lines(report)
    if draft is not None:
        parts.append(_draft_section(draft))
    skipped = [d for d in report.documents if d.error]
    if skipped:
        parts.append("<h2>Not checked</h2><ul>" + "".join(
            f"<li>{esc(d.name)}: {esc(d.error)}</li>" for d in skipped) + "</ul>")
    parts.append("</body></html>\n")
    return "".join(parts)
