"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint rests on its rule and the values and sentences involved, never on line
numbers, so an unrelated edit elsewhere in a file does not bring it back.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Iterable

from checker.errors import InputError
from checker.models import Finding, Report

FORMAT_VERSION = 1


def finding_fingerprint(f: Finding) -> str:
    """A finding's id, stable across unrelated edits: the rule, and the values and sentences
    involved (never line numbers or offsets)."""
    parts = sorted(f"{e.doc}\x1f{e.text}\x1f{e.value}" for e in f.evidence)
    return hashlib.sha1("\x1e".join([f.rule] + parts).encode("utf-8", "surrogatepass")).hexdigest()[:12]


def baseline_text(report: Report) -> str:
    return entries_text((f.id, f.rule, f.message) for f in report.findings)


def entries_text(entries: Iterable[tuple[str, str, str]]) -> str:
    """A baseline file's text for (id, rule, message) entries."""
    return json.dumps({"claimcheck_baseline": FORMAT_VERSION,
                       "findings": [{"id": i, "rule": r, "message": m} for i, r, m in sorted(set(entries))]},
                      indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: str) -> set[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("claimcheck_baseline") != FORMAT_VERSION:
            raise ValueError("not a claimcheck baseline")
        return {str(e["id"]) for e in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: cannot read the baseline ({exc})") from None


def without_baseline(report: Report, known: set[str]) -> Report:
    findings = tuple(f for f in report.findings if f.id not in known)
    facts = tuple(f for f in report.facts if f.agree or any(
        any(e == c for e in g.evidence for c in f.claims) for g in findings))
    return replace(report, findings=findings, facts=facts)


def add_to_baseline(path: str, entries: list[tuple[str, str, str]]) -> None:
    """Add (id, rule, message) entries to a baseline file, made if missing; written to a temporary
    file beside it and renamed, so a reader never sees half a file."""
    import os
    import tempfile

    known: dict[str, tuple[str, str, str]] = {}
    if os.path.exists(path):
        load_baseline(path)  # refuses a file that is not a baseline before anything is written
        with open(path, encoding="utf-8") as fh:
            for e in json.load(fh)["findings"]:
                known[str(e["id"])] = (str(e["id"]), str(e.get("rule", "")), str(e.get("message", "")))
    for entry in entries:
        known[entry[0]] = entry
    text = entries_text(known.values())
    fd, tmp = tempfile.mkstemp(prefix=".claimcheck-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
