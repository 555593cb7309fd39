"""Baselines: record today's findings, then report only new ones.

A finding's fingerprint rests on its rule and the values and sentences involved, never on line
numbers, so an unrelated edit elsewhere in a file does not bring it back.
"""
from __future__ import annotations

import json
from dataclasses import replace

from checker.errors import InputError
from checker.models import Report

FORMAT_VERSION = 1


def baseline_text(report: Report) -> str:
    entries = sorted({(f.id, f.rule, f.message) for f in report.findings})
    return json.dumps({"claimcheck_baseline": FORMAT_VERSION,
                       "findings": [{"id": i, "rule": r, "message": m} for i, r, m in entries]},
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
