#!/usr/bin/env python3
"""Fit the confidence model (checker/rules/calibration.json) on labelled corpora: `make calibrate`.

Usage:
    python bench/calibrate.py [--shared ../shared] [--table bench/calibration_features.csv]
    python bench/calibrate.py --from-table bench/calibration_features.csv   # refit only

Every candidate finding of every rule is collected, whether reported or not (a candidate answered
by an agreeing value in the other sentence is not reported, and is the likeliest false alarm), with
the features the model reads (checker.rules.calibration.FEATURES), and labelled:
- fixtures/news (gold: fixtures/news/gold.json) and, when present, ../shared/newsdev: 1 when the
  finding's evidence covers a gold conflict's two quotes (matched as bench/score_news.py matches);
- ../shared/external/dev_pairs.jsonl, when present: each pair a two-document corpus; 1 when the pair
  is labelled a conflict and the finding has evidence in both documents;
- the real-news clusters (../realdev-data, built as bench/realnews.py says), when present: the
  candidates a judged label of bench/realnews/labels.json covers, 1 when judged real. The model is
  also scored on these with each cluster held out, and drawn in docs/calibration-realnews.png.
The table is written sorted (bench/calibration_features.csv, committed), the model fitted on it
(checker.rules.calibration.fit: fixed solver, rounded coefficients) and written to the package,
so the fit is reproduced exactly from the table alone (tests/test_calibration.py refits it).

Prints the Brier score of the reported findings' confidences before (the hand-set link
confidences) and after (in sample, and fitted on the other corpora: grouped 5-fold), and draws
docs/calibration.png (predicted against observed; needs matplotlib: pip install -e '.[calibrate]').
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from checker.rules.calibration import CALIBRATION_FILE, FEATURES, feature_row, fit  # noqa: E402

TABLE = ROOT / "bench" / "calibration_features.csv"
MODEL = ROOT / "checker" / "rules" / CALIBRATION_FILE
PLOT = ROOT / "docs" / "calibration.png"
COLUMNS = ("source", "corpus", "candidate", "rule", "verdict", "shown", "label") + FEATURES
FOLDS = 5
REALDEV = ROOT.parent / "realdev-data"  # the real-news clusters, built beside the repository (bench/realnews.py)
REAL_PLOT = ROOT / "docs" / "calibration-realnews.png"
BINS = 10


def story_contexts(ctx) -> Iterator:
    """The context of each story of a run, as the pipeline compares them (one story each)."""
    from checker.rules import CompareContext

    stories: dict[int, set[str]] = defaultdict(set)
    for name in ctx.documents:
        stories[ctx.story(name)].add(name)
    for names in stories.values():
        yield CompareContext(
            documents={n: ctx.documents[n] for n in names},
            sentences={k: s for k, s in ctx.sentences.items() if k[0] in names},
            mentions={k: m for k, m in ctx.mentions.items() if k[0] in names},
            pairs=[p for p in ctx.pairs if p.a.doc in names and p.b.doc in names],
            vectors=ctx.vectors, rows={k: r for k, r in ctx.rows.items() if k[0] in names})


def candidates(docs, embedder, cache=None) -> list:
    """Every rule's candidates on a corpus, one per rule and set of evidence (reported first, then
    linked), and the values of aligned sentences the linker left apart."""
    from checker.pipeline import run_detailed
    from checker.rules import ALL_RULES

    ctx = run_detailed(docs, embedder, keep_pairs=True, cache=cache).context
    seen: dict[tuple, object] = {}
    for story in story_contexts(ctx):
        for rule_cls in ALL_RULES:
            rule = rule_cls()
            for c in [*rule.candidates(story), *unlinked(rule, story)]:
                key = (c.finding.rule, tuple(sorted((e.doc, e.start, e.value) for e in c.finding.evidence)))
                rank = (c.shown, c.link.how != "aligned")
                if key not in seen or rank > (seen[key].shown, seen[key].link.how != "aligned"):
                    seen[key] = c
    return [seen[k] for k in sorted(seen)]


def unlinked(rule, ctx) -> Iterator:
    """Candidates the linker keeps out: two values of the rule's kinds in aligned sentences of two
    documents, not linked as one fact, that the rule's `compare` finds unequal. Never reported."""
    from checker.facts.link import Link

    for kind in rule.kinds[:1]:  # the kind its `compare` takes (a post's holders are context, not values)
        linked = {(l.a.doc, l.a.start, l.b.doc, l.b.start) for l in ctx.links(kind)}
        linked |= {(b, bs, a, s) for a, s, b, bs in linked}
        for pair, a, b in ctx.mention_pairs(kind):
            if a.doc == b.doc or (a.doc, a.start, b.doc, b.start) in linked:
                continue
            result = rule.compare(a, b, ctx)
            if result is None or result.verdict == "agree":
                continue
            link = Link(a, b, 0.0, "aligned", ctx.linker().features(a, b))
            yield rule.candidate(ctx, result.message or rule.summary, result.explanation,
                                 [(a, result.a_label), (b, result.b_label)], link, result.verdict,
                                 shown=False)


