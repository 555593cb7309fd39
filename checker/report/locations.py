"""Where a document lies for a CI tool: its path from the root of the repository that holds it.

GitHub code scanning and workflow annotations attach a result to a file by its path from the
repository root, whatever folder claimcheck was given (`claimcheck check corpus` names a document
`000_x.txt`; GitHub knows it as `corpus/000_x.txt`). The root is the nearest folder above the
document with a `.git` (a folder, or a file in a worktree or submodule), else the current folder.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from checker.ingest.reader import escaped_name
from checker.models import Report


@dataclass(frozen=True)
class Places:
    """The repository root and each document's path from it (POSIX separators; a name that is not
    UTF-8 keeps its bytes as lone surrogates, as the file system gave it)."""

    root: str
    paths: dict[str, str]
    outside: dict[str, str]  # the absolute paths of files that do not lie under the root

    def path(self, doc: str) -> str:
        """A document's path from the root; its name as reported when it has no file (a draft given
        as text, a batch record, a claim) or its file lies outside the root."""
        return escaped_name(self.paths[doc]) if doc in self.paths else doc

    def artifact(self, doc: str, base: str) -> dict:
        """A SARIF artifactLocation: the path from the root as a relative URI against `base`
        (spaces, '%' and the like percent-encoded; a name that is not UTF-8 as its bytes); a file
        outside the root by its absolute file URI; a document without a file by its name."""
        if doc in self.paths:
            return {"uri": quote(self.paths[doc].encode("utf-8", "surrogateescape"), safe="/"), "uriBaseId": base}
        if doc in self.outside:
            return {"uri": Path(self.outside[doc]).as_uri()}
        return {"uri": quote(doc.encode("utf-8", "surrogateescape"), safe="/"), "uriBaseId": base}

    def root_uri(self) -> str:
        """The root as an absolute file URI ending in '/', as SARIF's originalUriBaseIds wants it."""
        return Path(self.root).as_uri().rstrip("/") + "/"


@lru_cache(maxsize=64)
def repository_root(folder: str) -> str | None:
    """The nearest folder at or above `folder` (absolute) that holds a `.git`, or None."""
    for candidate in (Path(folder), *Path(folder).parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def _relative(path: str, root: str) -> str | None:
    rel = os.path.relpath(path, root)
    return None if rel == os.pardir or rel.startswith(os.pardir + os.sep) else Path(rel).as_posix()


def places(report: Report, cwd: str | None = None) -> Places:
    """The repository root of the report's documents (walking up from the first document with a
    file; else the current folder) and the path of each document with a file from it."""
    cwd = os.path.abspath(cwd or os.getcwd())
    files = {d.name: os.path.abspath(d.path) for d in report.documents if d.path}
    first = next(iter(files.values()), None)
    root = (repository_root(os.path.dirname(first)) if first else None) or cwd
    paths, outside = {}, {}
    for name, path in files.items():
        # a symbolic link in the corpus path or the root (a temporary folder, a mounted checkout)
        # must not put a file outside the root it lies in
        rel = _relative(path, root) or _relative(os.path.realpath(path), os.path.realpath(root))
        if rel is not None:
            paths[name] = rel
        else:
            outside[name] = path
    return Places(root, paths, outside)


def shown_path(path: str, cwd: str | None = None) -> str:
    """A file's path as a terminal or an editor opens it from where the command ran: relative to the
    working directory when the file lies under it, else absolute (ruff's and gcc's convention)."""
    full = os.path.abspath(path)
    rel = _relative(full, os.path.abspath(cwd or os.getcwd()))
    return escaped_name(rel if rel is not None else full)


def shown_paths(report: Report, cwd: str | None = None) -> dict[str, str]:
    """Each document's shown path (`shown_path`); a document without a file keeps its name."""
    return {d.name: shown_path(d.path, cwd) for d in report.documents if d.path}


def value_column(e) -> int:
    """The 1-based column of an evidence item's value in its line (of its sentence when no value is
    marked)."""
    return e.column + (e.mention_start - e.start if e.mention_start >= e.start else 0)
