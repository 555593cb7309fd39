#!/usr/bin/env python3
"""Score a checker against a suite of news corpora with gold: fixtures/news (or newsdev's layout).

Usage:
    python bench/score_news.py [--checker CMD] [-v] [--keep DIR] [--suite fixtures/news] [--json] [SLUG ...]
    python bench/score_news.py --reports DIR [-v] [--json] [SLUG ...]     # rescore kept reports

A suite is a folder of corpus folders (`<suite>/<slug>/*.txt` with a MANIFEST.json) and one
`<suite>/gold.json` whose items name files by base name (unique across the suite):
    {"conflicts": [{"id", "kind", "a": {"file", "quote"}, "b": {"file", "quote"}, "why"}], "agreements": [...]}

For each corpus (all of them, or the SLUGs named) the checker runs as
    CMD check <suite>/<slug> --format json --output <tmp>/<slug>.json
(default CMD `.venv/bin/claimcheck`; exit status 0 or 1 both mean the check ran). The report's
`findings` each have a `severity` (info / warning / error) and `evidence`, a list of items
{"doc", "start", "end", ...}: `doc` a file name or path (its base name is compared with the gold's),
`start`/`end` character offsets into the file's text as Python reads it with UTF-8.

Matching. A finding FINDS a gold pair (a, b) when one evidence item's span [start, end) contains
quote a and another item's span contains quote b; one item may cover both only when the two quotes
lie in one sentence of one file. A quote's span is where it occurs (exactly once) in its file, less
any leading or trailing spaces and punctuation, so that a sentence span without its full stop still
contains a quote that ends with one. An evidence span longer than --max-span characters (default
600: a sentence, not a paragraph) contains nothing.

Figures:
    conflicts found X/Y        gold conflicts found by a finding of any severity
    (at warning+ Z)            the same, counting warning and error findings only
    agreements flagged A/B     gold agreements found by a warning or error: false alarms
    unmatched warnings U of W  warning/error findings that match no gold item (conflict or agreement),
                               out of all warning/error findings
With --json: precision = warnings that find a gold conflict / all warnings; recall = conflicts found
at warning+ / conflicts.

Exit status: 0; 1 if the checker failed on a corpus (named in the summary line); 2 for bad gold or
arguments (a quote missing or not unique, a file not in the suite).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SUITE = ROOT / "fixtures" / "news"
DEFAULT_CHECKER = ".venv/bin/claimcheck"
ARTICLE_SUFFIXES = (".txt", ".md")
RANK = {"info": 0, "warning": 1, "error": 2}
MAX_SPAN = 600
TRIM = " \t\r\n.,;:!?\"'"
SENTENCE_BREAKS = (". ", "? ", "! ", ".\n", "?\n", "!\n", "\n")

Span = tuple[str, int, int]  # (base name, start, end)


class GoldError(Exception):
    """The gold does not fit the suite's texts."""


