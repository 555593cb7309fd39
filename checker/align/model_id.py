"""Which sentence model claimcheck embeds with: named once, read by every backend (torch, ONNX)."""
from __future__ import annotations

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384  # the length of the model's vectors
