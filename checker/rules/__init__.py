"""Stage 5: rule-based comparators, one module per rule, registered here in code order.

The registry is the one list every part of claimcheck asks about rules: the pipeline runs
`ALL_RULES`, and the config file, `--select` / `--ignore`, `claimcheck rules` and shell completion
read `REGISTRY`, one `RuleInfo` per rule. A rule is named three ways, all accepted wherever a rule
is named: its code (`CC-DATE-001`), its dotted name (`date.mismatch`, the name for config files)
and its older hyphenated name (`date-mismatch`, which findings and reports still carry, so existing
claimcheck.toml files keep working). Selecting takes prefixes of codes or dotted names, as ruff
and proselint do: `CC-NAME` or `name` is both name rules.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Iterable, Literal

from checker.models import Severity
from checker.rules.base import CompareContext, Rule
from checker.rules.age import AgeMismatch
from checker.rules.date import DateMismatch
from checker.rules.duration import DurationMismatch
from checker.rules.name import NameSubstitution
from checker.rules.name_variant import NameVariant
from checker.rules.number import NumberMismatch
from checker.rules.period import PeriodMismatch
from checker.rules.place import PlaceMismatch
from checker.rules.post import PostHolder
from checker.rules.superlative import SuperlativeSubject
from checker.rules.time import TimeMismatch
from checker.rules.title import TitleMismatch

ALL_RULES: tuple[type[Rule], ...] = (
    DateMismatch, TimeMismatch, PeriodMismatch, NumberMismatch, DurationMismatch, AgeMismatch,
    TitleMismatch, PostHolder, SuperlativeSubject, PlaceMismatch, NameSubstitution,
    NameVariant,
)

Status = Literal["stable", "preview"]
STATUSES: tuple[str, ...] = ("stable", "preview")  # preview: still runs by default; may change


@dataclass(frozen=True)
class RuleInfo:
    """What the registry knows of one rule, read from its class."""

    code: str
    name: str  # dotted, for config and the command line: "date.mismatch"
    alias: str  # the older hyphenated name, which findings carry: "date-mismatch"
    status: Status
    severity: Severity  # the default; claimcheck.toml's [severity] may change it per run
    kinds: tuple[str, ...]
    summary: str
    docs: str  # the class docstring: what it flags, a Conflict and an Agreement example

    @property
    def names(self) -> tuple[str, str, str]:
        """Every name the rule answers to, lower-cased."""
        return self.code.lower(), self.name.lower(), self.alias.lower()

    def matches(self, pattern: str) -> bool:
        """A code, dotted name or hyphenated name, or a prefix of one ("CC-DATE", "name")."""
        return any(n.startswith(pattern.lower()) for n in self.names)


def rule_info(rule: type[Rule]) -> RuleInfo:
    return RuleInfo(code=rule.code, name=rule.dotted_name, alias=rule.name, status=rule.status,
                    severity=rule.severity, kinds=tuple(rule.kinds), summary=rule.summary,
                    docs=inspect.getdoc(rule) or "")


REGISTRY: tuple[RuleInfo, ...] = tuple(rule_info(r) for r in ALL_RULES)


def lookup(key: str) -> RuleInfo | None:
    """The rule with exactly this code or name (either spelling), in any case."""
    return next((r for r in REGISTRY if key.lower() in r.names), None)


def rule_by_code(code: str) -> type[Rule] | None:
    info = lookup(code)
    return next((r for r in ALL_RULES if r.code == info.code), None) if info else None


def rule_for_kind(kind: str) -> type[Rule] | None:
    """The rule whose `compare` judges two values of this kind (the first registered that has one):
    a single claim's values are compared through it."""
    return next((r for r in ALL_RULES if kind in r.kinds and r.compare is not Rule.compare), None)


def matching_rules(pattern: str) -> tuple[RuleInfo, ...]:  # not `matching`: a module of this package
    return tuple(r for r in REGISTRY if r.matches(pattern))


def enabled_codes(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> frozenset[str]:
    """The codes of the rules that run: those `select` names (every rule when it names none), less
    those `ignore` names. Both take codes, names and prefixes."""
    select, ignore = tuple(select), tuple(ignore)
    chosen = [r for r in REGISTRY if not select or any(r.matches(p) for p in select)]
    return frozenset(r.code for r in chosen if not any(r.matches(p) for p in ignore))


__all__ = ["ALL_RULES", "REGISTRY", "CompareContext", "Rule", "RuleInfo", "enabled_codes", "lookup", "matching_rules",
           "rule_by_code", "rule_for_kind", "rule_info"]
