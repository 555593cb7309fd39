"""SARIF 2.1.0, for code-scanning tools: one result per finding, every evidence item a location.

Locations are paths from the repository root (checker.report.locations) against the base id
%SRCROOT%, which `originalUriBaseIds` resolves to that root: GitHub code scanning then attaches a
result to `corpus/000_x.txt` when `claimcheck check corpus` ran at the root of the checkout.
"""
from __future__ import annotations

import inspect
import json

from checker.models import Report, Severity
from checker.report.locations import places

SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _rules() -> list[dict]:
    from checker.rules import ALL_RULES

    return [{"id": r.code, "name": r.name,
             "shortDescription": {"text": r.summary},
             "fullDescription": {"text": inspect.getdoc(r) or r.summary},
             "defaultConfiguration": {"level": LEVELS[r.severity]}} for r in ALL_RULES]


def render(report: Report, **_: object) -> str:
    from checker import __version__

    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    where = places(report)
    results = []
    for f in report.findings:
        locations = []
        for e in f.evidence:
            region = {"startLine": e.line, "charOffset": e.start, "charLength": e.end - e.start,
                      "snippet": {"text": e.text}}
            locations.append({"physicalLocation": {"artifactLocation": where.artifact(e.doc, SRCROOT),
                                                   "region": region},
                              "message": {"text": f"value: {e.value}"}})
        results.append({"ruleId": f.rule, "ruleIndex": index.get(f.rule, 0), "level": LEVELS[f.severity],
                        "message": {"text": f"{f.message}. {f.explanation}"},
                        "locations": locations[:1], "relatedLocations": [
                            {**loc, "id": i} for i, loc in enumerate(locations[1:], 1)],
                        "partialFingerprints": {"claimcheck/v1": f.id},
                        "properties": {"confidence": f.confidence}})
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "claimcheck", "version": __version__,
                                         "rules": rules}},
                     "columnKind": "unicodeCodePoints",
                     "originalUriBaseIds": {SRCROOT: {"uri": where.root_uri()}},
                     "results": results}]}
    return json.dumps(log, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
