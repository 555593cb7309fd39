"""The role of each line of a news page: body text, page furniture, list items, captions,
corrections and headlines.

A news page is more than its article: navigation, bylines, "Updated 6:40 p.m." stamps, gallery
counters ("Image 3 of 12"), photo credits, live-blog time stamps, related-link headlines, newsletter
prompts and contact lines. None of them is a claim about the event, and compared as claims they are
what makes a checker cry wolf. The cues here are generic (they hold for any site): the shape of a
line and its neighbours, never the strings of particular pages.

Roles:
- ``furniture``: dropped; it carries no claim.
- ``headline``: a short line without closing punctuation (a title, a related link, a section head):
  kept for context, but its compressed wording yields no values to compare.
- ``correction``: a correction or clarification notice; it quotes the wrong value on purpose, so it
  yields no values either.
- ``item``: an entry of a list, a gallery caption or a live-blog entry: one of several distinct
  things of one page, never a copy of another entry of the same page.
- ``body``: everything else.
"""
from __future__ import annotations

import re
from typing import Literal, Sequence

Role = Literal["body", "item", "headline", "correction", "furniture"]

_LETTER = re.compile(r"[^\W\d_]")
_CLOSING = ('.', '!', '?', '"', '”', '’', "'", ':', ';', '…')
_BULLET = re.compile(r"^\s*(?:[•◦▪●·*‣⁃-]|[-–—]\s|\d{1,2}[.)]\s|\[\d+\])\s*")
_CLOCK = r"\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?|[AP]\.?\s?M\.?|h|GMT|UTC|BST|CET|CEST)?"
_STAMP_ONLY = re.compile(rf"^\s*(?:{_CLOCK})\s*(?:[A-Z]{{2,4}})?\s*[|:·–—-]?\s*$", re.I)
_STAMP_LEAD = re.compile(rf"^\s*(?:{_CLOCK})\s*(?:[A-Z]{{2,4}})?\s*[|·–—-]\s+", re.I)
# furniture whatever its punctuation
_FURNITURE = [re.compile(p, re.I) for p in (
    r"^(?:image|photo|picture|slide|video|item)\s*\d+\s*(?:of|/)\s*\d+\b",
    r"^\d+\s*/\s*\d+$",
    r"^[(\[]?\s*(?:photo|photograph|picture|image|video|credit|illustration|graphic|file photo)s?"
    r"(?:\s*credit)?\s*(?::|/|by\b)",
    r"^(?:reporting|writing|editing|additional reporting|compiled) by\b",
    r"^(?:published|updated|posted|last updated|modified|first published|originally published)\b[:\s]*"
    r"(?:on\s+)?(?:\w{3,9}\.?,?\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    r"\bcontributed (?:to )?this report\b",
    r"\b(?:sign up|subscribe|newsletter|download (?:our|the) app|follow us|skip to (?:main )?content|"
    r"click here|advertisement|sponsored content|cookies?|all rights reserved|terms of (?:use|service))\b",
    r"^(?:©|copyright\b)",
    r"\bthis is a developing story\b|\brefresh (?:this|the) page\b|\bcheck back (?:later|soon|for)\b",
    r"^(?:have|got) (?:a )?(?:news )?tip\b|\bsend (?:us|them) (?:your )?(?:photos|tips|videos?)\b",
    r"\bcontact (?:the )?(?:reporter|author|newsroom|us)\b",
)]
# furniture only as a line without closing punctuation (a sentence may start with these words)
_FURNITURE_BARE = [re.compile(p, re.I) for p in (
    r"^(?:published|updated|posted|last updated|modified|first published|originally published)\b",
    r"^(?:share|tweet|email|save|print|comments?|copy link|listen|watch|play)\b",
    r"^(?:read more|related(?: articles| stories| coverage| links)?|more (?:galleries|stories|news|from)|"
    r"recommended|most read|most popular|trending|you may also like|see also|also read)\b",
    r"^(?:home|news)\s*[>›»/|]",
    r"^(?:key points|what we know|what to know|at a glance|in brief|live updates|live|breaking(?: news)?)\s*:?$",
)]
# "Volunteers stack sandbags in Passau, Monday, March 3, 2025.": a photo caption ends with its date
_CAPTION_DATE_END = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|"
                               r"November|December|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{1,2},\s+\d{4}\.?$|"
                               r"\b\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|"
                               r"October|November|December)\s+\d{4}\.?$")
_CREDIT_AT_END = re.compile(r"[(\[][^()\[\]]*\b(?:photo|photograph|pool|file|getty images|via)\b[^()\[\]]*[)\]]?\s*$",
                            re.I)
_CONTACT = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b|\b\d{3}[-.\s]\d{3}[-.\s]\d{4}\b|\b0\d{3,4}\s\d{3}\s?\d{3,4}\b")
_CONTACT_VERB = re.compile(r"\b(?:call|phone|email|e-mail|text|contact|reach|dial|tip line|hotline)\b", re.I)
_CORRECTION = re.compile(
    r"^(?:correction|clarification|editor[’']?s note|update)\s*[:—–-]|"
    r"\ban earlier version of this\b|\bthis (?:story|article|report|post) (?:has been|was) (?:corrected|updated to correct)\b|"
    r"\b(?:incorrectly|wrongly|mistakenly) (?:said|stated|reported|gave|identified|named)\b|"
    r"\b(?:misstated|misspelled|misidentified|misreported)\b", re.I)
