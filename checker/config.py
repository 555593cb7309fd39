"""Settings from `[tool.claimcheck]` in ./pyproject.toml or from `claimcheck.toml` beside the corpus.

Keys (all optional):

    fail-on  = "warning"                 # error | warning | info | never
    select   = ["CC-DATE", "name"]       # only these rules (default: all); codes, names or prefixes
    ignore   = ["CC-NAME-001", "number"] # switch rules off; codes, names or prefixes
    disable  = ["name.variant"]          # the older spelling of `ignore`, still read
    severity = { "CC-DATE-001" = "error" }
    include  = ["*.txt"]                 # file name patterns (fnmatch) to check
    exclude  = ["drafts/*"]
    corpus   = ["articles"]              # the folders of articles `check-files` (the pre-commit hook)
                                         # checks, relative to the file that names them

A rule is named by its code (CC-DATE-001), its dotted name (date.mismatch) or its older hyphenated
name (date-mismatch); see checker/rules/__init__.py. Command-line options override the file
(`--select` replaces `select`; `--ignore` / `--disable` add to `ignore`). An unknown key or a bad
value is an error (exit 2), in one line naming the file and the key.

The table's shape (keys, types, levels) is checked by a pydantic model (`Table`): declared once, so
a new key is a field, not another branch; that rule names exist is checked against the registry
after it.
"""
from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from checker.errors import ConfigError
from checker.models import Document, Severity

RULE_LISTS = ("select", "ignore", "disable")
FAIL_ON = ("error", "warning", "info", "never")
LEVELS = ("error", "warning", "info")

_Name = Annotated[str, StringConstraints(min_length=1)]


class Table(BaseModel):
    """The settings table as written: every key optional, nothing else allowed."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    fail_on: Literal["error", "warning", "info", "never"] | None = Field(None, alias="fail-on")
    select: list[_Name] = []
    ignore: list[_Name] = []
    disable: list[_Name] = []
    severity: dict[str, Literal["error", "warning", "info"]] = {}
    include: list[_Name] = []
    exclude: list[_Name] = []
    corpus: list[_Name] = []


KEYS = frozenset(f.alias or name for name, f in Table.model_fields.items())


@dataclass(frozen=True)
class Config:
    fail_on: str | None = None
    selected: tuple[str, ...] = ()  # `select` patterns; empty: every rule
    ignored: tuple[str, ...] = ()  # `ignore` and `disable` patterns: one list, two spellings
    severity: dict = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    corpus: tuple[str, ...] = ()  # folders `check-files` checks, as paths from the working directory
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


def _problem(error: dict, table: dict) -> str:
    """One pydantic error in the words of the settings file: the key, and what is wrong with it."""
    loc = [str(x) for x in error["loc"]]
    key = loc[0] if loc else ""
    if error["type"] == "extra_forbidden":
        return f"unknown key {key!r} (known: {', '.join(sorted(KEYS))})"
    if key == "fail-on":
        return f"fail-on must be one of {', '.join(FAIL_ON)}, not {table.get(key)!r}"
    if key == "severity":
        if len(loc) > 1:
            return f"severity of {loc[1]} must be {', '.join(LEVELS[:-1])} or {LEVELS[-1]}, not {table[key].get(loc[1])!r}"
        return "severity must be a table of rule = level"
    return f"{key} must be a list of strings"


def _validate(table: dict, source: str, root: Path = Path(".")) -> Config:
    """The settings of a table read from `source`; `root` is the folder its `corpus` paths are
    relative to."""
    from checker.rules import lookup

    try:
        parsed = Table.model_validate(table)
    except ValidationError as exc:
        raise ConfigError(f"{source}: {_problem(exc.errors()[0], table)}") from None
    check_rule_patterns(source, {key: getattr(parsed, key) for key in RULE_LISTS})
    for key in parsed.severity:
        if lookup(key) is None:
            raise ConfigError(f"{source}: severity names no rule: {key!r}")
    corpus = tuple(str(root / folder) if not Path(folder).is_absolute() else folder for folder in parsed.corpus)
    return Config(fail_on=parsed.fail_on, selected=tuple(parsed.select), ignored=tuple(parsed.ignore + parsed.disable),
                  severity=dict(parsed.severity), include=tuple(parsed.include), exclude=tuple(parsed.exclude),
                  corpus=corpus, source=source)


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
            return _validate(table, f"{path} [tool.claimcheck]", path.parent)
        return _validate(data.get("tool", {}).get("claimcheck", data), str(path), path.parent)
    return Config()
