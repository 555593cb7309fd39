"""Read a corpus folder: article files, MANIFEST.json, encodings, publication dates."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Sequence

from checker.errors import InputError, ManifestError
from checker.ingest.dateline import infer_published
from checker.models import Document

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
MANIFEST_NAME = "MANIFEST.json"
MAX_BYTES = 200 * 1024 * 1024
# A document is checked up to this many characters (some 1,500 sentences): a 50 MB file is read and
# its first 200,000 characters checked, with a note, in bounded time and memory.
MAX_CHECKED_CHARS = 200_000


def parse_date(value: str) -> date:
    """A date or datetime in ISO form ("2023-06-14" or "2023-06-14T18:16:43")."""
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date() if "T" in text or " " in text else date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO date: {value!r}") from exc


def _decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8, keeping a BOM as its character so that offsets match the file as
    Python reads it with encoding="utf-8"; fall back to Windows-1252 with a note."""
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "not UTF-8: read as Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "not UTF-8: read as Latin-1"


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return len(sample) > 0 and controls / len(sample) > 0.05


def escaped_name(name: str) -> str:
    """A file name as claimcheck shows it: bytes that are not UTF-8 (which Python holds as lone
    surrogates) written as \\xNN, so that every format can print it and every hash can take it."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_text_document(path: Path, name: str | None = None) -> Document:
    """Read one article; a file that cannot be read gives a Document with `error` set. A web page
    (.html, .htm, or a saved page under another name) is read as its extracted main text."""
    name = escaped_name(name or path.name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Document(name=name, text="", path=str(path), error=f"larger than {MAX_BYTES} bytes")
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return Document(name=name, text="", path=str(path), error=f"cannot read: {exc.strerror or exc}")
    if _looks_binary(raw):
        return Document(name=name, text="", path=str(path), error="binary file, not text")
    text, note = _decode(raw)
    from checker.report.own import written_by_claimcheck

    if written_by_claimcheck(text):
        return Document(name=name, text="", path=str(path), error="written by claimcheck (a report), not an article")
    from checker.ingest.html import HTML_SUFFIXES, looks_like_html, read_page

    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(text):
        page = read_page(text)
        return Document(name=name, text=page.text, path=str(path), source_format="html",
                        published=page.published, published_source="html" if page.published else "unknown",
                        published_evidence="the page's metadata" if page.published else "", outlet=page.site,
                        note=_with_long_note("; ".join(x for x in (note, page.note) if x), page.text))
    return Document(name=name, text=text, path=str(path), note=_with_long_note(note, text))


def _with_long_note(note: str, text: str) -> str:
    """The note, plus one saying so when only the start of the text is checked."""
    if len(text) <= MAX_CHECKED_CHARS:
        return note
    return "; ".join(x for x in (note, f"long: only the first {MAX_CHECKED_CHARS:,} of {len(text):,} "
                                       "characters checked") if x)


def _load_manifest(folder: Path) -> dict[str, dict]:
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not valid JSON ({exc})") from exc
    entries = data.get("documents") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ManifestError(f"{path}: expected a list 'documents'")
    out: dict[str, dict] = {}
    root = folder.resolve()
    for entry in entries:
        if not isinstance(entry, dict) or "file" not in entry:
            raise ManifestError(f"{path}: every entry needs a 'file'")
        target = (folder / str(entry["file"])).resolve()
        if root not in target.parents:
            raise ManifestError(f"{path}: {entry['file']!r} lies outside the corpus folder")
        if entry.get("published"):
            try:
                parse_date(entry["published"])
            except ValueError:
                raise ManifestError(f"{path}: {entry['file']}: bad date {entry['published']!r}") from None
        out[os.path.relpath(target, root)] = entry
    return out


def with_published(doc: Document, entry: dict | None, fallback: date | None = None,
                   fallback_source: str = "option") -> Document:
    """Attach the publication date: manifest first, then the text, then the fallback."""
    from dataclasses import replace

    if doc.error:
        return doc
    outlet = str(entry.get("outlet", "")) if entry and entry.get("outlet") else doc.outlet
    if entry and entry.get("published"):
        return replace(doc, published=parse_date(entry["published"]), published_source="manifest",
                       published_evidence=str(entry.get("published_evidence", "")), outlet=outlet)
    if doc.published_source == "html":  # the page's own metadata, which the manifest did not override
        return replace(doc, outlet=outlet)
    found, evidence = infer_published(doc.text)
    if found:
        return replace(doc, published=found, published_source="text", published_evidence=evidence,
                       outlet=outlet)
    if fallback:
        return replace(doc, published=fallback, published_source=fallback_source, outlet=outlet)
    return replace(doc, outlet=outlet)


def hidden(name: str) -> bool:
    """A hidden file or folder (".venv", ".git", ".draft.txt"): never an article, at any depth."""
    return name.startswith(".")


def list_articles(folder: Path) -> list[Path]:
    """The article files under `folder`, in a stable order; hidden files and everything in hidden
    folders are left out (a virtual environment or a tool's folder is not a source)."""
    files: list[Path] = []
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not hidden(d))  # pruned: os.walk does not enter them
        for fn in sorted(filenames):
            p = Path(dirpath) / fn
            if not hidden(fn) and p.suffix.lower() in ARTICLE_SUFFIXES:
                real = os.path.realpath(p)
                if real in seen:
                    continue
                seen.add(real)
                files.append(p)
    return files