def find_corpora(suite: Path) -> dict[str, Path]:
    """Corpus folders of a suite, by slug: subfolders holding at least one article."""
    out: dict[str, Path] = {}
    for sub in sorted(p for p in suite.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if any(f.suffix.lower() in ARTICLE_SUFFIXES for f in sub.iterdir() if f.is_file()):
            out[sub.name] = sub
    return out


def read_texts(dirs: list[Path]) -> dict[str, str]:
    """Every article's text by base name; a base name used twice is a gold error."""
    texts: dict[str, str] = {}
    for d in dirs:
        for f in sorted(d.rglob("*")):
            if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES:
                if f.name in texts:
                    raise GoldError(f"base name {f.name} used twice in the suite")
                with open(f, encoding="utf-8", errors="replace", newline="") as fh:
                    texts[f.name] = fh.read()
    return texts


def quote_span(texts: dict[str, str], quote: dict[str, str]) -> Span:
    """Where a gold quote lies in its file, trimmed of edge spaces and punctuation."""
    name, q = os.path.basename(quote["file"]), quote["quote"]
    if name not in texts:
        raise GoldError(f"gold names a file not in the suite: {name}")
    text = texts[name]
    start = text.find(q)
    if start < 0:
        raise GoldError(f"quote not found in {name}: {q!r}")
    if text.find(q, start + 1) >= 0:
        raise GoldError(f"quote occurs more than once in {name}: {q!r}")
    end = start + len(q)
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return name, start, end


def one_sentence(texts: dict[str, str], a: Span, b: Span) -> bool:
    """Whether two quote spans lie in one sentence of one file (no sentence break between them)."""
    if a[0] != b[0]:
        return False
    lo, hi = min(a[2], b[2]), max(a[1], b[1])
    if lo >= hi:
        return True  # overlapping quotes
    gap = texts[a[0]][lo:hi]
    return not any(brk in gap for brk in SENTENCE_BREAKS)


def contains(item: dict[str, Any], span: Span, max_span: int = MAX_SPAN) -> bool:
    """Whether an evidence item's [start, end) holds the quote span."""
    name, qs, qe = span
    if os.path.basename(str(item.get("doc", ""))) != name:
        return False
    try:
        s, e = int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError):
        return False
    if e <= s or e - s > max_span:
        return False
    return s <= qs and qe <= e


def finds(finding: dict[str, Any], a: Span, b: Span, same_ok: bool, max_span: int = MAX_SPAN) -> bool:
    """Whether a finding's evidence covers both quotes (two items, or one if same_ok)."""
    ev = finding.get("evidence") or []
    if not isinstance(ev, list):
        return False
    for i, x in enumerate(ev):
        if not isinstance(x, dict) or not contains(x, a, max_span):
            continue
        for j, y in enumerate(ev):
            if isinstance(y, dict) and (i != j or same_ok) and contains(y, b, max_span):
                return True
    return False


def severity(finding: dict[str, Any]) -> int:
    """info 0, warning 1, error 2; anything else -1."""
    return RANK.get(str(finding.get("severity", "")).lower(), -1)


