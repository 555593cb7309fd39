"""The rule registry's contract: every rule complete, and no code or name ever taken away.

tests/registry_snapshot.json is the registry as released (code → dotted name, status, kinds). A rule
may be added, or move from preview to stable; a code or a name that users put in their
claimcheck.toml must not disappear, nor a kind a rule compares. Regenerate the file only to add:
`python -m tests.test_registry`.
"""
from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

from checker.config import _validate
from checker.errors import ConfigError
from checker.models import Severity
from checker.rules import ALL_RULES, REGISTRY, STATUSES, Rule, enabled_codes, lookup, rule_by_code

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "registry_snapshot.json"
FIXTURES = HERE.parent / "fixtures" / "rules"


def snapshot() -> dict:
    return {r.code: {"name": r.name, "status": r.status, "kinds": list(r.kinds)} for r in REGISTRY}


def test_no_code_name_or_kind_disappears_from_the_registry():
    released = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    now = snapshot()
    for code, was in released.items():
        assert code in now, f"{code} disappeared from the registry"
        assert now[code]["name"] == was["name"], f"{code}: dotted name {was['name']} disappeared"
        assert set(was["kinds"]) <= set(now[code]["kinds"]), f"{code}: no longer compares {was['kinds']}"
        assert not (was["status"] == "stable" and now[code]["status"] != "stable"), f"{code}: stable is for good"


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_is_complete(rule: type[Rule]):
    assert re.fullmatch(r"CC-[A-Z]+-\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(\.[a-z]+)+", rule.dotted_name)
    assert rule.name  # the older hyphenated name: findings carry it, config accepts it
    assert rule.status in STATUSES
    assert isinstance(rule.severity, Severity) and rule.summary
    assert rule.kinds and all(isinstance(k, str) and k for k in rule.kinds)
    # two values are judged by the rule's own compare, whichever path (check, draft, claim, shell,
    # web) asks; rules that look over a whole story find their pairs themselves, then ask compare
    assert rule.compare is not Rule.compare, f"{rule.code} has no compare of its own"
    doc = inspect.getdoc(rule) or ""
    assert "**Conflict**" in doc and "**Agreement**" in doc and doc.index("**Conflict**") < doc.index("**Agreement**")
    assert (FIXTURES / f"{rule.code}.yml").is_file(), f"no fixtures/rules/{rule.code}.yml"


def test_codes_dotted_names_and_aliases_are_unique():
    names = [n for r in REGISTRY for n in r.names]
    assert len(names) == len(set(names))


def test_a_rule_is_found_by_code_dotted_name_or_alias_in_any_case():
    for key in ("CC-DATE-001", "cc-date-001", "date.mismatch", "date-mismatch", "DATE.MISMATCH"):
        assert lookup(key).code == "CC-DATE-001" and rule_by_code(key).code == "CC-DATE-001"
    assert lookup("date") is None  # a prefix selects; it does not name one rule


def test_select_and_ignore_take_codes_names_and_prefixes():
    every = {r.code for r in REGISTRY}
    assert enabled_codes() == every
    assert enabled_codes(select=["CC-NAME"]) == {"CC-NAME-001", "CC-NAME-002"}
    assert enabled_codes(select=["name"]) == {"CC-NAME-001", "CC-NAME-002"}
    assert enabled_codes(select=["name.variant"]) == {"CC-NAME-002"}
    assert enabled_codes(select=["date", "time"], ignore=["time-mismatch"]) == {"CC-DATE-001"}
    assert enabled_codes(ignore=["CC-D"]) == every - {"CC-DATE-001", "CC-DUR-001"}


def test_config_select_ignore_and_the_older_disable():
    config = _validate({"select": ["CC-DATE", "number", "name"], "ignore": ["name.variant"],
                        "disable": ["number-mismatch"], "severity": {"date.mismatch": "error"}}, "t.toml")
    options = config.options()
    assert {r.code for r in REGISTRY} - options.disabled == {"CC-DATE-001", "CC-NAME-001"}
    assert options.severity_overrides == {"CC-DATE-001": Severity.ERROR}
    # the command line replaces select and adds to ignore
    options = config.with_rules(select=["time"], ignore=["CC-TIME"]).options()
    assert {r.code for r in REGISTRY} - options.disabled == set()
    # an existing claimcheck.toml with hyphenated names keeps working
    assert _validate({"disable": ["date-mismatch"]}, "t").options().disabled == {"CC-DATE-001"}
    for key in ("select", "ignore", "disable"):
        with pytest.raises(ConfigError, match=f"t.toml: {key} names no rule: 'nothing'"):
            _validate({key: ["nothing"]}, "t.toml")


if __name__ == "__main__":  # regenerate the snapshot: additions only, the test above guards the rest
    SNAPSHOT.write_text(json.dumps(snapshot(), indent=2) + "\n", encoding="utf-8")
