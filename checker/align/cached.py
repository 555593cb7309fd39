"""Embeddings through the cache: the model sees only sentences the cache has not seen."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from checker.align.embed import DIMENSION, MODEL_NAME, Embedder, load_embedder
from checker.progress import stage

if TYPE_CHECKING:
    from checker.cache import Cache


class CachedEmbedder:
    """An embedder that asks the model only for sentences the cache has not seen."""

    def __init__(self, embedder: Embedder | None, cache: Cache, loader: Callable[[], Embedder] | None = None,
                 name: str = "") -> None:
        self._inner = embedder
        self._loader = loader  # loads the model only when a sentence is missing from the cache
        self.cache = cache
        self.name = name or getattr(embedder, "name", "model")
        self.encoded = 0  # sentences actually sent to the model

    @property
    def inner(self) -> Embedder:
        if self._inner is None:
            self._inner = self._loader()
        return self._inner

    STORE_EVERY = 4096  # sentences embedded between writes to the cache

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        rows_of: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            rows_of.setdefault(t, []).append(i)
        vectors = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        found = self.cache.fill_vectors(self.name, rows_of, vectors)
        # longest first, the model's own order, so that a part pads no more than one call would;
        # each part is stored as soon as it is embedded, so an interrupted run keeps what it did
        missing = sorted((t for t in rows_of if t not in found), key=len, reverse=True)
        # one bar over every part: the model reports its batches into it as it goes
        with stage("embed", len(missing)) as progress:
            for lo in range(0, len(missing), self.STORE_EVERY):
                part = missing[lo:lo + self.STORE_EVERY]
                fresh = self.inner.encode(part, busy=busy)
                self.encoded += len(part)
                progress.reach(lo + len(part))
                self.cache.store_vectors(self.name, part, fresh)
                for t, v in zip(part, fresh):
                    vectors[rows_of[t]] = v
        return vectors


def with_cache(embedder: Embedder | None, cache: Cache | None) -> Embedder:
    """The embedder to use with `cache`: the model loads only when a sentence is missing from it.
    Without a cache, the embedder given, or the process's model."""
    if cache is None:
        return embedder or load_embedder()
    if isinstance(embedder, CachedEmbedder):
        return embedder
    return CachedEmbedder(embedder, cache, loader=load_embedder, name=getattr(embedder, "name", MODEL_NAME))
