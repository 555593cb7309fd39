"""Rule documentation for `claimcheck rules`, read from the registry (checker.rules.REGISTRY)."""
from __future__ import annotations

from checker.errors import InputError

COLUMNS = (("code", 14), ("name", 20), ("also", 20), ("status", 8), ("severity", 9), ("kinds", 14))


def _row(cells: tuple[str, ...]) -> str:
    return " ".join(f"{c:{w}}" for c, (_, w) in zip(cells, COLUMNS)) + " " + cells[-1]


def describe_rules(code: str | None = None) -> str:
    """The registry as a table, or one rule's documentation (its docstring) by code or name."""
    from checker.rules import REGISTRY, lookup

    if code is None:
        rows = [_row((r.code, r.name, r.alias, r.status, r.severity.value, ",".join(r.kinds), r.summary))
                for r in REGISTRY]
        return "\n".join([_row(tuple(name for name, _ in COLUMNS) + ("summary",))] + rows) + "\n"
    rule = lookup(code)
    if rule is None:
        raise InputError(f"no rule {code!r}; `claimcheck rules` lists them")
    head = (f"{rule.code} {rule.name} (also {rule.alias}; {rule.status}; default severity: {rule.severity.value}; "
            f"compares: {', '.join(rule.kinds)})")
    return f"{head}\n\n{rule.docs}\n"