def evidence_dicts(finding) -> dict:
    return {"evidence": [{"doc": os.path.basename(e.doc), "start": e.start, "end": e.end}
                         for e in finding.evidence]}


def gold_suite(suite: Path, source: str, embedder) -> Iterator[dict]:
    """Candidates of each corpus of a suite with gold, labelled by the gold conflicts they find."""
    from checker.ingest import read_corpus
    from score_news import find_corpora, finds, one_sentence, quote_span, read_texts

    corpora = find_corpora(suite)
    texts = read_texts(list(corpora.values()))
    gold = json.loads((suite / "gold.json").read_text(encoding="utf-8"))
    spans = []
    for it in gold.get("conflicts", []):
        a, b = quote_span(texts, it["a"]), quote_span(texts, it["b"])
        spans.append((a, b, one_sentence(texts, a, b)))
    for slug, folder in corpora.items():
        print(f"  {source}/{slug}", file=sys.stderr)
        for c in candidates(read_corpus(folder), embedder):
            ev = evidence_dicts(c.finding)
            yield row(source, slug, c, any(finds(ev, a, b, same) for a, b, same in spans))


def external_pairs(path: Path, embedder) -> Iterator[dict]:
    """Candidates of each labelled pair (a two-document corpus, no dates)."""
    from checker.ingest import documents_from_records

    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    print(f"  external: {len(pairs)} pairs", file=sys.stderr)
    for p in sorted(pairs, key=lambda p: p["id"]):
        docs = documents_from_records([{"name": "a.txt", "text": p["a"]}, {"name": "b.txt", "text": p["b"]}])
        for c in candidates(docs, embedder):
            both = {e.doc for e in c.finding.evidence} >= {"a.txt", "b.txt"}
            yield row("external", p["id"], c, p["label"] == "conflict" and both)


def realdev(data: Path, embedder) -> Iterator[dict]:
    """Candidates of the real-news clusters (built outside the repository, see bench/realnews.py)
    that a judged label of bench/realnews/labels.json covers: real, or not (an update, a false
    alarm). Unjudged candidates are left out: a label counts only when a reader gave it."""
    from checker.cache import Cache
    from checker.ingest import documents_from_records
    import realnews

    labels = realnews.load_labels(realnews.LABELS)
    digests = realnews.digests_of(data)
    judged = [(j["cluster"], realnews.span_of(j["a"], j["cluster"], digests),
               realnews.span_of(j["b"], j["cluster"], digests), j["verdict"]) for j in labels.get("judged", [])]
    cache = Cache()  # the extraction and vectors of `make realnews`, reused
    clusters = sorted({j[0] for j in judged})
    print(f"  realdev: {len(clusters)} clusters with judged findings", file=sys.stderr)
    for cluster in clusters:
        folder = data / cluster
        manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
        docs = documents_from_records([{"name": d["file"], "text": realnews.read_text(folder / d["file"])}
                                       for d in manifest["documents"]])
        for c in candidates(docs, embedder, cache):
            ev = tuple(realnews.Evidence(realnews.Span(os.path.basename(e.doc), e.mention_start, e.mention_end),
                                         realnews.Span(os.path.basename(e.doc), e.start, e.end))
                       for e in c.finding.evidence)
            found = realnews.Found(cluster, c.finding.rule, c.finding.severity.value, c.finding.message, ev)
            verdict = next((v for cl, a, b, v in judged if cl == cluster and found.covers(a, b, loose=False)), None)
            if verdict is not None:
                yield row("realdev", cluster, c, verdict == "real")


