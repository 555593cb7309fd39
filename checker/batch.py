"""`claimcheck batch`: JSON lines in, JSON lines out, the model loaded once.

Each input line is {"id": ..., "documents": [{"name", "text", "published"?}]}; each output line is
{"id", "documents", "findings"} with offsets into each document's text. A bad line gives an error
record for that line, never the end of the run: {"id", "line", "error", "findings": []}, where `id`
is the line's own id when it could be read, else null (never the line number, which a real id
could equal).

Every line is decoded on its own, so one bad line costs one error record: bytes that are not UTF-8,
`NaN`, `Infinity` or a number too large for a float (which no JSON reader after us would take) are
an error for that line; a byte order mark at the start of a line is dropped; a lone surrogate
(`"\\ud800"`) in any string becomes U+FFFD, one character for one. Two documents of one line with the
same name are renamed ("a.txt", "a.txt (2)"), said in the record's `notes`, and checked apart.
"""
from __future__ import annotations

import json
import math
import re
import sys
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Iterator

from checker.errors import CheckerError, InputError

if TYPE_CHECKING:
    from checker.cache import Cache


_SURROGATE = re.compile("[\ud800-\udfff]")  # json pairs what it can: any left is alone


def _no_constant(name: str) -> Any:
    raise InputError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputError(f"{text} is too large for a number")
    return value


def _clean(value: Any) -> Any:
    """The record with every lone surrogate in its strings (keys too) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    return value


def parse_line(line: str | bytes) -> Any:
    """One JSON line as data: UTF-8, finite numbers and no lone surrogates, or an InputError."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 (byte {exc.start + 1} of the line)") from None
    try:
        return _clean(json.loads(line.lstrip("\ufeff"), parse_constant=_no_constant, parse_float=_finite))
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc}") from None


def unique_names(docs: list) -> tuple[list, list[str]]:
    """The documents with each name made unique in the line, and a note for each one renamed."""
    taken = {str(d.get("name")) for d in docs if isinstance(d, dict) and d.get("name")}
    seen: set[str] = set()
    out, notes = [], []
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict):
            out.append(doc)
            continue
        name = str(doc.get("name") or f"doc{i}")
        if name in seen:
            n = 2
            while f"{name} ({n})" in seen or f"{name} ({n})" in taken:
                n += 1
            notes.append(f"two documents named {name!r}: document {i} checked as {name} ({n})")
            name = f"{name} ({n})"
        seen.add(name)
        out.append({**doc, "name": name})
    return out, notes


def numbered_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, str | bytes]]:
    """The lines to check with their line numbers (from 1): blank lines and lone byte order marks
    are left out, and give no record."""
    for n, line in enumerate(lines, 1):
        if line.strip() and line.strip() not in ("\ufeff", b"\xef\xbb\xbf"):
            yield n, line


def check_line(n: int, line: str | bytes, embedder=None, cache: Cache | None = None) -> dict:
    """The record for line `n` of a batch: its findings, or its error record. Raises nothing but
    Ctrl-C: a bad line, or a bug of ours on one corpus, is that line's error, never the run's end."""
    from checker.pipeline import check_records
    from checker.report.json_format import document_dict, finding_dict

    rec_id = None
    try:
        rec = parse_line(line.removeprefix(b"\xef\xbb\xbf") if isinstance(line, bytes) else line)
        if not isinstance(rec, dict):
            raise InputError("expected a JSON object")
        rec_id = rec.get("id")
        docs = rec.get("documents")
        if not isinstance(docs, list):
            raise InputError("expected a list 'documents'")
        if not docs:
            raise InputError("'documents' is empty: nothing to check")
        docs, notes = unique_names(docs)
        report = check_records(docs, embedder=embedder, cache=cache)
        return {"id": rec_id, "documents": [document_dict(d) for d in report.documents],
                "findings": [finding_dict(f) for f in report.findings], **({"notes": notes} if notes else {})}
    except (json.JSONDecodeError, CheckerError, ValueError) as exc:
        msg = exc.message if isinstance(exc, CheckerError) else str(exc)
        return {"id": rec_id, "line": n, "error": msg, "findings": []}
    except Exception as exc:  # a bug of ours on one corpus must not end a run of thousands
        return {"id": rec_id, "line": n, "findings": [],
                "error": f"internal error: {type(exc).__name__}: {exc} (a bug in claimcheck: please report "
                         "it with this line; the other lines are checked)"}


def check_batch(lines: Iterable[str | bytes], embedder=None, cache: Cache | None = None) -> Iterator[dict]:
    """Results for JSONL lines (text or bytes), one dict per non-blank line, in order (through
    `cache` when given)."""
    # the model is loaded by the first line that needs it (once: it is the process's one instance),
    # so a file of bad lines, or of lines the cache knows, answers without it
    for n, line in numbered_lines(lines):
        yield check_line(n, line, embedder, cache)


# what checks a batch's lines in order: check_batch in this process, or a cluster's runner
Checker = Callable[[list[bytes], Any, "Cache | None"], Iterable[dict]]


def run_batch(input_path: str, output_path: str | None, quiet: bool = False, embedder=None,
              cache: Cache | None = None, checker: Checker = check_batch) -> int:
    """Check the lines of `input_path` (- for standard input) with `checker` and write their records,
    in input order, to `output_path` (None: standard output)."""
    from checker.outputs import write_output

    try:
        src: IO[bytes] = sys.stdin.buffer if input_path == "-" else open(input_path, "rb")
    except OSError as exc:
        raise InputError(f"{input_path}: {exc.strerror}") from exc
    with src:
        lines = src.readlines()  # bytes: each line decoded on its own, a bad byte costs one line
    from checker.progress import showing, track

    out = []
    # one bar, over the lines: each line's own stages (a small corpus each) count for the summary only
    with showing(quiet, bars_for=("corpora",)):
        for result in track(checker(lines, embedder, cache), "corpora", total=sum(1 for x in lines if x.strip())):
            try:
                out.append(json.dumps(result, ensure_ascii=False, sort_keys=True, allow_nan=False))
            except ValueError as exc:  # a value no JSON reader takes: that line's error, never a bad line
                out.append(json.dumps({"id": None, "line": len(out) + 1,
                                       "error": f"cannot be written as JSON ({exc})", "findings": []},
                                      ensure_ascii=False, sort_keys=True))
    write_output("\n".join(out) + ("\n" if out else ""), output_path)
    return 0
