"""A claim's answer (checker.claim.ClaimResult) as text for a terminal or as JSON (schema "claim/1.0",
docs/claim-schema.md). Not in FORMATS: those render a corpus Report; `claim` and `shell` choose
from CLAIM_FORMATS."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from checker.claim import ClaimResult


def claim_dict(result: ClaimResult) -> dict:
    """The JSON form of a claim's result (schema "claim/1.0")."""
    return {
        "schema": "claim/1.0",
        "claim": result.claim,
        "date": result.date.isoformat() if result.date else None,
        "verdict": result.verdict,
        "exit_status": result.exit_code,
        "note": result.note,
        "threshold": result.threshold,
        "best_similarity": result.stats.get("best_similarity"),
        "sources": [{"doc": s.doc, "line": s.line, "start": s.start, "end": s.end, "text": s.text,
                     "similarity": s.similarity} for s in result.sources],
        "values": [{"kind": v.kind, "text": v.text, "value": v.value, "verdict": v.verdict,
                    "comparisons": [{"relation": c.relation, "doc": c.doc, "line": c.line, "text": c.text,
                                     "value": c.value, "explanation": c.explanation, "rule": c.rule,
                                     "finding": c.finding} for c in v.comparisons]}
                   for v in result.values],
    }


def render_json(result: ClaimResult, **_: object) -> str:
    return json.dumps(claim_dict(result), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _short(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


_QUIET_AGREEMENT = {"person", "place", "superlative"}  # "agrees" says all there is to say


VERDICT_COLOURS = {"contradicted": "red", "mixed": "yellow", "supported": "green"}  # others plain


def render_text(result: ClaimResult, max_conflicts: int = 4, max_agreements: int = 2, color: bool = False) -> str:
    verdict = result.verdict.upper()
    if color:
        import click

        verdict = click.style(verdict, fg=VERDICT_COLOURS.get(result.verdict), bold=True)
    lines = [f"claim: {result.claim}",
             f"date: {result.date.isoformat() if result.date else 'none (relative dates compared as stated)'}",
             f"verdict: {verdict}"]
    if result.sources:
        lines.append("")
        lines.append(f"sources (similarity; {result.threshold:.2f} or more speaks of the same thing):")
        for s in result.sources:
            mark = "" if s.similarity >= result.threshold else "  (below threshold)"
            lines.append(f"  {s.similarity:.2f}  {s.doc}:{s.line}: {_short(s.text)}{mark}")
    else:
        lines.append("no source sentence speaks of this")
    if result.note:
        lines.append(f"note: {result.note}")
    if result.values:
        lines.append("")
        lines.append("values:")
        order = {"conflicts": 0, "agrees": 1, "not stated": 2}
        for v in sorted(result.values, key=lambda v: order[v.verdict]):
            lines.append(f"  {v.kind} \"{v.text}\" ({v.value}): {v.verdict}")
            conflicts = [c for c in v.comparisons if c.relation == "conflicts"]
            others = [c for c in v.comparisons if c.relation != "conflicts"]
            shown = conflicts[:max_conflicts] + others[:max_agreements]
            for c in shown:
                rule = f" [{c.rule}]" if c.rule else ""
                lines.append(f"    {c.relation}{rule}: {c.doc}:{c.line}: {_short(c.text, 120)}")
                if c.relation != "agrees" or v.kind not in _QUIET_AGREEMENT:
                    lines.append(f"      says {c.value}; {c.explanation}")
            if len(v.comparisons) > len(shown):
                lines.append(f"    ... and {len(v.comparisons) - len(shown)} more")
    return "\n".join(lines) + "\n"


CLAIM_FORMATS: dict[str, Callable[..., str]] = {"text": render_text, "json": render_json}
