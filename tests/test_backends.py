"""The ONNX builds of the sentence model against the torch model they were exported from."""
from __future__ import annotations

import numpy as np

from bench.check_backends import MIN_COSINE, verdicts
from checker.align.embed import CPU_BACKEND, DeviceEmbedder, embedder_name, load_embedder
from checker.cli import main
from tests.conftest import SEEDS


def test_the_default_cpu_backend_gives_the_torch_vectors_and_findings_on_the_seeds(embedder, seeds_report):
    from checker.ingest import read_corpus
    from checker.pipeline import check_folder, segment_documents

    onnx = load_embedder("cpu", CPU_BACKEND)
    assert onnx is not embedder and onnx.name != embedder.name  # its vectors cached apart
    texts = sorted({s.text for ss in segment_documents(read_corpus(str(SEEDS))).values() for s in ss})
    cosine = np.einsum("ij,ij->i", onnx.encode(texts), embedder.encode(texts))
    assert len(texts) > 100 and cosine.min() >= MIN_COSINE, cosine.min()
    assert verdicts(check_folder(str(SEEDS), embedder=onnx)) == verdicts(seeds_report)


def test_each_backend_has_its_own_cache_name_and_a_bad_choice_is_one_line(capsys):
    names = {embedder_name(b) for b in ("torch", "onnx", "onnx-int8")}
    assert len(names) == 3 and embedder_name("torch") == "all-MiniLM-L6-v2"  # caches made before stay valid
    assert DeviceEmbedder("cpu", "torch").name == embedder_name("torch")
    assert main(["check", str(SEEDS), "--backend", "tensorrt"]) == 2
    assert main(["check", str(SEEDS), "--backend", "onnx", "--device", "cuda"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    # without a GPU the CUDA device is refused first; with one, ONNX on it
    assert len(err) == 2 and "--backend" in err[0] and "tensorrt" in err[0], err
    assert "--backend onnx" in err[1] or "--device cuda" in err[1], err
