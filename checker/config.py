"""Settings from `[tool.claimcheck]` in ./pyproject.toml or from `claimcheck.toml` beside the corpus.

Keys (all optional):

    fail-on  = "warning"                 # error | warning | info | never
    disable  = ["CC-NAME-001", "number"] # rule codes or names; a prefix disables a family
    severity = { "CC-DATE-001" = "error" }
    include  = ["*.txt"]                 # file name patterns (fnmatch) to check
    exclude  = ["drafts/*"]

Command-line options override the file. An unknown key or a bad value is an error (exit 2).
"""
from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from checker.errors import ConfigError
from checker.models import Document, Severity

KEYS = {"fail-on", "disable", "severity", "include", "exclude"}
FAIL_ON = ("error", "warning", "info", "never")


@dataclass(frozen=True)
class Config:
    fail_on: str | None = None
    disable: tuple[str, ...] = ()
    severity: dict = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    source: str = ""

    def options(self):
        """Pipeline options: rules switched off and severities changed."""
        from checker.pipeline import Options
        from checker.rules import ALL_RULES

        disabled = frozenset(r.code for r in ALL_RULES for d in self.disable
                             if r.code.lower().startswith(d.lower()) or r.name.lower().startswith(d.lower()))
        overrides = {}
        for key, sev in self.severity.items():
            for r in ALL_RULES:
                if key.lower() in (r.code.lower(), r.name.lower()):
                    overrides[r.code] = Severity(sev)
        return Options(disabled=disabled, severity_overrides=overrides)

    def select(self, docs: Sequence[Document]) -> list[Document]:
        """The documents the include / exclude patterns keep."""
        def keep(name: str) -> bool:
            if self.include and not any(fnmatch.fnmatch(name, p) for p in self.include):
                return False
            return not any(fnmatch.fnmatch(name, p) for p in self.exclude)

        return [d for d in docs if keep(d.name)]


def _validate(table: dict, source: str) -> Config:
    from checker.rules import ALL_RULES

    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(f"{source}: unknown key {sorted(unknown)[0]!r} (known: {', '.join(sorted(KEYS))})")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"{source}: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    lists = {}
    for key in ("disable", "include", "exclude"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{source}: {key} must be a list of strings")
        lists[key] = tuple(value)
    known = [r.code.lower() for r in ALL_RULES] + [r.name.lower() for r in ALL_RULES]
    for d in lists["disable"]:
        if not any(k.startswith(d.lower()) for k in known):
            raise ConfigError(f"{source}: disable names no rule: {d!r} (see `claimcheck rules`)")
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{source}: severity must be a table of rule = level")
    for key, level in severity.items():
        if key.lower() not in known:
            raise ConfigError(f"{source}: severity names no rule: {key!r}")
        if level not in ("error", "warning", "info"):
            raise ConfigError(f"{source}: severity of {key} must be error, warning or info, not {level!r}")
    return Config(fail_on=fail_on, disable=lists["disable"], severity=dict(severity),
                  include=lists["include"], exclude=lists["exclude"], source=source)


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
