"""claimcheck: cross-source claim-consistency checking for newsrooms.

The public Python API (each name is imported on first use, so `import checker` stays light):

- ``check_folder(folder, embedder=None, options=None) -> Report``: check a folder of articles against
  each other (the face of ``claimcheck check``).
- ``check_records(records, embedder=None, options=None) -> Report``: the same for records
  ``{"name", "text", "published"?}`` already in memory.
- ``check_batch(lines, embedder=None) -> Iterator[dict]``: JSON lines in, one result dict per line
  (the face of ``claimcheck batch``).
- ``check_draft(draft, against, published=None, embedder=None, options=None) -> Report``: a draft
  (.txt/.md path or Document) against a corpus; only findings with evidence in the draft.
- ``check_claim(text, against, claim_date=None, embedder=None, top=5, options=None) -> ClaimResult``:
  one claim against a corpus: the similar source sentences and a verdict per value and overall.
- ``run_shell(against, ...)``: the interactive loop of ``claimcheck shell``.
- ``run(docs, embedder=None, options=None) -> Report``: the pipeline on Documents already read.
- ``prepare(docs, embedder=None) -> PreparedCorpus`` and ``run_prepared(prepared, extra_docs)``: the
  corpus side computed once, then new documents run against it (what draft, claim and shell use).
- ``build_index`` / ``load_index``: when checker.index is present.

- ``check_files(files, corpus=None, config=None, cache=None) -> Report``: the corpus folders (``corpus``
  and the config's ``corpus`` list) that hold one of ``files``, each whole, hidden and git-ignored
  files left out (the face of ``claimcheck check-files``, the pre-commit hook).

``against`` is a folder path, a list of Documents, or a PreparedCorpus (prepared once, reused).
Each of these takes ``cache=None``: a ``checker.cache.Cache`` to reuse documents, embeddings and
stories processed before (there is no process-wide default; a PreparedCorpus keeps its own).
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "check_folder": "checker.pipeline",
    "check_records": "checker.pipeline",
    "run": "checker.pipeline",
    "prepare": "checker.pipeline",
    "run_prepared": "checker.pipeline",
    "PreparedCorpus": "checker.pipeline",
    "check_batch": "checker.batch",
    "check_files": "checker.check_files",
    "check_draft": "checker.draft",
    "check_claim": "checker.claim",
    "ClaimResult": "checker.claim",
    "run_shell": "checker.shell",
    "build_index": "checker.index",
    "load_index": "checker.index",
}

def _present(module: str) -> bool:
    from importlib.util import find_spec

    try:
        return find_spec(module) is not None
    except ImportError:
        return False


__all__ = sorted(n for n, m in _EXPORTS.items() if m != "checker.index" or _present(m))


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'checker' has no attribute {name!r}")
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        raise AttributeError(f"checker.{name} is not available ({module} does not provide it)") from None
