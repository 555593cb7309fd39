"""What a desk adds to a corpus while the server runs: sources, and a status and note per finding.

Kept in one state folder per corpus, outside it (the checker never writes into the corpus it
reads): by default under the user's state folder (platformdirs), one sub-folder per corpus path,
or the folder `--state-dir` names. In it, `desk.sqlite` holds the findings' statuses and notes and
the list of added sources; `sources/` holds each added source as it came (pasted text, an uploaded
file, a fetched page), so a later server on the same corpus checks them again.

SQLite because the record is small, must survive a crash half-way through a write, and is read by
one server at a time; a connection per call, since requests arrive on the event loop's thread and
sources are read on the pipeline's worker thread.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Literal

from checker.errors import InputError

STATUSES = ("open", "confirmed", "dismissed")
Status = Literal["open", "confirmed", "dismissed"]
ADDED_PREFIX = "added/"  # the name of an added source in reports: never a corpus file's name
MAX_NOTE_CHARS = 4_000  # a note is a line or a paragraph for a colleague, not a document
MAX_TITLE_CHARS = 200
DB_NAME = "desk.sqlite"
SOURCES_FOLDER = "sources"
_SLUG = re.compile(r"[^a-z0-9]+")
_SCHEMA = """
create table if not exists finding_status (
    id text primary key, status text not null, note text not null, rule text not null,
    message text not null, updated text not null);
create table if not exists source (
    file text primary key, origin text not null, title text not null, outlet text not null,
    published text not null, added text not null);
