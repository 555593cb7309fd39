"""A small deterministic stand-in for the sentence embedder, for rule unit fixtures only.

Bag of lower-cased words hashed into 384 dimensions: near-identical sentences score near 1, unrelated
ones near 0. End-to-end tests use the real model.
"""
from __future__ import annotations

import hashlib
import re
from typing import Callable, Sequence

import numpy as np


class HashingEmbedder:
    name = "hashing-stand-in"

    def __init__(self) -> None:
        self.encoded = 0

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        self.encoded += len(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                h = int(hashlib.md5(w.encode()).hexdigest(), 16)
                out[i, h % 384] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out
