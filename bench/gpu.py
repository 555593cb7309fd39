"""`make bench-gpu`: the pipeline with the sentence model on a GPU, at 1,000 and 5,000 articles.

Where there is no GPU (no NVIDIA driver: no nvidia-smi, no /dev/nvidiactl) it says so and exits 0.
Where there is one and the environment's torch is the CPU build (what `make install` pins), a CUDA
build of the same torch version is installed from PyPI into bench/out/gpu-site (several GB; the
environment's own torch is left as it is) and the measurement runs with it first on the path.

For each size (`--sizes`, default 1000,5000) it reports, on the corpus `make bench` generates:
the model alone (sentence-transformers, fp32, batch 128, on CUDA) in sentences a second; the whole
pipeline end to end with the model on CUDA and extraction spread over every core (`--workers`,
default all); and each stage's share of the end-to-end time. Writes bench/out/gpu.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SITE = OUT / "gpu-site"  # the CUDA torch, apart from the environment's CPU one
GPU_BATCH = 128  # sentences per model call on a GPU: memory is no concern there, throughput is
_DRIVER_FILES = ("/dev/nvidiactl", "/proc/driver/nvidia/version")


def gpu_present() -> bool:
    return shutil.which("nvidia-smi") is not None or any(os.path.exists(p) for p in _DRIVER_FILES)


def torch_sees_cuda(env: dict[str, str]) -> bool:
    probe = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available())"],
                           capture_output=True, text=True, env=env)
    return probe.stdout.strip() == "True"


def install_cuda_torch() -> dict[str, str]:
    """The environment for a run with a CUDA torch: the installed one if it sees the GPU, else one
    installed into SITE (PyPI's Linux torch wheels are the CUDA builds)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if torch_sees_cuda(env):
        return env
    import torch

    version = torch.__version__.split("+")[0]
    print(f"bench-gpu: installing torch {version} with CUDA into {SITE} (the environment's is the CPU build)",
          flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(SITE),
                    "--index-url", "https://pypi.org/simple", f"torch=={version}"], check=True)
    env["PYTHONPATH"] = os.pathsep.join([str(SITE), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    if not torch_sees_cuda(env):
        raise SystemExit("bench-gpu: a GPU driver is present but torch sees no CUDA device even with the CUDA "
                         "build: see nvidia-smi")
    return env


def measure(size: int, workers: int) -> dict:
    """One size, in this process (which has a CUDA torch)."""
    sys.path.insert(0, str(ROOT))
    import torch

    from bench.run import generate
    from checker.align.embed import load_embedder
    from checker.ingest import read_corpus
    from checker.pipeline import prepare, run_prepared

    corpus = OUT / f"corpus-{size}"
    generate(size, corpus)
    model = load_embedder("cuda", "torch")
    model.batch_size = GPU_BATCH
    model.encode(["warm up the model"])
    start = time.perf_counter()
    t0 = time.perf_counter()
    docs = read_corpus(str(corpus))
    ingest = time.perf_counter() - t0
    prepared = prepare(docs, model, None, workers=workers)
    report = run_prepared(prepared, keep_pairs=False).report
    total = time.perf_counter() - start
    texts = [s.text for s in prepared.flat_sentences()]
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    model._model.encode(texts, batch_size=GPU_BATCH, normalize_embeddings=True, show_progress_bar=False,
                        convert_to_numpy=True)
    torch.cuda.synchronize()
    alone = time.perf_counter() - t0
    stages = {"ingest": ingest, **{k: prepared.timings.get(k, 0.0) for k in ("segment", "extract", "embed")},
              "align": report.stats["timings"]["align"], "compare": report.stats["timings"]["compare"]}
    return {"articles": size, "sentences": len(texts), "gpu": torch.cuda.get_device_name(0), "workers": workers,
            "model_alone_sentences_per_s": len(texts) / alone, "end_to_end_s": total,
            "end_to_end_sentences_per_s": len(texts) / total,
            "stage_share": {k: v / total for k, v in stages.items()}, "findings": len(report.findings)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.workers)))
        return 0
    if not gpu_present():
        print("bench-gpu: no GPU on this machine (no NVIDIA driver: nvidia-smi and /dev/nvidiactl are absent); "
              "nothing measured. `make bench` measures the CPU.")
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    env = install_cuda_torch()
    results = []
    for size in (int(x) for x in args.sizes.split(",")):
        proc = subprocess.run([sys.executable, __file__, "--one", str(size), "--workers", str(args.workers)],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(r)
        shares = "  ".join(f"{k} {v:.0%}" for k, v in r["stage_share"].items())
        print(f"{r['articles']:>6} articles {r['sentences']:>7} sentences on {r['gpu']}: model alone "
              f"{r['model_alone_sentences_per_s']:,.0f} sentences/s; end to end {r['end_to_end_s']:.1f} s "
              f"({r['end_to_end_sentences_per_s']:,.0f} sentences/s, {r['workers']} extraction processes)", flush=True)
        print(f"       share of end to end: {shares}  (extract runs beside embed: they overlap)", flush=True)
    (OUT / "gpu.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written {OUT / 'gpu.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
