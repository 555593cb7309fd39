"""Rule documentation for `claimcheck rules`, read from each rule's docstring."""
from __future__ import annotations

import inspect

from checker.errors import CheckerError


def describe_rules(code: str | None = None) -> str:
    from checker.rules import ALL_RULES, rule_by_code

    if code is None:
        rows = [f"{r.code:15} {r.name:22} {r.severity.value:8} {r.summary}" for r in ALL_RULES]
        return "\n".join([f"{'code':15} {'name':22} {'severity':8} summary"] + rows) + "\n"
    rule = rule_by_code(code)
    if rule is None:
        raise CheckerError(f"no rule {code!r}; `claimcheck rules` lists them")
    doc = inspect.getdoc(rule) or ""
    return f"{rule.code} {rule.name} (default severity: {rule.severity.value})\n\n{doc}\n"
