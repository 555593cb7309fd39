"""An on-disk cache shared by every command: per-document stage results and sentence embeddings.

Documents are keyed by a hash of their name, text and publication date and of the code of the
segment and extract stages, so an edited file, or a new version of claimcheck, is processed again and
the rest is not. Embeddings are keyed by model name and sentence text. The cache lives in the user's
cache folder ($XDG_CACHE_HOME/claimcheck, else ~/.cache/claimcheck) or where --cache-dir says, never
in the corpus. A cache that cannot be read is rebuilt with a note, never trusted.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from checker.models import Document

SCHEMA = 1


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "claimcheck"


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
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def document_key(doc: Document) -> str:
    h = hashlib.sha1(code_version().encode())
    for part in (doc.name, doc.published.isoformat() if doc.published else "", doc.text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class Cache:
    """Stage results and embeddings in one SQLite file."""

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.path = self.folder / "cache.sqlite3"
        self.note = ""
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path)
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row and row[0] != str(SCHEMA):
                raise sqlite3.DatabaseError("written by another version")
            db.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT, text_hash TEXT, vec BLOB,"
                       " PRIMARY KEY (model, text_hash))")
            db.execute("CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, payload BLOB)")
            db.execute("CREATE TABLE IF NOT EXISTS stories (key TEXT PRIMARY KEY, payload BLOB)")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            db.commit()
            return db
        except sqlite3.DatabaseError as exc:
            self.note = f"cache {self.path} could not be read ({exc}); rebuilt"
            print(f"claimcheck: note: {self.note}", file=sys.stderr)
            for suffix in ("", "-journal", "-wal", "-shm"):
                try:
                    os.unlink(str(self.path) + suffix)
                except FileNotFoundError:
                    pass
            return self._open()

    # -- embeddings -------------------------------------------------------------------------
    @staticmethod
    def _text_hash(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()

    def fill_vectors(self, model: str, rows_of: dict[str, list[int]], out: Callable[[int], np.ndarray]) -> set[str]:
        """Writes the stored vector of each text into its rows of the array `out(width)` (made when
        the first vector is found) and returns the texts found. Row by row, with no dict of small
        arrays and no stacked copy: at corpus scale the vectors are the largest thing held."""
        found: set[str] = set()
        hashes = {self._text_hash(t): t for t in rows_of}
        keys = list(hashes)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            try:
                rows = self._db.execute(f"SELECT text_hash, vec FROM embeddings WHERE model=? AND text_hash IN ({marks})",
                                        [model, *chunk]).fetchall()
            except sqlite3.DatabaseError:
                return found
            for h, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                target = out(vec.size)
                if vec.size != target.shape[1]:  # written by another model of the same name: not trusted
                    continue
                target[rows_of[hashes[h]]] = vec
                found.add(hashes[h])
        return found

    def store_vectors(self, model: str, texts: Sequence[str], vecs: np.ndarray) -> None:
        rows = [(model, self._text_hash(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in zip(texts, vecs)]
        self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)", rows)
        self._db.commit()

    # -- documents --------------------------------------------------------------------------
    def document(self, doc: Document):
        """(sentences, mentions) of a document processed before, or None."""
        return self._load("documents", document_key(doc))

    def store_documents(self, items: Iterable[tuple[Document, list, list]]) -> None:
        """(document, sentences, mentions) of documents processed, in one transaction: a commit
        each would cost a disk sync each."""
        self._store_many("documents", ((document_key(d), (sents, ments)) for d, sents, ments in items))

    # -- stories: the compare stage's results for one story, keyed by everything they depend on ------
    def story(self, key: str):
        """(findings, agreements) of a story compared before with the same inputs, or None."""
        return self._load("stories", key)

    def store_story(self, key: str, findings, agreements) -> None:
        self._store("stories", key, (findings, agreements))

    def _load(self, table: str, key: str):
        """A payload stored before, or None: an entry that cannot be read is a miss, never trusted."""
        try:
            row = self._db.execute(f"SELECT payload FROM {table} WHERE key=?", (key,)).fetchone()
            return pickle.loads(row[0]) if row else None
        except (sqlite3.DatabaseError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def _store(self, table: str, key: str, payload) -> None:
        self._store_many(table, [(key, payload)])

    def _store_many(self, table: str, items: Iterable[tuple[str, object]]) -> None:
        self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                             ((key, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)) for key, payload in items))
        self._db.commit()


class CachedEmbedder:
    """An embedder that asks the model only for sentences the cache has not seen."""

    def __init__(self, embedder, cache: Cache, loader=None, name: str = "") -> None:
        self._inner = embedder
        self._loader = loader  # loads the model only when a sentence is missing from the cache
        self.cache = cache
        self.name = name or getattr(embedder, "name", "model")
        self.encoded = 0  # sentences actually sent to the model

    @property
    def inner(self):
        if self._inner is None:
            self._inner = self._loader()
        return self._inner

    STORE_EVERY = 4096  # sentences embedded between writes to the cache

    def encode(self, texts: Sequence[str], busy: Callable[[], bool] | None = None) -> np.ndarray:
        rows_of: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            rows_of.setdefault(t, []).append(i)
        holder: list[np.ndarray] = []

        def out(dim: int = 384) -> np.ndarray:
            if not holder:
                holder.append(np.zeros((len(texts), dim), dtype=np.float32))
            return holder[0]

        found = self.cache.fill_vectors(self.name, rows_of, out)
        # longest first, the model's own order, so that a part pads no more than one call would;
        # each part is stored as soon as it is embedded, so an interrupted run keeps what it did
        missing = sorted((t for t in rows_of if t not in found), key=len, reverse=True)
        for lo in range(0, len(missing), self.STORE_EVERY):
            part = missing[lo:lo + self.STORE_EVERY]
            fresh = self.inner.encode(part, busy=busy)
            self.encoded += len(part)
            self.cache.store_vectors(self.name, part, fresh)
            target = out(fresh.shape[1])
            for t, v in zip(part, fresh):
                target[rows_of[t]] = v
        return out()


_DEFAULT: Cache | None = None


def set_default_cache(cache: Cache | None) -> None:
    """The cache every command uses unless told otherwise (the CLI sets it from --cache-dir)."""
    global _DEFAULT
    _DEFAULT = cache


def default_cache() -> Cache | None:
    return _DEFAULT
