"""`claimcheck check-files FILE... [--corpus DIR]`: the pre-commit hook's command.

pre-commit hands over the files of a commit (or every tracked file, with --all-files), which in a
repository are also its README, its docs and its templates. Only the corpus folders the settings
name (`corpus = ["articles"]` under [tool.claimcheck], or in claimcheck.toml) and `--corpus DIR`
are checked: a file outside them is not an article of this repository, whatever its suffix. A
corpus folder that holds a changed file is checked whole, so that a changed article is also
compared with the unchanged ones; a commit that touches none checks nothing. With no folder named
at all the command says so and exits 2, rather than pass a commit it never looked at. Hidden files
and folders and what git ignores are never read (checker.ingest.select).
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Sequence

from checker.config import Config
from checker.errors import ConfigError
from checker.models import Report
from checker.pipeline import run

if TYPE_CHECKING:
    from checker.cache import Cache


NO_CORPUS = ("no corpus folder is named: set corpus = [\"articles\"] (your folders of articles) under "
             "[tool.claimcheck] in pyproject.toml or in claimcheck.toml, or give --corpus DIR")


def touched_folders(files: Sequence[str], folders: Sequence[str]) -> list[str]:
    """The corpus folders that hold at least one of `files` (at any depth)."""
    real = [os.path.realpath(f) for f in files]
    out = []
    for folder in folders:
        top = os.path.realpath(folder).rstrip(os.sep) + os.sep
        if any(r.startswith(top) for r in real):
            out.append(folder)
    return out


def check_files(files: Sequence[str], corpus: str | None = None, config: Config | None = None,
                cache: Cache | None = None) -> Report:
    """The report on the corpus folders (`corpus` and the settings' `corpus` list) that hold one of
    `files`, as `config` selects and sets the rules; an empty report when none does (a commit that
    touches no article has nothing to check, and the model is not loaded for it)."""
    from checker.ingest.reader import read_files
    from checker.ingest.select import article_paths

    config = config or Config()
    folders = ([corpus] if corpus else []) + list(config.corpus)
    if not folders:
        raise ConfigError(NO_CORPUS)
    missing = [f for f in config.corpus if not os.path.isdir(f)]
    if missing:  # a misspelt folder would pass every commit unread
        raise ConfigError(f"{config.source}: corpus names no folder: {missing[0]!r}")
    touched = touched_folders(files, folders)
    docs = config.select(read_files(article_paths([], touched))) if touched else []
    if not docs:
        return Report(documents=(), facts=(), findings=())
    return run(docs, options=config.options(), cache=cache)
