"""Read a corpus folder: article files, MANIFEST.json, encodings, publication dates."""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import stat
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


# Byte order marks that name a file's encoding outright; UTF-32's come first, since UTF-32LE's
# begins with UTF-16LE's. A UTF-8 BOM is kept as its character (see `_decode`).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A well-formed multi-byte UTF-8 sequence: a file that has as many of these as it has invalid bytes
# is UTF-8 with stray bytes (replaced where they are), not a file in another encoding.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xef][\x80-\xbf]{2}"
                             rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}")
# charset-normalizer reads at most this much of a file to name its encoding: its verdict on the
# first megabyte is the file's, and the time stays bounded for a 200 MB file.
CHARSET_SAMPLE_BYTES = 1024 * 1024
# Control characters (C0 but tab, newline, carriage return and form feed; DEL; C1) are never text:
# each becomes U+FFFD, one character for one, so offsets hold and no report prints them raw.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _decode(raw: bytes) -> tuple[str, str]:
    """Decode a file's bytes and say how, when it was not plain UTF-8.

    UTF-8, keeping a BOM as its character so that offsets match the file as Python reads it with
    encoding="utf-8"; UTF-16/32 by their BOM; a UTF-8 file with a few invalid bytes has those
    replaced (U+FFFD) where they are; any other file is read in the encoding charset-normalizer
    names for it (Windows-1252 when it names none)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, "replace"), f"read as {encoding.upper()} (byte order mark)"
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", "replace")
    invalid = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    if len(_UTF8_MULTIBYTE.findall(raw)) >= invalid:
        return text, f"{invalid} byte(s) not UTF-8 replaced"
    from charset_normalizer import from_bytes

    encoding = _likeliest_encoding(from_bytes(raw[:CHARSET_SAMPLE_BYTES]))
    shown = f"Windows-{encoding[2:]}" if re.fullmatch(r"cp125\d", encoding) else encoding
    try:
        return raw.decode(encoding, "replace"), f"not UTF-8: read as {shown}"
    except LookupError:
        return raw.decode("latin-1"), "not UTF-8: read as Latin-1"


def _likeliest_encoding(matches) -> str:
    """charset-normalizer's best match; among matches it scores the same (a short text whose accents
    Windows-1250, -1252 and -1257 all decode plausibly), Windows-1252, the most common encoding
    of Western news pages that are not UTF-8, and the fallback when it names none."""
    best = matches.best()
    if best is None:
        return "cp1252"
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if any("cp1252" in (m.encoding, *m.could_be_from_charset) for m in tied):
        return "cp1252"
    return best.encoding


def without_controls(text: str) -> str:
    """The text with each control character replaced by U+FFFD (offsets unchanged)."""
    return _CONTROLS.sub("\ufffd", text)


def _looks_binary(raw: bytes) -> bool:
    if raw.startswith(tuple(bom for bom, _ in _BOMS)):
        return False
    sample = raw[:4096]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return len(sample) > 0 and controls / len(sample) > 0.05


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file (at most MAX_BYTES + 1). A FIFO, a device or a socket, or a link
    to one, is refused (ValueError) without reading from it: opened non-blocking, so a FIFO with no
    writer cannot hang the run, and checked on the open descriptor, so it cannot be swapped after."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise ValueError(_special_kind(mode))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ValueError(_special_kind(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(MAX_BYTES + 1)
    finally:
        os.close(fd)


def _special_kind(mode: int) -> str:
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a folder" if stat.S_ISDIR(mode) else "a special file")
    return f"{kind}, not a regular file: skipped"


def escaped_name(name: str) -> str:
    """A file name as claimcheck shows it: bytes that are not UTF-8 (which Python holds as lone
    surrogates) written as \\xNN, so that every format can print it and every hash can take it."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def read_text_document(path: Path, name: str | None = None) -> Document:
    """Read one article; a file that cannot be read gives a Document with `error` set. A web page
    (.html, .htm, or a saved page under another name) is read as its extracted main text."""
    name = escaped_name(name or path.name)
    try:
        raw = _read_regular(path)
    except ValueError as exc:
        return Document(name=name, text="", path=str(path), error=str(exc))
    except OSError as exc:
        return Document(name=name, text="", path=str(path), error=f"cannot read: {exc.strerror or exc}")
    if len(raw) > MAX_BYTES:
        return Document(name=name, text="", path=str(path), error=f"larger than {MAX_BYTES} bytes")
    if _looks_binary(raw):
        return Document(name=name, text="", path=str(path), error="binary file, not text")
    text, note = _decode(raw)
    del raw  # a large file is held once, as text
    text = without_controls(text)
    from checker.ingest.own import written_by_claimcheck

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
        if not doc.error and doc.text.strip():  # two texts with nothing in them are not copies
            digest = hashlib.sha1(doc.text.encode("utf-8", "surrogatepass")).hexdigest()
            if digest in seen:
                doc = replace(doc, text="", error=f"duplicate of {seen[digest]}: checked once")
            else:
                seen[digest] = name
        elif not doc.error:
            doc = replace(doc, note="; ".join(x for x in (doc.note, "empty: nothing to check") if x))
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
        text = without_controls(rec["text"])
        docs.append(with_published(Document(name=name, text=text, note=_with_long_note("", text)), entry))
    return docs
