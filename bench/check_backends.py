"""`make check-backends`: may an ONNX build of the sentence model stand in for the torch one?

For each ONNX build (checker.align.onnx_model: "onnx", the fp32 export, and "onnx-int8"), against
sentence-transformers' fp32 model on torch:

- vectors: the cosine of each build's vector to the torch vector, for every distinct sentence of the
  seeds and of ../shared/newsdev (when it is beside the repo); a build passes when the lowest is at
  least MIN_COSINE;
- verdicts: the findings (rule, severity, evidence spans) of every corpus of the seeds, fixtures/news
  and ../shared/newsdev, checked with each build's vectors; a build passes when every corpus gives
  the same findings as with torch.

Each corpus is segmented and extracted once, and the rules run on it once per backend with that
backend's vectors: only the vectors differ between the runs. Prints one line per build and corpus
group; exit status 0 when the default CPU backend (checker.align.embed.CPU_BACKEND) passes both.
`--json FILE` writes the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

MIN_COSINE = 0.99  # the lowest cosine to the fp32 vector a build may give any sentence (issue 25)


def corpora() -> dict[str, dict[str, Path]]:
    """Corpus groups: the seeds, fixtures/news, and ../shared/newsdev when it is there."""
    from bench.score_news import find_corpora

    groups = {"seeds": {"seeds": ROOT / "seeds"}, "fixtures/news": find_corpora(ROOT / "fixtures" / "news")}
    newsdev = ROOT.parent / "shared" / "newsdev"
    if newsdev.is_dir():
        groups["newsdev"] = find_corpora(newsdev)
    return groups


def verdicts(report) -> set[tuple]:
    return {(f.rule, f.severity.value, tuple(sorted((e.doc, e.start, e.end) for e in f.evidence)))
            for f in report.findings}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builds", default="onnx,onnx-int8", help="ONNX builds to check (default: both)")
    ap.add_argument("--json", metavar="FILE", help="write the figures here")
    args = ap.parse_args(argv)
    from checker.align.embed import CPU_BACKEND, load_embedder
    from checker.ingest import read_corpus
    from checker.pipeline import prepare, run_prepared

    torch_model = load_embedder("cpu", "torch")
    builds = {b: load_embedder("cpu", b) for b in args.builds.split(",")}
    figures: dict = {b: {"lowest_cosine": 1.0, "sentences": 0, "below": 0, "corpora": 0, "differ": []}
                     for b in builds}
    for group, folders in corpora().items():
        for name, folder in folders.items():
            prepared = prepare(read_corpus(str(folder)), torch_model)
            reference = verdicts(run_prepared(prepared, keep_pairs=False).report)
            texts = [s.text for s in prepared.flat_sentences()]
            for build, model in builds.items():
                vectors = model.encode(texts)
                fig = figures[build]
                if group in ("seeds", "newsdev"):
                    unique = {t: i for i, t in enumerate(texts)}
                    cos = np.einsum("ij,ij->i", vectors[list(unique.values())], prepared.vectors[list(unique.values())])
                    fig["lowest_cosine"] = min(fig["lowest_cosine"], float(cos.min(initial=1.0)))
                    fig["sentences"] += len(unique)
                    fig["below"] += int((cos < MIN_COSINE).sum())
                got = verdicts(run_prepared(replace(prepared, vectors=vectors, embedder=model), keep_pairs=False).report)
                fig["corpora"] += 1
                if got != reference:
                    fig["differ"].append(f"{group}/{name}: {len(reference - got)} findings lost, "
                                         f"{len(got - reference)} new")
            print(f"{group}/{name}: {len(reference)} findings with torch; "
                  + "; ".join(f"{b}: {'same' if not any(d.startswith(f'{group}/{name}:') for d in figures[b]['differ']) else 'DIFFERENT'}"
                              for b in builds), flush=True)
    passed = {}
    for build, fig in figures.items():
        passed[build] = fig["lowest_cosine"] >= MIN_COSINE and not fig["differ"]
        print(f"{build}: lowest cosine {fig['lowest_cosine']:.4f} over {fig['sentences']} sentences "
              f"({fig['below']} below {MIN_COSINE}); verdicts the same on {fig['corpora'] - len(fig['differ'])} of "
              f"{fig['corpora']} corpora; {'PASSES' if passed[build] else 'does not pass'}")
        for d in fig["differ"]:
            print(f"    {d}")
    if args.json:
        Path(args.json).write_text(json.dumps({"min_cosine": MIN_COSINE, "builds": figures, "passed": passed},
                                              indent=2), encoding="utf-8")
    return 0 if passed.get(CPU_BACKEND, CPU_BACKEND == "torch") else 1


if __name__ == "__main__":
    sys.exit(main())
