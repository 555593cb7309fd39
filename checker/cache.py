"""An on-disk cache shared by every command: per-document stage results, sentence embeddings and
each story's findings, with the keys they are stored under.

Documents are keyed by a hash of their name, text and publication date and of the code of the
segment and extract stages, so an edited file, or a new version of claimcheck, is processed again and
the rest is not. Embeddings are keyed by model name and sentence text. The cache lives in the user's
cache folder ($XDG_CACHE_HOME/claimcheck, else ~/.cache/claimcheck) or where --cache-dir says, never
in the corpus. There is no process-wide cache: a command opens one and passes it to the stages
(`pipeline.prepare(..., cache=...)`), and a PreparedCorpus keeps it for the documents added to it.
A cache that cannot be read is set aside and rebuilt with a note, never trusted; it holds data only (checker.records), so a doctored entry can give a wrong value but never run code.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import time
import zlib
from dataclasses import fields, is_dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from checker import records
from checker.errors import OutputError
from checker.models import Document, Finding, Mention, Sentence

# 2: records stored as JSON data (checker.records), no longer as pickles
SCHEMA = 2
# The tables a cache file holds (any schema): a file with another table is someone else's database.
OWN_TABLES = frozenset({"meta", "embeddings", "documents", "stories"})


def default_cache_dir() -> Path:
    """The user's cache folder for claimcheck, where the platform keeps caches (platformdirs):
    $XDG_CACHE_HOME/claimcheck, else ~/.cache/claimcheck on Linux; ~/Library/Caches/claimcheck on
    macOS; %LOCALAPPDATA%\\claimcheck\\Cache on Windows."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("claimcheck", appauthor=False))


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the code whose output is cached: a change to it invalidates the cache."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha1(str(SCHEMA).encode())
    for package in ("ingest", "segment", "extract"):
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.read_bytes())
    digest.update((root / "models.py").read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def full_code_version() -> str:
    """A hash of all of claimcheck's code: what a story's findings depend on."""
    digest = hashlib.sha1(str(SCHEMA).encode())
    root = Path(__file__).resolve().parent
    # the rules read their shipped calibration (checker/rules/calibration.json) as they read code
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.json")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def document_key(doc: Document) -> str:
    h = hashlib.sha1(code_version().encode())
    for part in (doc.name, doc.published.isoformat() if doc.published else "", doc.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def story_key(docs: Sequence[Document], mentions_by_doc: dict[str, list[Mention]], pairs: Sequence,
              settings: str) -> str:
    """Everything a story's findings depend on: the code, the settings (the pipeline's options as
    `Options.key` writes them: the cache knows no stage's types), its documents (text, date), their
    mentions with names as resolved over the corpus, and its aligned pairs."""
    h = hashlib.sha1(full_code_version().encode())
    h.update(settings.encode())
    for d in docs:
        h.update(document_key(d).encode())
        h.update(repr([_canonical(m) for m in mentions_by_doc.get(d.name, [])]).encode("utf-8", "surrogatepass"))
    for p in pairs:
        h.update(repr((p.a.doc, p.a.index, p.b.doc, p.b.index, round(p.similarity, 5),
                       sorted(p.shared_people), sorted(p.shared_events))).encode())
    return h.hexdigest()


def one_off(name: str) -> bool:
    """A claim typed at the prompt ("<claim>"), not a file: not worth keeping in the cache."""
    return name.startswith("<")


def _canonical(value):
    """A value as nested tuples in a fixed order: sets are sorted, since their order (and so a
    pickle of them) changes from one process to the next."""
    if isinstance(value, (str, int, float, bool, type(None), date)):
        return value
    if is_dataclass(value):
        return (type(value).__name__,) + tuple(_canonical(getattr(value, f.name)) for f in fields(value))
    if isinstance(value, (set, frozenset)):
        return ("set",) + tuple(sorted((_canonical(v) for v in value), key=repr))
    if isinstance(value, dict):
        return ("dict",) + tuple(sorted(((repr(k), _canonical(v)) for k, v in value.items()), key=repr))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(v) for v in value)
    return repr(value)


def _agreement(value) -> bool:
    """An agreement as the rules note it: (measure, (mention, label), (mention, label))."""
    return (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(side, tuple) and len(side) == 2 and isinstance(side[0], Mention)
                    and isinstance(side[1], str) for side in value[1:]))


