"""claimcheck: a cross-source claim-consistency checker.

Public API (each also a command of the `claimcheck` CLI):

- `check_folder(folder, embedder=None, options=None) -> Report`: check a corpus folder (`check`).
- `check_records(records, embedder=None, options=None) -> Report`: a corpus given as
  {"name", "text", "published"?} records.
- `check_batch(lines, embedder=None)`: JSON lines in, result dicts out (`batch`).
- `check_draft(...)`, `check_claim(...)`: a draft or one claim against a corpus (`draft`, `claim`).

Heavy imports (torch, sentence-transformers, spaCy) happen inside the stage that needs them, so
importing this package is cheap.
"""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy: `claimcheck --help` and `claimcheck rules` must not import the model stack.
    if name in ("check_folder", "check_records", "run"):
        from checker import pipeline

        return getattr(pipeline, name)
    if name == "check_batch":
        from checker.batch import check_batch

        return check_batch
    if name == "check_draft":
        from checker.draft import check_draft

        return check_draft
    if name == "check_claim":
        from checker.claim import check_claim

        return check_claim
    if name == "build_index":
        from checker.index import build_index

        return build_index
    raise AttributeError(name)


__all__ = ["check_folder", "check_records", "check_batch", "check_draft", "check_claim", "build_index"]
