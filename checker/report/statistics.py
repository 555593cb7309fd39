"""Per-rule counts of a report, as `ruff --statistics` gives them: how many findings each rule made,
most first. Text for a terminal, or JSON (`claimcheck_statistics` 1) for a script."""
from __future__ import annotations

import json
from collections import Counter

import click

from checker.models import Report, Severity
from checker.report.json_format import summary

STATISTICS_FORMATS = ("text", "json")
STATISTICS_VERSION = 1


def rule_counts(report: Report) -> list[dict]:
    """One row per rule that found something: code, name, count, and the count per severity."""
    by_rule = Counter(f.rule for f in report.findings)
    names = {f.rule: f.name for f in report.findings}
    rows = []
    for code, count in sorted(by_rule.items(), key=lambda x: (-x[1], x[0])):
        severities = Counter(f.severity.value for f in report.findings if f.rule == code)
        rows.append({"code": code, "name": names[code], "count": count,
                     **{s.value: severities.get(s.value, 0) for s in Severity}})
    return rows


def render_statistics(report: Report, fmt: str = "text", color: bool = False) -> str:
    from checker.errors import UsageError

    if fmt not in STATISTICS_FORMATS:
        raise UsageError(f"--statistics writes {' or '.join(STATISTICS_FORMATS)}, not {fmt}")
    rows = rule_counts(report)
    if fmt == "json":
        return json.dumps({"claimcheck_statistics": STATISTICS_VERSION, "rules": rows, "summary": summary(report)},
                          indent=2, sort_keys=True) + "\n"
    width = max((len(str(r["count"])) for r in rows), default=1)
    code_width = max((len(r["code"]) for r in rows), default=0)
    lines = []
    for r in rows:
        code = r["code"].ljust(code_width)
        lines.append(f"{r['count']:>{width}}  {click.style(code, bold=True) if color else code}  {r['name']} "
                     f"({', '.join(f'{r[s.value]} {s.value}' for s in Severity if r[s.value])})")
    s = summary(report)
    lines.append(f"{s['documents']} documents, {s['error']} errors, {s['warning']} warnings, {s['info']} info")
    return "\n".join(lines) + "\n"
