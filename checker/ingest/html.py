"""Web pages: the article's main text, its publication date and its site name.

trafilatura finds the main text (no navigation, comments, related links, cookie banners, scripts);
its metadata step reads the date with htmldate (the publication date, not the last modification,
and only from the page's markup and URL-like places, with no guess from the running text) and the
site name from the page's meta tags. The extracted text, headline first, is the Document's text:
every offset in a report points into it, and the JSON report carries it for each HTML document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

HTML_SUFFIXES = (".html", ".htm")
_WORD = re.compile(r"[^\W\d_]{2,}")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")  # an image as trafilatura writes it: ![alt](src)
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


def read_page(html: str) -> Page:
    """The main text and metadata of a web page; a page with no main text gives an empty text."""
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are ours to say
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    found = trafilatura.bare_extraction(
        # with images: a gallery's captions then come one a line, not run together by the fallback
        # extractor; the images' own markup is taken out below
        html, with_metadata=True, include_comments=False, include_tables=True, include_images=True,
        include_links=False, include_formatting=False, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True})
    if found is None:
        return Page("", None, "", "web page: no article text found")
    body = "\n".join(x.strip() for x in _IMAGE.sub("", found.text or "").splitlines() if _has_words(x))
    title = " ".join((found.title or "").split())
    if title and not body.startswith(title):
        body = f"{title}\n\n{body}" if body else title
    published = None
    if found.date:
        try:
            published = date.fromisoformat(str(found.date)[:10])
        except ValueError:
            published = None
    return Page(text=body + "\n" if body else "", published=published,
                site=" ".join((found.sitename or "").split()), note="web page: main text extracted")