def read_corpus(folder: str | os.PathLike, use_manifest: bool = True) -> list[Document]:
    """Read every .txt / .md article under `folder`, with publication dates."""
    root = Path(folder)
    if not root.exists():
        raise InputError(f"{folder}: no such folder")
    if not root.is_dir():
        raise InputError(f"{folder}: not a folder")
    manifest = _load_manifest(root) if use_manifest else {}
    for rel in manifest:
        if not (root / rel).exists():
            raise ManifestError(f"{root / MANIFEST_NAME}: names a missing file {rel!r}")
    docs = read_articles((path, escaped_name(os.path.relpath(path, root))) for path in list_articles(root))
    docs = [with_published(d, manifest.get(d.name)) for d in docs]
    if not docs:
        raise InputError(f"{folder}: no .txt or .md articles (nor .html pages) to check")
    return docs


def read_articles(named: Iterable[tuple[Path, str]]) -> list[Document]:
    """Read (path, name) articles, in order; a text read before under another name is a duplicate,
    checked once. Publication dates are the caller's (a corpus's manifest, a file's own)."""
    from checker.progress import track

    docs = []
    seen: dict[str, str] = {}
    for path, name in track(list(named), "read"):
        doc = read_text_document(path, name=name)
        if not doc.error:
            digest = hashlib.sha1(doc.text.encode("utf-8", "surrogatepass")).hexdigest()
            if digest in seen:
                doc = replace(doc, text="", error=f"duplicate of {seen[digest]}: checked once")
            else:
                seen[digest] = name
                if not doc.text.strip():
                    doc = replace(doc, note="empty: nothing to check")
        docs.append(doc)
    return docs


def read_files(paths: Sequence[Path]) -> list[Document]:
    """Read article files given one by one (a pre-commit hook's list), each named by its path as
    given and dated by the MANIFEST.json of its own folder when that names it, else by its text."""
    manifests: dict[Path, dict[str, dict]] = {}
    docs = []
    for doc, path in zip(read_articles((p, escaped_name(p.as_posix())) for p in paths), paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = _load_manifest(folder)
        docs.append(with_published(doc, manifests[folder].get(path.name)))
    return docs


def documents_from_records(records: Iterable[dict]) -> list[Document]:
    """Documents from batch records {"name", "text", "published"?} (JSON in, no files)."""
    docs = []
    for i, rec in enumerate(records):
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            raise InputError(f"document {i}: needs a string 'text'")
        name = str(rec.get("name") or f"doc{i}")
        entry = {"published": rec["published"]} if rec.get("published") else None
        docs.append(with_published(Document(name=name, text=rec["text"], note=_with_long_note("", rec["text"])),
                                   entry))
    return docs
