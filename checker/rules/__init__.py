"""Stage 5: rule-based comparators, one module per rule, registered here in code order."""
from __future__ import annotations

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


def rule_by_code(code: str) -> type[Rule] | None:
    for r in ALL_RULES:
        if r.code.lower() == code.lower() or r.name.lower() == code.lower():
            return r
    return None


__all__ = ["ALL_RULES", "CompareContext", "Rule", "rule_by_code"]
