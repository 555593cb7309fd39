"""`claimcheck check-files FILE... [--corpus DIR]`: the pre-commit hook's command.

pre-commit hands over the files of a commit (or every tracked file, with --all-files); the hook
checks the articles among them as one corpus, with the articles of a configured `--corpus` folder
when one is given, so that a changed article is also compared with the unchanged ones. Hidden files
and folders and what git ignores are never read (checker.ingest.select): run at the root of a
repository, the old `claimcheck check .` read a virtual environment's hundreds of text files.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from checker.config import Config
from checker.models import Report
from checker.pipeline import run

if TYPE_CHECKING:
    from checker.cache import Cache


def check_files(files: Sequence[str], corpus: str | None = None, config: Config | None = None,
                cache: Cache | None = None) -> Report:
    """The report on the articles among `files` and under the `corpus` folder, as `config` selects
    and sets the rules; an empty report when there are none (a commit that touches no article has
    nothing to check, and the model is not loaded for it)."""
    from checker.ingest.reader import read_files
    from checker.ingest.select import article_paths

    config = config or Config()
    docs = config.select(read_files(article_paths(files, [corpus] if corpus else [])))
    if not docs:
        return Report(documents=(), facts=(), findings=())
    return run(docs, options=config.options(), cache=cache)
