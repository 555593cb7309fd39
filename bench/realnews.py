#!/usr/bin/env python3
"""Score claimcheck on real multi-source news (the realdev clusters), against labels kept by offsets.

The clusters are publishers' text and never enter this repository: build them once beside it (see
the realdev README: `python3 ../shared/realdev/build.py ../multi_news.jsonl ../realdev-data`). What
the repository keeps is `bench/realnews/labels.json`:

    {"judged": [{"cluster", "a": {"file", "sha256", "start", "end"}, "b": {...}, "rule", "verdict",
                 "cause", "reason"}],
     "discrepancies": [{"cluster", "kind", "update", "a": {...}, "b": {...}, "reason"}]}

`a`/`b` are character offsets of a value in a file (read as UTF-8, no newline translation) and the
file's sha256, so a label can never point into another version of the text. `verdict` is `real` (the
two values of one fact cannot both be true), `update` (one measure at two moments) or `false`
(the values agree, or speak of different things); `cause` names the class of a false one.

Usage:
    python bench/realnews.py [--data ../realdev-data] [--checker CMD] [--out bench/out/realnews]
                             [--reuse] [--list-unjudged] [--template FILE] [--merge FILE]

It runs one `claimcheck batch` over all clusters (a story a line; --reuse rescores the last run's
output), matches every warning and error to the judged labels and every annotated discrepancy to the
findings, and prints one summary line:

    realnews: W warnings (E errors), judged real R% (U unjudged), errors judged real X%,
              discrepancies found D/N (at warning+ K), updates found at info I/J (of A annotated)

--list-unjudged prints each unjudged finding with its sentences (on the terminal only); --template
FILE writes them as label entries without a verdict (FILE must lie outside the repository, since it
holds no text but is meant to be filled in beside the text); --merge FILE adds filled-in entries to
labels.json. Exit status: 0; 1 when a warning is unjudged (a round is judged before it is counted);
2 for missing data, a label whose file changed (sha256), or bad arguments.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "bench" / "realnews" / "labels.json"
DEFAULT_DATA = ROOT.parent / "realdev-data"
DEFAULT_OUT = ROOT / "bench" / "out" / "realnews"
DEFAULT_CHECKER = str(ROOT / ".venv" / "bin" / "claimcheck")
REPORTED = ("warning", "error")
VERDICTS = ("real", "update", "false")
# the cause classes of false warnings seen on real news (issue 20); a label names one
CAUSES = ("template", "moment", "part-whole", "agree-units", "agree-wording", "misread", "honorific",
          "dateline", "different-things", "rounding", "other")


class ScoreError(Exception):
    """Bad data or labels: one line for the user, exit 2."""


@dataclass(frozen=True)
class Span:
    file: str
    start: int
    end: int

    def overlaps(self, other: "Span") -> bool:
        return self.file == other.file and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Evidence:
    value: Span
    sentence: Span
    repeats: tuple[Span, ...] = ()  # the other places the file says the same sentence word for word
    text: str = ""  # the value as the file writes it


@dataclass(frozen=True)
class Found:
    """One warning/error/info of the checker on a cluster."""
    cluster: str
    rule: str
    severity: str
    message: str
    evidence: tuple[Evidence, ...]

    def covers(self, a: Span, b: Span, loose: bool, spellings: tuple[str, str] | None = None) -> bool:
        """Two different evidence items hold a and b (their values overlap; `loose`: their sentences;
        `spellings`, for a name written two ways: an item of the same file that writes it so, as a
        spelling is the file's wherever it recurs)."""
        def hit(e: Evidence, s: Span, spelling: str) -> bool:
            return e.value.overlaps(s) or (loose and any(x.overlaps(s) for x in (e.sentence, *e.repeats))) \
                or (bool(spelling) and e.value.file == s.file and spelling in e.text)
        sa, sb = spellings or ("", "")
        items = self.evidence
        return any(hit(x, a, sa) and hit(y, b, sb) for i, x in enumerate(items) for j, y in enumerate(items) if i != j)


def clusters(data: Path) -> list[Path]:
    if not data.is_dir():
        raise ScoreError(f"{data}: no realdev data; build it first (../shared/realdev/README.md)")
    found = sorted(p for p in data.iterdir() if (p / "MANIFEST.json").is_file())
    if not found:
        raise ScoreError(f"{data}: no cluster folder with a MANIFEST.json")
    return found


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write_batch(data: Path, dest: Path) -> dict[str, dict[str, str]]:
    """One batch line per cluster; returns cluster -> file -> sha256."""
    digests: dict[str, dict[str, str]] = {}
    lines = []
    for folder in clusters(data):
        manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
        docs = []
        for entry in manifest["documents"]:
            docs.append({"name": entry["file"], "text": read_text(folder / entry["file"])})
            digests.setdefault(folder.name, {})[entry["file"]] = entry["sha256"]
        lines.append(json.dumps({"id": folder.name, "documents": docs}, ensure_ascii=False))
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return digests


def digests_of(data: Path) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for folder in clusters(data):
        manifest = json.loads((folder / "MANIFEST.json").read_text(encoding="utf-8"))
        out[folder.name] = {e["file"]: e["sha256"] for e in manifest["documents"]}
    return out


def run_checker(checker: str, batch_in: Path, batch_out: Path) -> None:
    cmd = [*shlex.split(checker), "batch", str(batch_in), "--output", str(batch_out)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(cmd, env=env)
    if done.returncode != 0:
        raise ScoreError(f"the checker exited {done.returncode}: {' '.join(cmd)}")


def _repeats(text: str, doc: str, start: int, end: int) -> tuple[Span, ...]:
    """Where else the file says the sentence at [start, end) word for word (a page that repeats a
    sentence is reported at its first occurrence; a label may point at another)."""
    sentence = text[start:end]
    out, at = [], text.find(sentence)
    while sentence and at >= 0:
        if at != start:
            out.append(Span(doc, at, at + len(sentence)))
        at = text.find(sentence, at + 1)
    return tuple(out)


def load_findings(batch_out: Path, data: Path | None = None) -> tuple[list[Found], list[str]]:
    found: list[Found] = []
    texts: dict[tuple[str, str], str] = {}
    errors: list[str] = []
    for line in batch_out.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if rec.get("error"):
            errors.append(f"{rec.get('id')}: {rec['error']}")
            continue
        for f in rec["findings"]:
            ev = []
            for e in f["evidence"]:
                repeats: tuple[Span, ...] = ()
                if data is not None:
                    key = (rec["id"], e["doc"])
                    if key not in texts:
                        texts[key] = read_text(data / rec["id"] / e["doc"])
                    repeats = _repeats(texts[key], e["doc"], e["start"], e["end"])
                ev.append(Evidence(Span(e["doc"], e.get("value_start", e["start"]), e.get("value_end", e["end"])),
                                   Span(e["doc"], e["start"], e["end"]), repeats, e.get("value", "")))
            ev = tuple(ev)
            found.append(Found(rec["id"], f["rule"], f["severity"], f["message"], ev))
    return found, errors


def span_of(label_side: dict, cluster: str, digests: dict[str, dict[str, str]]) -> Span:
    name = label_side["file"]
    have = digests.get(cluster, {}).get(name)
    if have is None:
        raise ScoreError(f"label names {cluster}/{name}, which the data does not have")
    if have != label_side["sha256"]:
        raise ScoreError(f"{cluster}/{name} changed since it was labelled (sha256 differs)")
    return Span(name, int(label_side["start"]), int(label_side["end"]))


def load_labels(path: Path) -> dict:
    if not path.is_file():
        return {"judged": [], "discrepancies": []}
    labels = json.loads(path.read_text(encoding="utf-8"))
    for item in labels.get("judged", []):
        if item.get("verdict") not in VERDICTS:
            raise ScoreError(f"judged label with verdict {item.get('verdict')!r}: expected one of {VERDICTS}")
    return labels


@dataclass(frozen=True)
class Judgement:
    verdict: str
    cause: str


def judge(found: Found, judged: list[tuple[str, Span, Span, Judgement]]) -> Judgement | None:
    """The label of a finding: the first judged pair whose two values its evidence holds."""
    for cluster, a, b, verdict in judged:
        if cluster == found.cluster and found.covers(a, b, loose=False):
            return verdict
    return None


def score(found: list[Found], labels: dict, digests: dict[str, dict[str, str]], data: Path | None = None) -> dict:
    judged = [(j["cluster"], span_of(j["a"], j["cluster"], digests), span_of(j["b"], j["cluster"], digests),
               Judgement(j["verdict"], j.get("cause", ""))) for j in labels.get("judged", [])]
    reported = [f for f in found if f.severity in REPORTED]
    verdicts = [(f, judge(f, judged)) for f in reported]
    unjudged = [f for f, v in verdicts if v is None]
    real = [f for f, v in verdicts if v and v.verdict == "real"]
    errors = [(f, v) for f, v in verdicts if f.severity == "error"]
    causes: dict[str, int] = {}
    for f, v in verdicts:
        if v and v.verdict != "real":
            key = "update" if v.verdict == "update" else (v.cause or "other")
            causes[key] = causes.get(key, 0) + 1
    disc = labels.get("discrepancies", [])
    found_any = found_warn = updates = updates_found = updates_info = 0
    missed = []
    for d in disc:
        a, b = span_of(d["a"], d["cluster"], digests), span_of(d["b"], d["cluster"], digests)
        spellings = None
        if d["kind"] == "name" and data is not None:
            spellings = tuple(read_text(data / d["cluster"] / s.file)[s.start:s.end] for s in (a, b))
        hits = [f for f in found if f.cluster == d["cluster"] and f.covers(a, b, loose=True, spellings=spellings)]
        if d.get("update"):
            updates += 1
        if hits:
            found_any += 1
            if any(f.severity in REPORTED for f in hits):
                found_warn += 1
            if d.get("update"):
                updates_found += 1
                if not any(f.severity in REPORTED for f in hits):
                    updates_info += 1
        else:
            missed.append(d)
    return {"warnings": len(reported), "errors": len(errors), "unjudged": unjudged,
            "real": len(real), "judged": len(reported) - len(unjudged),
            "errors_real": sum(1 for _, v in errors if v and v.verdict == "real"),
            "errors_judged": sum(1 for _, v in errors if v is not None),
            "causes": causes, "discrepancies": len(disc), "found": found_any, "found_warn": found_warn,
            "updates": updates, "updates_found": updates_found, "updates_info": updates_info, "missed": missed}


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f}%" if d else "n/a"


def summary_line(s: dict) -> str:
    return (f"realnews: {s['warnings']} warnings ({s['errors']} errors), judged real "
            f"{pct(s['real'], s['judged'])} ({s['real']}/{s['judged']}, {len(s['unjudged'])} unjudged), "
            f"errors judged real {pct(s['errors_real'], s['errors_judged'])} "
            f"({s['errors_real']}/{s['errors_judged']}), discrepancies found {s['found']}/{s['discrepancies']} "
            f"({pct(s['found'], s['discrepancies'])}; at warning+ {s['found_warn']}), "
            f"updates found at info {s['updates_info']}/{s['updates_found']} (of {s['updates']} annotated)")


def sentence(data: Path, cluster: str, span: Span) -> str:
    text = read_text(data / cluster / span.file)
    return text[span.start:span.end].replace("\n", " ")


def template_entry(f: Found, digests: dict[str, dict[str, str]]) -> dict:
    a, b = f.evidence[0].value, f.evidence[1].value
    side = lambda s: {"file": s.file, "sha256": digests[f.cluster][s.file], "start": s.start, "end": s.end}
    return {"cluster": f.cluster, "rule": f.rule, "a": side(a), "b": side(b), "verdict": "", "cause": "",
            "reason": ""}


def inside_repo(path: Path) -> bool:
    try:
        path.resolve().relative_to(ROOT)
        return True
    except ValueError:
        return False


def merge(labels: dict, path: Path) -> int:
    new = json.loads(path.read_text(encoding="utf-8"))
    entries = new if isinstance(new, list) else new.get("judged", [])
    added = 0
    for e in entries:
        if e.get("verdict") not in VERDICTS:
            continue
        if e["verdict"] == "false" and e.get("cause") not in CAUSES:
            raise ScoreError(f"a false label needs a cause among {CAUSES}: {e}")
        labels.setdefault("judged", []).append({k: e[k] for k in ("cluster", "rule", "a", "b", "verdict",
                                                                    "cause", "reason")})
        added += 1
    disc = new.get("discrepancies", []) if isinstance(new, dict) else []
    for d in disc:
        labels.setdefault("discrepancies", []).append(d)
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    LABELS.write_text(json.dumps(labels, indent=1, sort_keys=True, ensure_ascii=True) + "\n", encoding="utf-8")
    return added + len(disc)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--checker", default=DEFAULT_CHECKER)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--reuse", action="store_true", help="rescore the last run's batch output (in --out)")
    ap.add_argument("--list-unjudged", action="store_true")
    ap.add_argument("--list-missed", action="store_true")
    ap.add_argument("--template", type=Path)
    ap.add_argument("--merge", type=Path)
    args = ap.parse_args(argv)
    try:
        labels = load_labels(LABELS)
        if args.merge:
            print(f"merged {merge(labels, args.merge)} labels into {LABELS.relative_to(ROOT)}")
            return 0
        batch_in, batch_out = args.out / "batch.jsonl", args.out / "findings.jsonl"
        if args.reuse and batch_out.is_file():
            digests = digests_of(args.data)
        else:
            digests = write_batch(args.data, batch_in)
            run_checker(args.checker, batch_in, batch_out)
        found, failed = load_findings(batch_out, args.data)
        s = score(found, labels, digests, args.data)
    except ScoreError as exc:
        print(f"realnews: error: {exc}", file=sys.stderr)
        return 2
    if args.list_unjudged:
        for f in s["unjudged"]:
            print(f"\n{f.cluster} {f.rule} {f.severity}: {f.message}")
            for e in f.evidence:
                print(f"  {e.value.file}@{e.value.start}: {sentence(args.data, f.cluster, e.sentence)}")
    if args.list_missed:
        for d in s["missed"]:
            print(f"\nMISSED {d['cluster']} {d['kind']}{' (update)' if d.get('update') else ''}: {d['reason']}")
            for side in ("a", "b"):
                sp = Span(d[side]["file"], d[side]["start"], d[side]["end"])
                text = read_text(args.data / d["cluster"] / sp.file)
                lo = max(0, sp.start - 150)
                print(f"  {sp.file}: ...{text[lo:sp.start]}[[{text[sp.start:sp.end]}]]{text[sp.end:sp.end + 100]}..."
                      .replace("\n", " "))
    if args.template:
        if inside_repo(args.template):
            print("realnews: error: --template must lie outside the repository", file=sys.stderr)
            return 2
        args.template.write_text(json.dumps([template_entry(f, digests) for f in s["unjudged"]], indent=1))
    for line in failed:
        print(f"realnews: a cluster failed: {line}", file=sys.stderr)
    if s["causes"]:
        print("not real, by cause: " + ", ".join(f"{k} {v}" for k, v in sorted(s["causes"].items())))
    print(summary_line(s))
    return 1 if s["unjudged"] or failed else 0


if __name__ == "__main__":
    sys.exit(main())
