"""`claimcheck batch`: JSON lines in, JSON lines out, the model loaded once.

Each input line is {"id": ..., "documents": [{"name", "text", "published"?}]}; each output line is
{"id", "documents", "findings"} with offsets into each document's text. A bad line gives an error
record for that line, never the end of the run: {"id", "line", "error", "findings": []}, where `id`
is the line's own id when it could be read, else null (never the line number, which a real id
could equal).
"""
from __future__ import annotations

import json
import sys
from typing import IO, TYPE_CHECKING, Iterable, Iterator

from checker.errors import CheckerError, InputError

if TYPE_CHECKING:
    from checker.cache import Cache


def check_batch(lines: Iterable[str], embedder=None, cache: Cache | None = None) -> Iterator[dict]:
    """Results for JSONL lines, one dict per non-blank line, in order (through `cache` when given)."""
    from checker.pipeline import check_records
    from checker.report.json_format import document_dict, finding_dict

    # the model is loaded by the first line that needs it (once: it is the process's one instance),
    # so a file of bad lines, or of lines the cache knows, answers without it
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        rec_id = None
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise InputError("expected a JSON object")
            rec_id = rec.get("id")
            docs = rec.get("documents")
            if not isinstance(docs, list):
                raise InputError("expected a list 'documents'")
            if not docs:
                raise InputError("'documents' is empty: nothing to check")
            report = check_records(docs, embedder=embedder, cache=cache)
            yield {"id": rec_id, "documents": [document_dict(d) for d in report.documents],
                   "findings": [finding_dict(f) for f in report.findings]}
        except (json.JSONDecodeError, CheckerError, ValueError) as exc:
            msg = exc.message if isinstance(exc, CheckerError) else str(exc)
            yield {"id": rec_id, "line": n, "error": msg, "findings": []}
        except Exception as exc:  # a bug of ours on one corpus must not end a run of thousands
            yield {"id": rec_id, "line": n, "findings": [],
                   "error": f"internal error: {type(exc).__name__}: {exc} (a bug in claimcheck: please report "
                            "it with this line; the other lines are checked)"}


def run_batch(input_path: str, output_path: str | None, quiet: bool = False, embedder=None,
              cache: Cache | None = None) -> int:
    from checker.outputs import write_output

    try:
        src: IO[str] = sys.stdin if input_path == "-" else open(input_path, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{input_path}: {exc.strerror}") from exc
    with src:
        lines = src.readlines()
    from checker.progress import showing, track

    out = []
    # one bar, over the lines: each line's own stages (a small corpus each) count for the summary only
    with showing(quiet, bars_for=("corpora",)):
        for result in track(check_batch(lines, embedder, cache), "corpora", total=sum(1 for x in lines if x.strip())):
            out.append(json.dumps(result, ensure_ascii=False, sort_keys=True))
    write_output("\n".join(out) + ("\n" if out else ""), output_path)
    return 0
