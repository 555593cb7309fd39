"""Infer a publication date from an article's own text when no manifest gives one.

Only explicit datelines and dated captions count: a full timestamp ("14/06/2023 18:16:43",
"2023-06-20 07:00:00") wins over a dated caption ("..., June 18, 2023."). The date found is returned
with the text it came from, so the report can say where it came from.
"""
from __future__ import annotations

import re
from datetime import date

from dateutil import parser as dateutil_parser

_TIMESTAMP = re.compile(
    r"(?<!\d)(?:(\d{4})-(\d{2})-(\d{2})|(\d{1,2})/(\d{1,2})/(\d{4}))[ T]\d{1,2}:\d{2}(?::\d{2})?")
_MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
           r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
# A wire dateline: "ROME, Aug 24, 2016 —", "AMATRICE, Italy, 25 August 2016 -"
DATELINE = re.compile(
    r"^[A-Z][\w.'’ -]{1,40},(?:\s*[A-Z][\w.'’ -]{1,30},)?\s*(?P<date>" + _MONTHS + r"\s+\d{1,2},?\s+\d{4}|"
    r"\d{1,2}\s+" + _MONTHS + r"\s+\d{4})\s*(?:\(\w+\)\s*)?[—–-]", re.MULTILINE)
# "BERLIN, May 5 (Reuters) -": a wire dateline without a year still dates the copy, not an event
WIRE_DATELINE = re.compile(
    r"^[A-Z][\w.'’ -]{1,40},(?:\s*[A-Z][\w.'’ -]{1,30},)?\s*(?P<date>" + _MONTHS + r"\.?\s+\d{1,2}|"
    r"\d{1,2}\s+" + _MONTHS + r")\.?,?\s*(?:\d{4}\s*)?\((?:\w[\w ]*)\)\s*[—–-]")
_CAPTION_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" (\d{1,2}), (\d{4})\.\s*$", re.MULTILINE)


def infer_published(text: str) -> tuple[date | None, str]:
    """Return (date, the text it was read from) or (None, "")."""
    for m in _TIMESTAMP.finditer(text):
        try:
            if m.group(1):
                found = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            else:
                # dd/mm/yyyy is the order of wire datelines outside the US; mm/dd when dd > 12 fails.
                day, month = int(m.group(4)), int(m.group(5))
                if month > 12:
                    day, month = month, day
                found = date(int(m.group(6)), month, day)
        except ValueError:
            continue
        return found, m.group(0)
    for m in DATELINE.finditer(text[:5000]):
        try:
            return dateutil_parser.parse(m.group("date")).date(), m.group(0).strip()
        except (ValueError, OverflowError):
            continue
    captions = []
    for m in _CAPTION_DATE.finditer(text):
        try:
            captions.append((dateutil_parser.parse(m.group(0).rstrip(". \n")).date(), m.group(0).strip()))
        except (ValueError, OverflowError):
            continue
    if captions:
        # A caption dates the photo, which is at or before publication: take the latest.
        return max(captions)
    return None, ""