def select_gold(gold: dict[str, Any], names: set[str]) -> dict[str, list[dict[str, Any]]]:
    """The gold items whose two files are both among `names` (the corpora being scored)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for key in ("conflicts", "agreements"):
        out[key] = [it for it in gold.get(key, [])
                    if os.path.basename(it["a"]["file"]) in names and os.path.basename(it["b"]["file"]) in names]
    return out


def score(findings: list[dict[str, Any]], gold: dict[str, Any], texts: dict[str, str],
          max_span: int = MAX_SPAN) -> dict[str, Any]:
    """Match findings to gold items; the per-item results and the figures."""
    spans: dict[str, tuple[Span, Span, bool]] = {}
    for it in gold.get("conflicts", []) + gold.get("agreements", []):
        a, b = quote_span(texts, it["a"]), quote_span(texts, it["b"])
        spans[it["id"]] = (a, b, one_sentence(texts, a, b))

    def hits(item_id: str) -> list[int]:
        a, b, same = spans[item_id]
        return [i for i, f in enumerate(findings) if finds(f, a, b, same, max_span)]

    matched_any: set[int] = set()
    matched_conflict: set[int] = set()
    conflicts = []
    for it in gold.get("conflicts", []):
        h = hits(it["id"])
        best = max((severity(findings[i]) for i in h), default=-1)
        warn = [i for i in h if severity(findings[i]) >= 1]
        matched_any.update(warn)
        matched_conflict.update(warn)
        conflicts.append({"id": it["id"], "found": bool(h), "severity": best, "findings": h})
    agreements = []
    for it in gold.get("agreements", []):
        h = hits(it["id"])
        warn = [i for i in h if severity(findings[i]) >= 1]
        matched_any.update(warn)
        agreements.append({"id": it["id"], "flagged": bool(warn), "findings": warn})
    warnings = [i for i, f in enumerate(findings) if severity(f) >= 1]
    unmatched = [i for i in warnings if i not in matched_any]
    n_conf = len(conflicts)
    found_warn = sum(c["severity"] >= 1 for c in conflicts)
    figures = {
        "conflicts": n_conf,
        "conflicts_found": sum(c["found"] for c in conflicts),
        "conflicts_found_warn": found_warn,
        "agreements": len(agreements),
        "agreements_flagged": sum(a["flagged"] for a in agreements),
        "findings": len(findings),
        "warnings": len(warnings),
        "warnings_matching_conflicts": len(matched_conflict),
        "unmatched_warnings": len(unmatched),
        "precision": round(len(matched_conflict) / len(warnings), 4) if warnings else None,
        "recall": round(found_warn / n_conf, 4) if n_conf else None,
    }
    return {"conflicts": conflicts, "agreements": agreements, "unmatched": unmatched, "figures": figures}


def summary_line(n_corpora: int, fig: dict[str, Any], failed: list[str]) -> str:
    """The one-line summary."""
    line = (f"news {n_corpora} corpora: conflicts found {fig['conflicts_found']}/{fig['conflicts']}"
            f" (at warning+ {fig['conflicts_found_warn']}), agreements flagged"
            f" {fig['agreements_flagged']}/{fig['agreements']}, unmatched warnings"
            f" {fig['unmatched_warnings']} of {fig['warnings']}")
    if failed:
        line += "; checker failed on: " + ", ".join(failed)
    return line


def run_checker(cmd: list[str], corpus: Path, out: Path, timeout: float) -> str | None:
    """Run the checker on one corpus; None if it produced a report, else what went wrong."""
    try:
        proc = subprocess.run(cmd + ["check", str(corpus), "--format", "json", "--output", str(out)],
                              capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        return f"no such command: {cmd[0]}"
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    if proc.returncode not in (0, 1):
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or [""]
        return f"exit status {proc.returncode}: {tail[0][:200]}"
    if not out.exists():
        return "no report written"
    return None


def load_findings(path: Path) -> list[dict[str, Any]]:
    """The findings of one JSON report."""
    with open(path, encoding="utf-8") as fh:
        report = json.load(fh)
    findings = report.get("findings") if isinstance(report, dict) else None
    if not isinstance(findings, list):
        raise ValueError(f"{path}: no list 'findings'")
    return findings


def evidence_text(item: dict[str, Any], texts: dict[str, str]) -> str:
    """An evidence item's text: its own 'text', or the span cut from the file."""
    if item.get("text"):
        return str(item["text"])
    name = os.path.basename(str(item.get("doc", "")))
    try:
        return texts.get(name, "")[int(item["start"]):int(item["end"])]
    except (KeyError, TypeError, ValueError):
        return ""


