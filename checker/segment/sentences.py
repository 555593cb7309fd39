"""Sentence splitting with offsets into the original text.

Every line break ends a sentence: news pages put headlines, captions and list items on lines of their
own without full stops. Within a line, pysbd finds the sentence ends (it knows abbreviations such as
"U.S." and keeps quoted speech with its attribution). Page furniture ("Leave a Comment", "Source
link", "(Also read: ...)") is dropped, since it carries no claim.
"""
from __future__ import annotations

import re
from functools import lru_cache

from checker.ingest.reader import MAX_CHECKED_CHARS
from checker.models import Document, Sentence
from checker.segment.structure import is_correction, is_furniture, line_roles

MAX_SENTENCE = 600  # characters; longer runs are cut at clause breaks so evidence stays readable


_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\(?(also|keep|you can)\s+read(ing)?\b",
        r"^\((we recommend|in context|also)\b.*:\s",
        r"^(leave a comment|source link|comments are closed|you may also like|related( articles)?:?)\b",
        r"^source:\s*\S+$",
        r"^home\s*[»>]",
        r"^exit mobile version",
        r"follow us on (twitter|facebook|instagram)",
        r"^by [\w ]{1,30}$",
        r"^(share|tweet|print|email)( this)?( article)?$",
        r"^©",
        r"^(#\w+\s*){3,}$",
    )
]


def is_boilerplate(text: str) -> bool:
    """True for page furniture that carries no claim."""
    stripped = text.strip().strip("–—-").strip()
    if not stripped:
        return True
    if not re.search(r"[^\W\d_]", stripped):
        return True  # no letters: a timestamp or a rule line, not a claim
    return any(p.search(stripped) for p in _BOILERPLATE)


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


# a full stop, question or exclamation mark anywhere but at the end of the line (closing quotes or
# brackets aside): a line without one is a single sentence and needs no segmenter
_INNER_END = re.compile(r"[.!?…](?![\"'”’)\]\s]*$)")


@lru_cache(maxsize=1 << 14)  # wire copy repeats whole paragraphs across sources
def _split_line(line: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans within one line, as offsets into that line."""
    if not _INNER_END.search(line):
        return ((0, len(line)),)
    return tuple(_segment_line(line))


def _segment_line(line: str) -> list[tuple[int, int]]:
    if len(line) > 20000:
        # pysbd is quadratic on very long lines; split such lines on sentence punctuation instead.
        return _split_long(line)
    spans = []
    try:
        pieces = _segmenter().segment(line)
    except Exception:  # pysbd can fail on odd input; a coarse split is better than none
        return _split_long(line)
    cursor = 0
    for piece in pieces:
        text = piece.sent if hasattr(piece, "sent") else str(piece)
        found = line.find(text, cursor)
        if found < 0:
            found = line.find(text.strip(), cursor)
            text = text.strip()
        if found < 0:
            continue
        spans.append((found, found + len(text)))
        cursor = found + len(text)
    return spans or [(0, len(line))]


_CLOCK_END = re.compile(r"\b\d{1,2}(?::\d{2})?\s*[ap]\.m\.$", re.I)
_WHEN_START = re.compile(r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|"
                         r"yesterday|(?:local|eastern|central|pacific|mountain) time)|[A-Z]{2,4})[\s,.;:)]")
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")
_CLAUSE_BREAK = re.compile(r"[;,:]\s+|\s+[—–-]\s+")


def _split_long(line: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT_END.finditer(line):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(line)))
    return spans


def _cap_length(start: int, end: int, text: str) -> list[tuple[int, int]]:
    """Cut a span longer than MAX_SENTENCE at clause breaks (or hard, as a last resort)."""
    out = []
    while end - start > MAX_SENTENCE:
        window = text[start:start + MAX_SENTENCE]
        cut = None
        for m in _CLAUSE_BREAK.finditer(window):
            if m.start() > MAX_SENTENCE // 3:
                cut = m.end()
        if cut is None:
            space = window.rfind(" ")
            cut = space + 1 if space > MAX_SENTENCE // 3 else MAX_SENTENCE
        out.append((start, start + cut))
        start += cut
    out.append((start, end))
    return out


def _blank(ch: str) -> bool:
    return ch.isspace() or ch == "\ufeff"  # a byte-order mark is kept in the text but is no claim


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    return start, end


def segment_document(doc: Document) -> list[Sentence]:
    """The document's sentences, boilerplate dropped, offsets exact into `doc.text`."""
    text = doc.text
    limit = min(len(text), MAX_CHECKED_CHARS)
    sentences: list[Sentence] = []
    line_no = 1
    pos = 0
    pieces = re.split(r"(\r\n|\r|\n)", text)
    lines = pieces[0::2]
    roles = iter(line_roles(lines))
    page = sum(1 for line in lines if line.strip()) > 1  # a page, not a claim typed on one line
    for raw_line in pieces:
        if raw_line in ("\r\n", "\r", "\n"):
            line_no += 1
            pos += len(raw_line)
            continue
        line_start = pos
        pos += len(raw_line)
        role = next(roles)
        if line_start >= limit:
            break
        if not raw_line.strip("\ufeff \t\f\v") or role == "furniture":
            continue
        raw_line = raw_line[: limit - line_start]
        for s, e in _split_line(raw_line):
            for cs, ce in _cap_length(line_start + s, line_start + e, text):
                cs, ce = _trim(text, cs, ce)
                if ce <= cs or is_boilerplate(text[cs:ce]) or (page and is_furniture(text[cs:ce])):
                    continue
                sentence_role = "correction" if role != "headline" and is_correction(text[cs:ce]) else role
                if sentences and sentences[-1].line == line_no and (
                        text[cs].islower() or (_CLOCK_END.search(sentences[-1].text) and _WHEN_START.match(text[cs:ce]))):
                    # "... on Wednesday. with Mr. Blinken": a stray full stop; "at 2:17 p.m. Sunday
                    # near the ridge": the abbreviation's full stop, not the sentence's
                    prev = sentences.pop()
                    cs = prev.start
                sentences.append(Sentence(doc=doc.name, index=len(sentences), start=cs, end=ce,
                                          text=text[cs:ce], line=line_no, role=sentence_role))
    return sentences
