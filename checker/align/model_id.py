"""Which sentence model claimcheck embeds with: named once, read by every backend (torch, ONNX)."""
from __future__ import annotations

from typing import Sequence

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384  # the length of the model's vectors


def distinct_texts(texts: Sequence[str]) -> tuple[list[str], list[int]] | None:
    """The distinct texts and, for each text, its row among them; None when no text repeats (a
    gallery's credit line, a live blog's standing paragraph or wire copy is embedded once and its
    vector copied to each of its rows)."""
    first: dict[str, int] = {}
    rows = [first.setdefault(t, len(first)) for t in texts]
    return (list(first), rows) if len(first) < len(texts) else None
