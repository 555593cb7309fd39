"""Which of a list of paths are articles: what a pre-commit hook hands over, or a folder's files.

A path is left out when it is not an article file (by its suffix), when any of its parts is hidden
(".venv", ".git", ".github/x.md"), or when git ignores it (a `venv/` or `build/` folder named in
.gitignore): a virtual environment holds hundreds of .txt and .md files that are nobody's sources.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Sequence

from checker.ingest.reader import ARTICLE_SUFFIXES, hidden, list_articles


def _hidden_part(path: Path) -> bool:
    """A hidden part in the path from the current folder ("." and ".." are how a path is written,
    not hidden folders)."""
    return any(hidden(part) for part in Path(os.path.relpath(path)).parts if part not in (".", ".."))


def git_ignored(paths: Sequence[Path], cwd: str | None = None) -> set[Path]:
    """The paths git ignores (.gitignore, .git/info/exclude, the global excludes), as git sees them:
    a file it tracks is not ignored. None outside a git work tree, or without git."""
    if not paths:
        return set()
    try:
        done = subprocess.run(["git", "check-ignore", "-z", "--stdin"], cwd=cwd,
                              input=b"".join(os.fsencode(p) + b"\0" for p in paths),
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return set()
    if done.returncode not in (0, 1):  # 128: not a git work tree, or a path outside it
        return set()
    ignored = {os.fsdecode(x) for x in done.stdout.split(b"\0") if x}
    return {p for p in paths if str(p) in ignored}


def article_paths(files: Sequence[str], folders: Sequence[str] = ()) -> list[Path]:
    """The article files among `files` and under `folders`, in order, each once; hidden paths and
    files git ignores are left out."""
    given = [Path(f) for f in files if not _hidden_part(Path(f))]
    # a folder's own name may start with a dot (the user named it); list_articles skips what is
    # hidden below it
    candidates = given + [p for folder in folders for p in list_articles(Path(folder))]
    seen: set[str] = set()
    kept = []
    for p in candidates:
        real = os.path.realpath(p)
        if real in seen or p.suffix.lower() not in ARTICLE_SUFFIXES or not p.is_file():
            continue
        seen.add(real)
        kept.append(p)
    ignored = git_ignored(kept)
    return [p for p in kept if p not in ignored]
