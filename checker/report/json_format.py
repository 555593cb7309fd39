"""JSON output: the documented, versioned contract (docs/wire-schema.md)."""
from __future__ import annotations

import json

from checker.models import Document, Evidence, Fact, Finding, Report

SCHEMA_VERSION = "1.1"  # 1.1: documents[].source_format and .text for web pages


def document_dict(d: Document) -> dict:
    out = {"file": d.name, "published": d.published.isoformat() if d.published else None,
           "published_source": d.published_source}
    if d.published_evidence:
        out["published_evidence"] = d.published_evidence
    if d.outlet:
        out["outlet"] = d.outlet
    if d.error:
        out["error"] = d.error
    if d.note:
        out["note"] = d.note
    if d.source_format != "text":
        # offsets point into the extracted text, not the file: the reader gets the text itself
        out["source_format"] = d.source_format
        out["text"] = d.text
    if d.published is None and not d.error:
        out["unresolved"] = "no publication date: relative dates in this document stay unresolved"
    return out


def evidence_dict(e: Evidence) -> dict:
    return {"doc": e.doc, "start": e.start, "end": e.end, "line": e.line, "text": e.text,
            "value": e.value, "value_start": e.mention_start, "value_end": e.mention_end}


def finding_dict(f: Finding) -> dict:
    return {"id": f.id, "rule": f.rule, "name": f.name, "severity": f.severity.value,
            "confidence": f.confidence, "message": f.message, "explanation": f.explanation,
            "evidence": [evidence_dict(e) for e in f.evidence]}


def fact_dict(fact: Fact) -> dict:
    return {"measure": fact.measure, "rule": fact.kind, "kind": fact.kind, "agree": fact.agree,
            "findings": list(fact.findings),
            "claims": [{"doc": e.doc, "line": e.line, "start": e.start, "end": e.end, "value": e.value,
                        "text": e.text} for e in fact.claims]}


def report_dict(report: Report) -> dict:
    return {"schema_version": SCHEMA_VERSION,
            "documents": [document_dict(d) for d in report.documents],
            "facts": [fact_dict(f) for f in report.facts],
            "findings": [finding_dict(f) for f in report.findings],
            "summary": summary(report)}


def summary(report: Report) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in report.findings:
        counts[f.severity.value] += 1
    return {"documents": len(report.documents), "findings": len(report.findings), **counts}


def render(report: Report, **_: object) -> str:
    return json.dumps(report_dict(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