class _Unusable(Exception):
    """Why the cache file cannot be used as it is; `set_aside` says whether renaming it would help."""

    def __init__(self, reason: str, set_aside: bool) -> None:
        super().__init__(reason)
        self.reason, self.set_aside = reason, set_aside


def _unusable(exc: sqlite3.Error) -> _Unusable:
    """A locked or read-only cache is sound, only not ours to write now: it is not set aside."""
    text = str(exc)
    sound = isinstance(exc, sqlite3.OperationalError) and any(
        w in text for w in ("locked", "readonly", "read-only", "unable to open", "disk I/O", "busy"))
    return _Unusable(text, set_aside=not sound)


class Cache:
    """Stage results and embeddings in one SQLite file, stored as data (checker.records), never code.

    Whatever state the file is in, a run goes on: a damaged file, or one written by another schema,
    is renamed aside (`cache.sqlite3.set-aside-<time>`) with a note naming both paths and rebuilt; a
    locked or read-only one is read without storing, or not used; an entry that cannot be decoded
    is a miss, computed again and stored over. Each of these prints one note on standard error.
    """

    BUSY_TIMEOUT = 30.0  # seconds to wait for another run that is writing to the same cache

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.path = self.folder / "cache.sqlite3"
        self.note = ""
        self.writable = False
        self._told_undecodable = False
        self._told_unstorable = False
        # one wait for a writer's lock, whatever the open tries: the read-only retry takes what is left
        self._wait_until = time.monotonic() + self.BUSY_TIMEOUT
        self._db: sqlite3.Connection | None = self._open()

    def _say(self, note: str) -> None:
        self.note = "; ".join(x for x in (self.note, note) if x)
        print(f"claimcheck: note: {note}", file=sys.stderr)

    def _open(self) -> sqlite3.Connection | None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._say(f"cache folder {self.folder} cannot be made ({exc.strerror or exc}): running without a cache")
            return None
        try:
            self._regular_or_absent()
            return self._connect()
        except _Unusable as exc:
            if not exc.set_aside:
                return self._read_only(exc.reason)
            moved = self._set_aside()
            if moved is None:
                self._say(f"cache {self.path} cannot be used ({exc.reason}) nor set aside: running without a cache")
                return None
            self._say(f"cache {self.path} cannot be used ({exc.reason}): set aside as {moved}; rebuilt")
        try:
            self._regular_or_absent()
            return self._connect()  # once: a fresh file that fails too is not tried again
        except _Unusable as exc:
            self._say(f"cache {self.path} cannot be made ({exc.reason}): running without a cache")
            return None

    def _regular_or_absent(self) -> None:
        """Refuses a cache path that is a link (SQLite would create or write its target, which may
        lie in a corpus) or anything but a regular file: set aside, the link itself and not its target."""
        if os.path.islink(self.path):
            raise _Unusable(f"a symbolic link to {os.readlink(self.path)}", set_aside=True)
        if self.path.exists() and not self.path.is_file():
            raise _Unusable("not a regular file", set_aside=True)

    def _connect(self) -> sqlite3.Connection:
        db = None
        try:
            db = sqlite3.connect(self.path, timeout=self.BUSY_TIMEOUT)
            self._check(db)
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            # each value with its CRC-32: SQLite checks its pages' structure (quick_check), not the
            # bytes of a value, and a damaged vector would otherwise be read as a wrong one
            db.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT, text_hash TEXT, vec BLOB, crc INTEGER,"
                       " PRIMARY KEY (model, text_hash))")
            db.execute("CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, payload BLOB, crc INTEGER)")
            db.execute("CREATE TABLE IF NOT EXISTS stories (key TEXT PRIMARY KEY, payload BLOB, crc INTEGER)")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            db.commit()
            self.writable = True
            return db
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            raise _unusable(exc) from None
        except (_Unusable, OutputError):
            db.close()
            raise

    def _check(self, db: sqlite3.Connection) -> None:
        """Refuses a file that SQLite finds damaged, or that another schema of ours wrote."""
        problem = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if problem != "ok":
            raise _Unusable(f"damaged: {problem}", set_aside=True)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and not self._ours(db, tables):
            raise OutputError(f"cache {self.path}: a SQLite file claimcheck did not write (no 'meta' table "
                              "of its schema); choose another --cache-dir, or move the file away")
        if tables:
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None or row[0] != str(SCHEMA):
                raise _Unusable(f"written by cache schema {row[0] if row else 'unknown'}, "
                                f"this is {SCHEMA}", set_aside=True)

    @staticmethod
    def _ours(db: sqlite3.Connection, tables: set[str]) -> bool:
        """A file this cache wrote, under this schema or another: a `meta` table of (key, value)
        with a 'schema' row, and no table of its own beside the cache's."""
        if "meta" not in tables or not tables <= OWN_TABLES:
            return False
        columns = [r[1] for r in db.execute("PRAGMA table_info(meta)")]
        return columns == ["key", "value"] and db.execute(
            "SELECT 1 FROM meta WHERE key='schema'").fetchone() is not None

    def _read_only(self, reason: str) -> sqlite3.Connection | None:
        """A cache that cannot be written now (read-only, locked): read from it, store nothing."""
        if self.path.exists():
            db = None
            try:
                db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                     timeout=max(0.1, self._wait_until - time.monotonic()))
                self._check(db)
                db.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
                self._say(f"cache {self.path} cannot be written ({reason}): read from, nothing stored")
                return db
            except (sqlite3.Error, _Unusable, OutputError):
                if db is not None:
                    db.close()
        self._say(f"cache {self.path} cannot be used ({reason}): running without a cache")
        return None

    def _set_aside(self) -> Path | None:
        """Renames the cache file (and its journal) aside, for a person to look at; None if it cannot."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.set-aside-{stamp}-{os.getpid()}")
        try:
            os.replace(self.path, target)
        except FileNotFoundError:
            return target
        except OSError:
            return None
        for suffix in ("-journal", "-wal", "-shm"):
            try:
                os.replace(str(self.path) + suffix, str(target) + suffix)
            except OSError:
                pass
        return target

    def _failed(self, exc: sqlite3.Error) -> None:
        """A cache that fails in the middle of a run: the run goes on without it."""
        problem = _unusable(exc)
        db, self._db, self.writable = self._db, None, False
        if db is not None:
            db.close()
        moved = self._set_aside() if problem.set_aside else None
        self._say(f"cache {self.path} failed ({problem.reason})" + (f": set aside as {moved}" if moved else "")
                  + "; this run goes on without it")

    def _undecodable(self, table: str, exc: Exception) -> None:
        if not self._told_undecodable:
            self._told_undecodable = True
            self._say(f"cache {self.path}: an entry in {table} cannot be read ({exc}); computed again")

    # -- embeddings -------------------------------------------------------------------------
    @staticmethod
    def _text_hash(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()

    def fill_vectors(self, model: str, rows_of: dict[str, list[int]], out: np.ndarray) -> set[str]:
        """Writes the stored vector of each text into its rows of `out` and returns the texts found.
        Row by row, with no dict of small arrays and no stacked copy: at corpus scale the vectors are
        the largest thing held. A stored vector of another length than a row, or not finite, is a miss."""
        found: set[str] = set()
        if self._db is None:
            return found
        hashes = {self._text_hash(t): t for t in rows_of}
        keys = list(hashes)
        width = out.shape[1]
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(f"SELECT text_hash, vec, crc FROM embeddings WHERE model=? AND text_hash IN ({marks})",
                                        [model, *chunk]).fetchall()
            except sqlite3.Error as exc:
                self._failed(exc)
                return found
            for h, blob, crc in rows:
                text = hashes.get(h)
                if text is None or not isinstance(blob, bytes):
                    continue
                if zlib.crc32(blob) != crc:
                    self._undecodable("embeddings", ValueError("a vector whose checksum does not match"))
                    continue
                if len(blob) != 4 * width:
                    self._undecodable("embeddings", ValueError(f"a vector of {len(blob)} bytes"))
                    continue
                vec = np.frombuffer(blob, dtype=np.float32)
                if not np.isfinite(vec).all():
                    self._undecodable("embeddings", ValueError("a vector that is not finite"))
                    continue
                out[rows_of[text]] = vec
                found.add(text)
        return found

    def store_vectors(self, model: str, texts: Sequence[str], vecs: np.ndarray) -> None:
        if self._db is None or not self.writable:
            return
        blobs = ((t, np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vecs))
        rows = [(model, self._text_hash(t), b, zlib.crc32(b)) for t, b in blobs]
        try:
            self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)
            self._db.commit()
        except sqlite3.Error as exc:
            self._failed(exc)

    # -- documents --------------------------------------------------------------------------
    def document(self, doc: Document):
        """(sentences, mentions) of a document processed before, or None."""
        hit = self._load("documents", document_key(doc))
        if hit is None:
            return None
        if not (isinstance(hit, list) and len(hit) == 2 and all(isinstance(x, list) for x in hit)
                and all(isinstance(s, Sentence) for s in hit[0]) and all(isinstance(m, Mention) for m in hit[1])):
            self._undecodable("documents", ValueError("not a list of sentences and mentions"))
            return None
        return hit[0], hit[1]

    def store_documents(self, items: Iterable[tuple[Document, list, list]]) -> None:
        """(document, sentences, mentions) of documents processed, in one transaction: a commit
        each would cost a disk sync each."""
        self._store_many("documents", ((document_key(d), [sents, ments]) for d, sents, ments in items))

    # -- stories: the compare stage's results for one story, keyed by everything they depend on ------
    def story(self, key: str):
        """(findings, agreements) of a story compared before with the same inputs, or None."""
        hit = self._load("stories", key)
        if hit is None:
            return None
        if not (isinstance(hit, list) and len(hit) == 2 and all(isinstance(x, list) for x in hit)
                and all(isinstance(f, Finding) for f in hit[0]) and all(_agreement(a) for a in hit[1])):
            self._undecodable("stories", ValueError("not a list of findings and agreements"))
            return None
        return hit[0], hit[1]

    def store_story(self, key: str, findings, agreements) -> None:
        self._store_many("stories", [(key, [list(findings), list(agreements)])])

    def _load(self, table: str, key: str):
        """A payload stored before, or None: an entry that cannot be read is a miss, never trusted."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(f"SELECT payload, crc FROM {table} WHERE key=?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        if row is None:
            return None
        try:
            if not isinstance(row[0], bytes) or zlib.crc32(row[0]) != row[1]:
                raise records.DecodeError("its checksum does not match")
            return records.loads(row[0])
        except records.DecodeError as exc:
            self._undecodable(table, exc)
            return None

    def _store_many(self, table: str, items: Iterable[tuple[str, object]]) -> None:
        if self._db is None or not self.writable:
            return
        try:
            self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
                                 ((key, data, zlib.crc32(data)) for key, data in
                                  ((key, records.dumps(payload)) for key, payload in items)))
            self._db.commit()
        except sqlite3.Error as exc:
            self._failed(exc)
        except TypeError as exc:  # a value of a type the cache does not store: a bug of ours, not fatal
            self._db.rollback()
            if not self._told_unstorable:
                self._told_unstorable = True
                self._say(f"cache {self.path}: {table} not stored ({exc}); computed again next time")
