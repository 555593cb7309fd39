"""The seed corpus prepared once per test session (sentences, mentions, embeddings), for the draft,
claim and shell tests: each of them then runs only its own new document."""
from __future__ import annotations

from functools import lru_cache

from tests.conftest import SEEDS


@lru_cache(maxsize=1)
def _prepared(embedder):
    from checker.ingest import read_corpus
    from checker.pipeline import prepare

    return prepare(read_corpus(str(SEEDS)), embedder)


def seeds_prepared(embedder):
    """The PreparedCorpus of the seeds; run_prepared never changes it, so tests share it."""
    return _prepared(embedder)
