"""Web pages: the article's main text, its publication date and its site name.

trafilatura finds the main text (no navigation, comments, related links, cookie banners, scripts);
its metadata step reads the date with htmldate (the publication date, not the last modification,
and only from the page's markup and URL-like places, with no guess from the running text) and the
site name from the page's meta tags. The extracted text, headline first, is the Document's text:
every offset in a report points into it, and the JSON report carries it for each HTML document.

A hostile or broken page costs bounded time and memory: scripts, styles and comments are cut out
and the rest capped at MAX_HTML_CHARS before any parser sees it (with a note), and trafilatura runs
in a worker process that is killed when a page takes longer than EXTRACT_SECONDS, or when the run
is stopped (Ctrl-C, SIGTERM): lxml does not look at signals while it works.
"""
from __future__ import annotations

import atexit
import multiprocessing
import re
import threading
from dataclasses import dataclass
from datetime import date

HTML_SUFFIXES = (".html", ".htm")
_WORD = re.compile(r"[^\W\d_]{2,}")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")  # an image as trafilatura writes it: ![alt](src)
# A news page's markup, less its scripts and styles, is some tens to hundreds of KB. trafilatura takes
# about 3 s of CPU a MB (measured on a 50 MB page of nested paragraphs: 1.9 s for 0.5 MB, 5.9 s for
# 2 MB), and 1 MB of markup gives some 800,000 characters of text, four times what is checked
# (reader.MAX_CHECKED_CHARS): past this a page is parsed up to it, with a note.
MAX_HTML_CHARS = 1_000_000
# The time one page may take in trafilatura (a page at the cap takes some 3 s of CPU); past it the
# page is skipped with a note rather than holding the run.
EXTRACT_SECONDS = 30.0
# What is never article text and is often most of a big page's bytes: cut out before the cap.
_NOT_TEXT = re.compile(r"<(script|style|svg|noscript)\b[^>]*>|<!--", re.IGNORECASE)
_BLOCK_END = {"--": re.compile("-->"), **{tag: re.compile(f"</{tag}\\s*>", re.IGNORECASE)
                                        for tag in ("script", "style", "svg", "noscript")}}
_HTML_START = re.compile(r"\A(?:\ufeff)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    text: str  # the headline, a blank line, then the main text
    published: date | None
    site: str
    note: str


def _has_words(line: str) -> bool:
    """A line worth keeping: two words or more. A gallery's "3 of 6" or a lone "Share" is the
    page's furniture, and a counter's numbers would be compared as claims."""
    return len(_WORD.findall(line)) >= 2


def looks_like_html(text: str) -> bool:
    """A saved web page, whatever its file is called."""
    return bool(_HTML_START.match(text[:4096]))


def without_scripts(html: str) -> str:
    """The page less its scripts, styles, inline SVG and comments, in one pass: each block's end is
    looked for once, from where it starts, so the time stays linear in the page's size."""
    out, pos = [], 0
    while (m := _NOT_TEXT.search(html, pos)) is not None:
        out.append(html[pos:m.start()])
        end = _BLOCK_END["--" if m.group(0) == "<!--" else m.group(1).lower()].search(html, m.end())
        if end is None:  # an unclosed block runs to the end of the page
            return "".join(out)
        pos = end.end()
    out.append(html[pos:])
    return "".join(out)


def bounded(html: str) -> tuple[str, str]:
    """The markup a parser is given (no scripts, at most MAX_HTML_CHARS) and a note when cut."""
    if len(html) <= MAX_HTML_CHARS:
        return html, ""
    kept = without_scripts(html)
    if len(kept) <= MAX_HTML_CHARS:
        return kept, ""
    return kept[:MAX_HTML_CHARS], (f"large page: only the first {MAX_HTML_CHARS:,} of {len(kept):,} characters "
                                   "of markup (less scripts and styles) parsed")


def read_page(html: str, seconds: float = EXTRACT_SECONDS) -> Page:
    """The main text and metadata of a web page; a page with no main text gives an empty text, and
    one that takes longer than `seconds` to parse is skipped with a note."""
    html, cut = bounded(html)
    try:
        found = _EXTRACTOR.extract(html, seconds)
    except TimeoutError:
        return Page("", None, "", "; ".join(x for x in (cut, f"web page: not parsed within {seconds:g} s: "
                                                             "skipped") if x))
    if found is None:
        return Page("", None, "", "; ".join(x for x in (cut, "web page: no article text found") if x))
    if isinstance(found, str):  # trafilatura failed on the page: said as the page's note
        return Page("", None, "", "; ".join(x for x in (cut, f"web page: cannot be parsed ({found})") if x))
    text, title, found_date, sitename = found
    body = "\n".join(x.strip() for x in _IMAGE.sub("", text or "").splitlines() if _has_words(x))
    title = " ".join((title or "").split())
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}" if body else title
    published = None
    if found_date:
        try:
            published = date.fromisoformat(str(found_date)[:10])
        except ValueError:
            published = None
    return Page(text=body + "\n" if body else "", published=published,
                site=" ".join((sitename or "").split()),
                note="; ".join(x for x in (cut, "web page: main text extracted") if x))


def extract(html: str) -> tuple[str, str, str, str] | None:
    """trafilatura's (text, title, date, site name) of a page, in this process."""
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are ours to say
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    found = trafilatura.bare_extraction(
        # with images: a gallery's captions then come one a line, not run together by the fallback
        # extractor; the images' own markup is taken out by read_page
        html, with_metadata=True, include_comments=False, include_tables=True, include_images=True,
        include_links=False, include_formatting=False, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    if found is None:
        return None
    return (found.text or "", found.title or "", str(found.date or ""), found.sitename or "")


class _Extractor:
    """One worker process that runs `extract`, started on the first page and reused; killed (and
    started again for the next page) when a page takes too long, and whenever the waiting caller is
    interrupted, so a signal stops the run at once however long lxml would have taken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process = None
        self._conn = None

    def extract(self, html: str, seconds: float):
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            try:
                self._conn.send(html)
                if not self._conn.poll(seconds):
                    self.stop()
                    raise TimeoutError(seconds)
                ok, value = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self.stop()
                raise TimeoutError(seconds) from None
            except BaseException:  # KeyboardInterrupt, SIGTERM: the worker must not outlive the wait
                self.stop()
                raise
        return value if ok else str(value)

    def _start(self) -> None:
        import os

        # forked, not spawned: a spawned child re-imports the caller's main module
        context = multiprocessing.get_context("fork")
        parent_conn, child_conn = context.Pipe()
        self._process = context.Process(target=_serve, args=(child_conn, os.getpid()), daemon=True,
                                        name="claimcheck-html")
        self._process.start()
        child_conn.close()
        self._conn = parent_conn

    def stop(self) -> None:
        process, conn, self._process, self._conn = self._process, self._conn, None, None
        if conn is not None:
            conn.close()
        if process is not None and process.is_alive():
            process.kill()
            process.join(5)


def _serve(conn, parent: int) -> None:
    """The worker's loop: a page in, (True, result) or (False, error) out, until the pipe closes."""
    import signal

    from checker.parallel import _die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides, and kills this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    while True:
        try:
            html = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = (True, extract(html))
        except Exception as exc:  # a page trafilatura cannot take: an error for that page, not the run
            reply = (False, f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (OSError, BrokenPipeError):
            return


_EXTRACTOR = _Extractor()
atexit.register(_EXTRACTOR.stop)
