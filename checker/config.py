"""Settings from `[tool.claimcheck]` in ./pyproject.toml or from `claimcheck.toml` beside the corpus.

Keys (all optional):

    fail-on  = "warning"                 # error | warning | info | never
    select   = ["CC-DATE", "name"]       # only these rules (default: all); codes, names or prefixes
    ignore   = ["CC-NAME-001", "number"] # switch rules off; codes, names or prefixes
    disable  = ["name.variant"]          # the older spelling of `ignore`, still read
    severity = { "CC-DATE-001" = "error" }
    include  = ["*.txt"]                 # file name patterns (fnmatch) to check
    exclude  = ["drafts/*"]

A rule is named by its code (CC-DATE-001), its dotted name (date.mismatch) or its older hyphenated
name (date-mismatch); see checker/rules/__init__.py. Command-line options override the file
(`--select` replaces `select`; `--ignore` / `--disable` add to `ignore`). An unknown key or a bad
value is an error (exit 2).
"""
from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from checker.errors import ConfigError
from checker.models import Document, Severity

KEYS = {"fail-on", "select", "ignore", "disable", "severity", "include", "exclude"}
RULE_LISTS = ("select", "ignore", "disable")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Config:
    fail_on: str | None = None
    selected: tuple[str, ...] = ()  # `select` patterns; empty: every rule
    ignored: tuple[str, ...] = ()  # `ignore` and `disable` patterns: one list, two spellings
    severity: dict = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: str = ""

    def options(self):
        """Pipeline options: rules switched off and severities changed."""
        from checker.pipeline import Options
        from checker.rules import REGISTRY, enabled_codes, lookup

        on = enabled_codes(self.selected, self.ignored)
        overrides = {lookup(key).code: Severity(sev) for key, sev in self.severity.items()}
        return Options(disabled=frozenset(r.code for r in REGISTRY if r.code not in on), severity_overrides=overrides)

    def with_rules(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> "Config":
        """These settings with the command line's rule choices (checked there, `rule_patterns`): a
        `select` given replaces the file's, an `ignore` adds to it."""
        return replace(self, selected=tuple(select) or self.selected, ignored=self.ignored + tuple(ignore))

    def select(self, docs: Sequence[Document]) -> list[Document]:
        """The documents the include / exclude patterns keep."""
        def keep(name: str) -> bool:
            if self.include and not any(fnmatch.fnmatch(name, p) for p in self.include):
                return False
            return not any(fnmatch.fnmatch(name, p) for p in self.exclude)

        return [d for d in docs if keep(d.name)]


def check_rule_patterns(source: str, lists: dict[str, Sequence[str]]) -> None:
    """Refuses an entry of select / ignore / disable that names no rule, not even as a prefix;
    `source` and the key name where it was given ("FILE: disable", "--ignore")."""
    from checker.rules import matching_rules

    for key, patterns in lists.items():
        for pattern in patterns:
            if not matching_rules(pattern):
                where = f"{source}: {key}" if source else key
                raise ConfigError(f"{where} names no rule: {pattern!r} (see `claimcheck rules`)")


def _validate(table: dict, source: str) -> Config:
    from checker.rules import lookup

    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(f"{source}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(KEYS))})")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"{source}: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    lists = {}
    for key in RULE_LISTS + ("include", "exclude"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{source}: {key} must be a list of strings")
        lists[key] = tuple(value)
    check_rule_patterns(source, {key: lists[key] for key in RULE_LISTS})
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{source}: severity must be a table of rule = level")
    for key, level in severity.items():
        if lookup(key) is None:
            raise ConfigError(f"{source}: severity names no rule: {key!r}")
        if level not in ("error", "warning", "info"):
            raise ConfigError(f"{source}: severity of {key} must be error, warning or info, not {level!r}")
    return Config(fail_on=fail_on, selected=lists["select"], ignored=lists["ignore"] + lists["disable"],
                  severity=dict(severity), include=lists["include"], exclude=lists["exclude"], source=source)


def load_config(corpus: str | None, explicit: str | None = None, cwd: str = ".") -> Config:
    """The settings in force: --config FILE, else claimcheck.toml in the corpus, else
    [tool.claimcheck] in ./pyproject.toml, else the defaults."""
    candidates: list[tuple[Path, bool]] = []
    if explicit:
        candidates.append((Path(explicit), False))
    else:
        if corpus:
            candidates.append((Path(corpus) / "claimcheck.toml", False))
        candidates.append((Path(cwd) / "pyproject.toml", True))
    for path, in_pyproject in candidates:
        if not path.is_file():
            if explicit:
                raise ConfigError(f"{path}: no such config file")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        if in_pyproject:
            table = data.get("tool", {}).get("claimcheck")
            if table is None:
                continue
            return _validate(table, f"{path} [tool.claimcheck]")
        return _validate(data.get("tool", {}).get("claimcheck", data), str(path))
    return Config()