def row(source: str, corpus: str, c, real: bool) -> dict:
    f = c.finding
    key = "|".join(f"{os.path.basename(e.doc)}:{e.start}:{e.value}" for e in f.evidence[:2])
    values = dict(zip(FEATURES, feature_row(c.verdict, c.link)))
    return {"source": source, "corpus": corpus, "candidate": f"{f.rule}|{key}", "rule": f.rule,
            "verdict": c.verdict, "shown": int(c.shown), "label": int(real),
            **{k: f"{v:.4f}" for k, v in values.items()}}


def collect(shared: Path) -> list[dict]:
    from checker.align.embed import load_embedder

    embedder = load_embedder()
    rows = list(gold_suite(ROOT / "fixtures" / "news", "fixtures", embedder))
    if (shared / "newsdev" / "gold.json").exists():
        rows += gold_suite(shared / "newsdev", "newsdev", embedder)
    if (shared / "external" / "dev_pairs.jsonl").exists():
        rows += external_pairs(shared / "external" / "dev_pairs.jsonl", embedder)
    if REALDEV.is_dir():
        rows += realdev(REALDEV, embedder)
    return sorted(rows, key=lambda r: tuple(str(r[c]) for c in COLUMNS))


def write_table(rows: list[dict], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def read_table(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def features_of(r: dict) -> tuple[float, ...]:
    return tuple(float(r[k]) for k in FEATURES)


def fit_table(rows: list[dict]) -> dict:
    """The model fitted on a feature table: what calibration.json holds."""
    return fit([features_of(r) for r in rows], [int(r["label"]) for r in rows])


def predict(model: dict, x: tuple[float, ...]) -> float:
    import math

    z = model["intercept"] + sum(c * v for c, v in zip(model["coefficients"], x))
    return 1.0 / (1.0 + math.exp(-z))


def brier(pairs: list[tuple[float, int]]) -> float:
    return sum((p - y) ** 2 for p, y in pairs) / max(1, len(pairs))


def held_out(rows: list[dict]) -> list[float]:
    """Each row's probability from a model fitted without its corpus (grouped folds)."""
    groups = sorted({(r["source"], r["corpus"]) for r in rows})
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    out = [0.0] * len(rows)
    for k in range(FOLDS):
        fold_model = fit_table([r for r in rows if fold_of[(r["source"], r["corpus"])] != k])
        for i, r in enumerate(rows):
            if fold_of[(r["source"], r["corpus"])] == k:
                out[i] = predict(fold_model, features_of(r))
    return out


def evaluate(rows: list[dict], model: dict, unseen: list[float]) -> dict:
    """Brier scores: of the reported findings (hand-set confidence, calibrated in sample, calibrated
    by a model fitted without the finding's corpus), and of every candidate (held out)."""
    shown = [i for i, r in enumerate(rows) if r["shown"] == "1"]
    labels = [int(r["label"]) for r in rows]

    def score(p) -> float:
        return round(brier([(p(i), labels[i]) for i in shown]), 4)

    return {
        "candidates": len(rows), "real": sum(labels), "reported": len(shown),
        "reported_real": sum(labels[i] for i in shown),
        "brier_before": score(lambda i: float(rows[i]["prior"])),
        "brier_after": score(lambda i: predict(model, features_of(rows[i]))),
        "brier_after_held_out": score(lambda i: unseen[i]),
        "brier_all_candidates_held_out": round(brier(list(zip(unseen, labels))), 4),
    }


def reliability_curve(scores: list[float], labels: list[int]) -> tuple[list[float], list[float], list[int]]:
    """Mean prediction, share of real conflicts and size of each bin of prediction."""
    bins: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for p, y in zip(scores, labels):
        bins[min(BINS - 1, int(p * BINS))].append((p, y))
    ordered = [b for _, b in sorted(bins.items())]
    return ([sum(p for p, _ in b) / len(b) for b in ordered], [sum(y for _, y in b) / len(b) for b in ordered],
            [len(b) for b in ordered])


def reliability(rows: list[dict], model: dict, unseen: list[float], path: Path) -> None:
    """Predicted against observed frequency of real conflicts: every candidate (left), and the
    reported findings before and after calibration (right)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [int(r["label"]) for r in rows]
    fitted = [predict(model, features_of(r)) for r in rows]
    shown = [i for i, r in enumerate(rows) if r["shown"] == "1"]
    panels = [
        (f"All {len(rows)} candidates", [("calibrated, in sample", fitted, labels, "o"),
                                         ("calibrated, corpus held out", unseen, labels, "^")]),
        (f"Reported findings ({len(shown)})", [
            ("hand-set (before)", [float(rows[i]["prior"]) for i in shown], [labels[i] for i in shown], "s"),
            ("calibrated (after)", [fitted[i] for i in shown], [labels[i] for i in shown], "o")]),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
    for ax, (title, curves) in zip(axes, panels):
        draw_panel(ax, title, curves)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def draw_panel(ax, title: str, curves: list[tuple[str, list[float], list[int], str]]) -> None:
    """One reliability panel: each curve (name, scores, labels, marker) against the diagonal."""
    ax.plot([0, 1], [0, 1], color="#999", linestyle=":", label="perfect calibration")
    for name, scores, ys, marker in curves:
        xs, obs, ns = reliability_curve(scores, ys)
        ax.plot(xs, obs, marker=marker, label=name)
        for x, y, n in zip(xs, obs, ns):
            ax.annotate(str(n), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("confidence given (bin mean; bin sizes marked)")
    ax.set_ylabel("share that are real conflicts")
    ax.set_title(title)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="upper left", fontsize=8)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder, if any")
    ap.add_argument("--table", default=str(TABLE), help="where to write the feature table")
    ap.add_argument("--from-table", help="refit from this table instead of running the checker")
    ap.add_argument("--no-plot", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.from_table:
        rows = read_table(Path(args.from_table))
    else:
        write_table(collect(Path(args.shared)), Path(args.table))
        rows = read_table(Path(args.table))  # fit on the table as written, as the test refits it
    model = fit_table(rows)
    MODEL.write_text(json.dumps({"about": "written by `make calibrate` (bench/calibrate.py); do not edit",
                                 **model}, indent=1) + "\n", encoding="utf-8")
    unseen = held_out(rows)
    print(json.dumps(evaluate(rows, model, unseen)))
    real = [i for i, r in enumerate(rows) if r["source"] == "realdev"]
    if real:
        labels = [int(rows[i]["label"]) for i in real]
        held = [unseen[i] for i in real]
        print(json.dumps({"realdev_candidates": len(real), "realdev_real": sum(labels),
                          "realdev_brier_cluster_held_out": round(brier(list(zip(held, labels))), 4),
                          "realdev_brier_hand_set": round(brier([(float(rows[i]["prior"]), y)
                                                                 for i, y in zip(real, labels)]), 4)}))
    if not args.no_plot:
        reliability(rows, model, unseen, PLOT)
        if real:
            real_reliability([rows[i] for i in real], [unseen[i] for i in real], REAL_PLOT)
    return 0


def real_reliability(rows: list[dict], unseen: list[float], path: Path) -> None:
    """Predicted against observed frequency of real conflicts on the real-news candidates, each
    predicted by a model fitted without its cluster, beside the hand-set confidence."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [int(r["label"]) for r in rows]
    fig, ax = plt.subplots(figsize=(5.5, 4.8))
    draw_panel(ax, f"Published news: {len(rows)} judged candidates",
               [("hand-set link confidence", [float(r["prior"]) for r in rows], labels, "s"),
                ("calibrated, cluster held out", unseen, labels, "o")])
    fig.tight_layout()
    fig.savefig(path, dpi=100)


if __name__ == "__main__":
    sys.exit(main())
