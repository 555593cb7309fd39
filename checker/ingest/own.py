"""Recognise what claimcheck itself wrote, by content: a report, a baseline, batch results.

Such a file is never read as an article (a report saved into the corpus would otherwise be a new
"source" on the next run), and it is the only kind of existing file an --output may replace.
"""
from __future__ import annotations

import json
import re

_TEXT_SUMMARY = re.compile(r"^\d+ documents, \d+ errors, \d+ warnings, \d+ info$")
_GITHUB_LINE = re.compile(r"^::(?:error|warning|notice) file=[^\n]*,line=\d+,col=\d+,title=CC-")
_REPORT_KEYS = {"schema_version", "documents", "facts", "findings", "summary"}


def _json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def written_by_claimcheck(text: str) -> bool:
    """True for the output of any of claimcheck's formats, its baselines and its batch results."""
    head = text.lstrip("\ufeff \t\r\n")
    if not head:
        return False
    lines = head.splitlines()
    if _TEXT_SUMMARY.match(lines[-1].strip()):  # text
        return True
    if head.startswith("## claimcheck\n\n| documents | errors | warnings | info |"):  # markdown
        return True
    if head.startswith("<!DOCTYPE html>") and "<title>claimcheck report</title>" in head[:2048]:  # html
        return True
    if head.startswith("<?xml") and "<testsuite name=\"claimcheck\"" in head[:1024]:  # junit
        return True
    if all(_GITHUB_LINE.match(x) for x in lines):  # github annotations
        return True
    if head.startswith("{"):
        data = _json(head)
        if isinstance(data, dict):
            if set(data) == _REPORT_KEYS or "claimcheck_baseline" in data or "claimcheck_statistics" in data:
                # json, baseline, statistics
                return True
            runs = data.get("runs")
            if isinstance(runs, list) and runs and isinstance(runs[0], dict) and \
                    runs[0].get("tool", {}).get("driver", {}).get("name") == "claimcheck":  # sarif
                return True
        # batch results: one object a line, each with an id and findings
        rows = [_json(x) for x in lines if x.strip()]
        return all(isinstance(r, dict) and "id" in r and "findings" in r for r in rows)
    return False