"""


@dataclass(frozen=True)
class FindingStatus:
    id: str
    status: Status
    note: str
    rule: str
    message: str
    updated: str  # ISO time in UTC


@dataclass(frozen=True)
class AddedSource:
    file: str  # in the state folder's sources/; the report names it ADDED_PREFIX + file
    origin: str  # "paste", "upload" or the URL it was fetched from
    title: str
    outlet: str
    published: str  # YYYY-MM-DD, or "" for the text's own dateline
    added: str

    @property
    def name(self) -> str:
        return ADDED_PREFIX + self.file


def default_state_dir(corpus: str) -> Path:
    """The corpus's own folder under the user's state folder: named after the corpus folder and a
    hash of its real path, so two corpora called `seeds` keep apart."""
    from platformdirs import user_state_dir

    real = os.path.realpath(corpus)
    key = hashlib.sha1(real.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    name = _SLUG.sub("-", os.path.basename(real).lower()).strip("-") or "corpus"
    return Path(user_state_dir("claimcheck")) / "serve" / f"{name}-{key}"


def checked_state_dir(path: str | None, corpus: str) -> Path:
    """The state folder, made if missing; one inside the corpus folder, or a file, is refused."""
    chosen = Path(path) if path else default_state_dir(corpus)
    real = os.path.realpath(chosen)
    root = os.path.realpath(corpus)
    if real == root or real.startswith(root + os.sep):
        raise InputError(f"--state-dir {chosen}: inside the corpus folder, which is never written")
    if os.path.exists(real) and not os.path.isdir(real):
        raise InputError(f"--state-dir {chosen}: is a file, not a folder")
    try:
        os.makedirs(os.path.join(real, SOURCES_FOLDER), exist_ok=True)
    except OSError as exc:
        raise InputError(f"--state-dir {chosen}: cannot make it ({exc.strerror or exc})") from None
    return Path(real)


class DeskState:
    """The state folder of one corpus: statuses and notes of findings, and the added sources."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = folder / DB_NAME
        self.sources_dir = folder / SOURCES_FOLDER
        try:
            with closing(self._connect()) as con, con:
                con.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.db}: cannot open the desk's state ({exc})") from None

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db, timeout=10)

    # -- findings -------------------------------------------------------------------------------
    def statuses(self) -> dict[str, FindingStatus]:
        with closing(self._connect()) as con:
            rows = con.execute("select id, status, note, rule, message, updated from finding_status").fetchall()
        return {r[0]: FindingStatus(*r) for r in rows}

    def set_status(self, finding: dict, status: str, note: str) -> FindingStatus:
        """Record a finding's status and note (the finding as the JSON report gives it)."""
        if status not in STATUSES:
            raise InputError(f"status: one of {', '.join(STATUSES)}, not {status!r}")
        if len(note) > MAX_NOTE_CHARS:
            raise InputError(f"note: at most {MAX_NOTE_CHARS:,} characters")
        record = FindingStatus(str(finding["id"]), status, note.strip(), str(finding.get("rule", "")),
                               str(finding.get("message", "")), _now())
        with closing(self._connect()) as con, con:
            con.execute("insert or replace into finding_status values (?, ?, ?, ?, ?, ?)",
                        (record.id, record.status, record.note, record.rule, record.message, record.updated))
        return record

    # -- sources --------------------------------------------------------------------------------
    def sources(self) -> list[AddedSource]:
        with closing(self._connect()) as con:
            rows = con.execute("select file, origin, title, outlet, published, added from source "
                               "order by added, file").fetchall()
        return [AddedSource(*r) for r in rows]

    def add_source(self, content: bytes, suffix: str, origin: str, title: str, outlet: str,
                   published: str) -> AddedSource:
        """Keep a source's bytes in sources/ under a new name and record it."""
        taken = {s.file for s in self.sources()}
        stem = f"{len(taken) + 1:03d}-{_SLUG.sub('-', title.lower()).strip('-')[:48] or 'source'}"
        file, n = stem + suffix, 2
        while file in taken or (self.sources_dir / file).exists():
            file, n = f"{stem}-{n}{suffix}", n + 1
        path = self.sources_dir / file
        path.write_bytes(content)
        source = AddedSource(file, origin, title[:MAX_TITLE_CHARS], outlet, published, _now())
        try:
            with closing(self._connect()) as con, con:
                con.execute("insert into source values (?, ?, ?, ?, ?, ?)",
                            (source.file, source.origin, source.title, source.outlet, source.published,
                             source.added))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return source

    def remove_source(self, file: str) -> None:
        with closing(self._connect()) as con, con:
            con.execute("delete from source where file = ?", (file,))
        (self.sources_dir / file).unlink(missing_ok=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


EXPORT_FIELDS = ("id", "status", "note", "rule", "severity", "message", "present", "updated")


def export_rows(findings: Iterable[dict], statuses: dict[str, FindingStatus]) -> list[dict]:
    """One row per finding of the report (open unless marked), then the marked findings that the
    report no longer has (`present` false: a source changed, or was removed)."""
    rows, seen = [], set()
    for f in findings:
        st = statuses.get(str(f.get("id")))
        rows.append({"id": str(f.get("id")), "status": st.status if st else "open", "note": st.note if st else "",
                     "rule": str(f.get("rule", "")), "severity": str(f.get("severity", "")),
                     "message": str(f.get("message", "")), "present": True, "updated": st.updated if st else ""})
        seen.add(str(f.get("id")))
    for st in sorted(statuses.values(), key=lambda s: s.id):
        if st.id not in seen:
            rows.append({"id": st.id, "status": st.status, "note": st.note, "rule": st.rule, "severity": "",
                         "message": st.message, "present": False, "updated": st.updated})
    return rows


def _cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text that starts like a formula gets a leading quote
    (a note is typed by anyone who can reach the page)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_text(rows: list[dict], fmt: str) -> tuple[str, str]:
    """The rows as a download: (body, media type). `baseline` is a baseline file of the dismissed
    findings, for `claimcheck check --baseline` to stop reporting them."""
    if fmt == "json":
        return json.dumps({"claimcheck_desk": 1, "findings": rows}, indent=2, ensure_ascii=False) + "\n", \
            "application/json"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        return out.getvalue(), "text/csv; charset=utf-8"
    if fmt == "baseline":
        from checker.baseline import entries_text

        return entries_text((r["id"], r["rule"], r["message"]) for r in rows if r["status"] == "dismissed"), \
            "application/json"
    raise InputError(f"format: json, csv or baseline, not {fmt!r}")