_NAV_SEPARATORS = re.compile(r"\s[|•›»>/]\s")
_LINK_BLOCK = re.compile(r"^(?:read more|related(?: articles| stories| coverage| links)?|more (?:galleries|stories|news|from\b.*)|"
                         r"recommended|most read|most popular|trending|you may also like|see also|also read)\b\s*:?\s*$",
                         re.I)
# a short heading that announces links to other stories: "MORE WILDFIRE COVERAGE", "Latest news"
_LINKS_HEAD = re.compile(r"\b(?:more|related|coverage|stories|reading|popular|latest|recommended|also|"
                         r"elsewhere|top stories|don't miss|trending)\b", re.I)
# a related link: another story's title and its date ("Defence chiefs hold first talks — April 20,
# 2022"); a title of this shape followed by text is a timeline's entry, and stays a headline
_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATED_TITLE = re.compile(rf"\s[—–-]\s*(?:(?:{_MONTHS}|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d{{1,2}},\s+\d{{4}}|"
                          rf"\d{{1,2}}\s+{_MONTHS}\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})$")
# a line that is nothing but a Markdown link (a bullet allowed): a link to another page
_LINK_ONLY = re.compile(r"^(?:[-*+•]\s+)?\[[^\]]+\]\([^)\s]+\)$")
HEADLINE_WORDS = 16  # a line this short without closing punctuation is a title, not a sentence


def is_furniture(line: str) -> bool:
    """True for a line of page furniture (navigation, bylines, stamps, credits, counters, prompts)."""
    s = line.strip().strip("–—-").strip()
    if not s or not _LETTER.search(s):
        return True
    if _STAMP_ONLY.match(s):
        return True
    if any(p.search(s) for p in _FURNITURE):
        return True
    bare = not s.endswith(_CLOSING)
    if bare and any(p.search(s) for p in _FURNITURE_BARE):
        return True
    if _is_byline(s):
        return True
    if _CONTACT.search(s) and _CONTACT_VERB.search(s):
        return True
    return len(_NAV_SEPARATORS.findall(s)) >= 2 and not s.endswith(_CLOSING)


def _is_byline(s: str) -> bool:
    """"By Ann Roe and Bo Chen, Staff Writers", "By Antoine Lebrun in Lyon": names, not a clause."""
    words = s.split()
    if not words or words[0].lower() != "by" or len(words) > 10 or s.endswith("."):
        return False
    rest = [w for w in words[1:] if w.lower() not in ("and", "in", "&", "|", "the", "of")]
    return bool(rest) and sum(w[:1].isupper() for w in rest) >= 0.6 * len(rest)


def dated_line(line: str) -> bool:
    """A line that ends with a full calendar date ("... in Bali — November 14, 2022")."""
    return bool(_CAPTION_DATE_END.search(line.strip()))


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.search(text))


def _is_headline(line: str) -> bool:
    s = line.strip()
    return not s.endswith(_CLOSING) and len(s.split()) <= HEADLINE_WORDS and not _BULLET.match(s)


def _text_follows(lines: Sequence[str], content: Sequence[int], i: int) -> bool:
    """Whether the next line with content after line i is a sentence (its text closes)."""
    after = next((j for j in content if j > i), None)
    return after is not None and lines[after].strip().endswith(_CLOSING)


def line_roles(lines: Sequence[str]) -> list[Role]:
    """The role of every line of a page (blank lines get "furniture"). A single-line text (a claim
    typed by a user, a batch record) is body text whatever its shape."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    roles: list[Role] = ["furniture"] * len(lines)
    if len(content) <= 1:
        for i in content:
            roles[i] = "body"
        return roles
    in_links = False
    after_marker = False  # the line after a gallery counter or a live-blog stamp is an entry
    for i in content:
        line = lines[i]
        s = line.strip()
        if _LINK_BLOCK.match(s) or (_is_headline(s) and len(s.split()) <= 6 and _LINKS_HEAD.search(s)):
            in_links = True
            roles[i] = "furniture"
            continue
        if in_links and (_is_headline(s) or (_BULLET.match(s) and not s.endswith(_CLOSING))):
            roles[i] = "furniture"  # the headlines of a related-links block
            continue
        in_links = False
        if _LINK_ONLY.match(s) or (_is_headline(s) and _DATED_TITLE.search(s) and not _text_follows(lines, content, i)):
            roles[i] = "furniture"
            continue
        if is_furniture(s):
            roles[i] = "furniture"
            after_marker = bool(_STAMP_ONLY.match(s)) or bool(_FURNITURE[0].search(s))
            continue
        if is_correction(s):
            roles[i] = "correction"
        elif _BULLET.match(s) or after_marker or _STAMP_LEAD.match(s) or _CREDIT_AT_END.search(s) \
                or (_CAPTION_DATE_END.search(s) and s.endswith(".") and len(s.split()) <= 40):
            roles[i] = "item"
        elif _is_headline(s):
            roles[i] = "headline"
        else:
            roles[i] = "body"
        after_marker = False
    return roles
