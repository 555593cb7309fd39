"""The frozen records that flow between stages: Document → Sentence → Mention → Finding.

Every stage reads records of the stage before it and returns new ones; nothing is mutated in place,
so a stage can run on a batch of documents in another process and its output can be cached.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from checker.values import Anchor, MentionValue


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True)
class Document:
    """One article as read from disk (or from a batch line).

    `published_source` says where the publication date came from: "manifest", "text", "html" (a web
    page's metadata), "option" (given on the command line) or "unknown". `error` is set when the file could not be read; such a
    document carries no text and is reported, not checked.
    """

    name: str
    text: str
    published: date | None = None
    published_source: str = "unknown"
    published_evidence: str = ""
    outlet: str = ""
    path: str = ""
    error: str = ""
    note: str = ""
    source_format: str = "text"  # "html": `text` is the main text extracted from a web page


@dataclass(frozen=True, slots=True)  # many thousands of these at corpus scale
class Sentence:
    """A span of a document that can carry a claim; `start`/`end` index the document's text."""

    doc: str
    index: int
    start: int
    end: int
    text: str
    line: int
    # body, item (a list entry, caption or live-blog entry), headline or correction; see
    # checker.segment.structure. Headlines and corrections yield no values to compare.
    role: str = "body"


@dataclass(frozen=True, slots=True)
class StatedDate:
    """What a date says as written, beside what it resolves to: compared when a date cannot be
    resolved ("on Wednesday" with no publication date, "35 years ago"). A field not stated is None."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # Monday is 0
    offset: tuple[int, str] | None = None  # "35 years ago": (35, "years")


@dataclass(frozen=True, slots=True)  # many thousands of these at corpus scale
class Mention:
    """A typed value found in a sentence.

    kind: date, weekday, time, number, duration, age, person, title, place, org, superlative, since.
    value: a hashable normalised value whose type depends on the kind (checker.values.MentionValue).
    key: what the value measures (the noun a number counts, the person an age belongs to, ...), so
    that equal numbers about different things are never compared.
    """

    kind: str
    doc: str
    sentence: int
    start: int
    end: int
    text: str
    value: MentionValue
    key: str = ""
    note: str = ""
    anchor: Anchor | None = None  # what the value is said of (values only)
    stated: StatedDate | None = None  # a date: what it says as written (None for other kinds)


@dataclass(frozen=True, slots=True)  # many thousands of these at corpus scale
class Evidence:
    doc: str
    start: int
    end: int
    line: int
    text: str
    value: str
    mention_start: int = -1
    mention_end: int = -1
    column: int = 1  # 1-based column of `start` in its line


@dataclass(frozen=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    confidence: float
    message: str
    explanation: str
    evidence: tuple[Evidence, ...]
    fact: str = ""
    id: str = ""

    def with_id(self, new_id: str) -> "Finding":
        return Finding(self.rule, self.name, self.severity, self.confidence, self.message,
                       self.explanation, self.evidence, self.fact, new_id)


@dataclass(frozen=True)
class Fact:
    """A group of aligned claims about one thing, with each source's value."""

    measure: str  # what the fact is: "number of flights", "age of Ann Roe"
    kind: str  # the codes of the rules that found conflicts in it, or "agreement"
    claims: tuple[Evidence, ...]  # each claim with the value as its source states it
    agree: bool  # no conflict at warning or error among the claims
    findings: tuple[str, ...] = ()  # ids of the findings about this fact


@dataclass(frozen=True)
class Report:
    documents: tuple[Document, ...]
    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]
    stats: dict = field(default_factory=dict, compare=False, hash=False)