def _short(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def verbose_lines(result: dict[str, Any], gold: dict[str, Any], findings: list[dict[str, Any]],
                  origin: list[str], texts: dict[str, str]) -> list[str]:
    """Per-item lines: missed conflicts, flagged agreements, unmatched warnings."""
    names = {v: k for k, v in RANK.items()}
    by_id = {it["id"]: it for it in gold.get("conflicts", []) + gold.get("agreements", [])}
    lines = []
    for c in result["conflicts"]:
        it = by_id[c["id"]]
        state = f"found ({names.get(c['severity'], '?')})" if c["found"] else "MISSED"
        lines.append(f"conflict  {c['id']:7} {state:15} {it['kind']}: {it['a']['file']} \"{_short(it['a']['quote'], 60)}\""
                     f" | {it['b']['file']} \"{_short(it['b']['quote'], 60)}\"")
    for a in result["agreements"]:
        if a["flagged"]:
            it = by_id[a["id"]]
            rules = ", ".join(f"#{i} {findings[i].get('rule', '')}".strip() for i in a["findings"])
            lines.append(f"agreement {a['id']:7} FLAGGED by {rules}: {it['kind']}: {it['a']['file']}"
                         f" \"{_short(it['a']['quote'], 60)}\" | {it['b']['file']} \"{_short(it['b']['quote'], 60)}\"")
    for i in result["unmatched"]:
        f = findings[i]
        ev = " | ".join(f"{os.path.basename(str(e.get('doc', '')))}: {_short(evidence_text(e, texts), 90)}"
                        for e in (f.get("evidence") or []) if isinstance(e, dict))
        lines.append(f"unmatched {origin[i]} #{i} {f.get('severity')} {f.get('rule', '')}:"
                     f" {_short(str(f.get('message', '')), 120)} || {ev}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("slugs", nargs="*", metavar="SLUG", help="corpora to score (default: all)")
    ap.add_argument("--checker", default=DEFAULT_CHECKER, help=f"checker command (default {DEFAULT_CHECKER})")
    ap.add_argument("--suite", default=str(DEFAULT_SUITE), help="folder of corpus folders and gold.json")
    ap.add_argument("--gold", help="gold file (default: <suite>/gold.json)")
    ap.add_argument("-v", "--verbose", action="store_true", help="per-item lines")
    ap.add_argument("--keep", metavar="DIR", help="keep each corpus's report as DIR/<slug>.json")
    ap.add_argument("--reports", metavar="DIR",
                    help="score the reports already in DIR/<slug>.json (from --keep) instead of running the checker")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON (summary line to stderr)")
    ap.add_argument("--max-span", type=int, default=MAX_SPAN, help="longest evidence span that counts")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per corpus (default 1800)")
    args = ap.parse_args(argv)

    suite = Path(args.suite)
    if not suite.is_dir():
        print(f"no such suite folder: {suite}", file=sys.stderr)
        return 2
    corpora = find_corpora(suite)
    unknown = [s for s in args.slugs if s not in corpora]
    if unknown:
        print(f"unknown corpus: {', '.join(unknown)} (have: {', '.join(corpora)})", file=sys.stderr)
        return 2
    chosen = {s: corpora[s] for s in (args.slugs or corpora)}
    try:
        with open(args.gold or suite / "gold.json", encoding="utf-8") as fh:
            gold_all = json.load(fh)
        texts = read_texts(list(chosen.values()))
        gold = select_gold(gold_all, set(texts))
        for it in gold["conflicts"] + gold["agreements"]:
            quote_span(texts, it["a"]), quote_span(texts, it["b"])
    except (OSError, json.JSONDecodeError, GoldError, KeyError) as exc:
        print(f"bad gold: {exc}", file=sys.stderr)
        return 2

    cmd = shlex.split(args.checker)
    keep = Path(args.keep) if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    findings: list[dict[str, Any]] = []
    origin: list[str] = []
    failed: list[str] = []
    from checker.progress import showing, track

    # a bar over the corpora on a terminal (each `claimcheck check` runs piped, with its own summary)
    with tempfile.TemporaryDirectory(prefix="score_news_") as tmp, showing():
        for slug, folder in track(chosen.items(), "corpora", total=len(chosen)):
            if args.reports:
                out = Path(args.reports) / f"{slug}.json"
                err = None if out.exists() else f"no report {out}"
            else:
                out = (keep or Path(tmp)) / f"{slug}.json"
                if out.exists():
                    out.unlink()
                err = run_checker(cmd, folder, out, args.timeout)
            if err is None:
                try:
                    got = load_findings(out)
                except (OSError, ValueError) as exc:
                    err = str(exc)
            if err is not None:
                print(f"{slug}: checker failed: {err}", file=sys.stderr)
                failed.append(slug)
                continue
            findings.extend(got)
            origin.extend([slug] * len(got))

    result = score(findings, gold, texts, args.max_span)
    line = summary_line(len(chosen), result["figures"], failed)
    if args.verbose:
        for v in verbose_lines(result, gold, findings, origin, texts):
            print(v)
    if args.json:
        print(json.dumps({"corpora": len(chosen), "failed": failed, **result["figures"]}, indent=2))
        print(line, file=sys.stderr)
    else:
        print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
