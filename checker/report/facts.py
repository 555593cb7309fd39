"""The facts table: every group of two or more linked claims, with each source's value.

A fact is a connected group of claims that the rules linked as one attribute of one thing, whether
they agree or not: a reader sees who says what. Conflicts come from the findings' evidence,
agreements from the links the rules judged equal.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from checker.models import Evidence, Fact, Finding, Severity

if TYPE_CHECKING:
    from checker.rules.base import CompareContext


def facts_from(findings: list[Finding], ctx: CompareContext | None = None) -> list[Fact]:
    """The facts table of a run: its findings and the agreements the rules noted in `ctx`, each
    claim's evidence taken from the sentences there."""
    from checker.rules.base import evidence_for

    agreements = ctx.agreements if ctx is not None else []
    return facts_table(findings, agreements, lambda m, label: evidence_for(ctx, m, label))


def facts_table(findings: list[Finding], agreements: list, evidence_for) -> list[Fact]:
    """Facts from the findings and the noted agreements ((measure, (mention, label), (mention,
    label)) tuples); `evidence_for(mention, label)` turns a claim into an Evidence record."""
    parent: dict[tuple, tuple] = {}

    def find(x: tuple) -> tuple:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    claims: dict[tuple, Evidence] = {}
    measures: dict[tuple, str] = {}
    rules: dict[tuple, set[str]] = {}
    conflicts: dict[tuple, list[Finding]] = {}

    def node(e: Evidence) -> tuple:
        return (e.doc, e.mention_start if e.mention_start >= 0 else e.start, e.value)

    for f in findings:
        nodes = [node(e) for e in f.evidence]
        for e, n in zip(f.evidence, nodes):
            claims.setdefault(n, e)
            measures.setdefault(n, f.fact or f.name)
            rules.setdefault(n, set()).add(f.rule)
        for n in nodes[1:]:
            parent[find(n)] = find(nodes[0])
    for measure, (ma, la), (mb, lb) in agreements:
        ea, eb = evidence_for(ma, la), evidence_for(mb, lb)
        na, nb = node(ea), node(eb)
        claims.setdefault(na, ea)
        claims.setdefault(nb, eb)
        measures.setdefault(na, measure)
        measures.setdefault(nb, measure)
        parent[find(na)] = find(nb)
    for f in findings:
        conflicts.setdefault(find(node(f.evidence[0])), []).append(f)
    groups: dict[tuple, list[tuple]] = {}
    for n in claims:
        groups.setdefault(find(n), []).append(n)
    facts = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        members.sort(key=lambda n: (claims[n].doc, claims[n].start))
        found = conflicts.get(root, [])
        serious = [f for f in found if f.severity.rank >= Severity.WARNING.rank]
        kind = ",".join(sorted({f.rule for f in found})) or "agreement"
        facts.append(Fact(measure=measures[members[0]], kind=kind, claims=tuple(claims[n] for n in members),
                          agree=not serious, findings=tuple(f.id for f in found)))
    facts.sort(key=lambda f: (f.agree, f.measure, f.claims[0].doc, f.claims[0].start))
    return facts


