"""Normalised values carried by Mentions, and how two of them compare.

Every value is a frozen dataclass, so mentions hash and cache. Comparison is three-valued: two values
agree, conflict, or are merely approximate (compatible once rounding is allowed for).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

WEEKDAYS = list(calendar.day_name)  # Monday .. Sunday, from the standard library's locale data


@dataclass(frozen=True, slots=True)
class DateValue:
    """A date as one or more candidate intervals (inclusive).

    One candidate is the usual case. A relative expression whose direction the text leaves open
    ("on Monday" in the present tense) keeps both readings, and two values conflict only when no
    pair of candidates overlaps. `weekday` is set when the text named a weekday; `candidates` is
    empty when a relative expression could not be resolved (no publication date).
    """

    candidates: tuple[tuple[date, date], ...]
    granularity: str
    weekday: int | None = None
    basis: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.candidates)

    def label(self) -> str:
        if not self.candidates:
            return WEEKDAYS[self.weekday] if self.weekday is not None else "unresolved"
        return " or ".join(_interval_label(lo, hi, self.granularity) for lo, hi in self.candidates)

    def overlaps(self, other: "DateValue") -> bool:
        return any(a_lo <= b_hi and b_lo <= a_hi
                   for a_lo, a_hi in self.candidates for b_lo, b_hi in other.candidates)

    def gap_days(self, other: "DateValue") -> int:
        """The smallest distance in days between any two candidates (0 when they overlap)."""
        best = None
        for a_lo, a_hi in self.candidates:
            for b_lo, b_hi in other.candidates:
                if a_lo <= b_hi and b_lo <= a_hi:
                    return 0
                d = (b_lo - a_hi).days if b_lo > a_hi else (a_lo - b_hi).days
                best = d if best is None else min(best, d)
        return best or 0


def _interval_label(lo: date, hi: date, granularity: str) -> str:
    if lo == hi:
        return f"{WEEKDAYS[lo.weekday()]} {lo.isoformat()}"
    if granularity == "month":
        return lo.strftime("%B %Y")
    if granularity == "year":
        return str(lo.year)
    if granularity == "season":
        return f"{lo.strftime('%B %Y')} to {hi.strftime('%B %Y')}"
    if granularity == "years":
        return f"{lo.year}–{hi.year}"
    return f"{lo.isoformat()}..{hi.isoformat()}"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit and how precisely it was stated.

    lo/hi bound the values the wording admits: "three" is [3, 3]; "more than three" is (3, inf);
    "about 40" is [36, 44]; "3-5%" is [3, 5]. `unit` is normalised ("%", "$", "day", "year" ...).
    """

    lo: float
    hi: float
    unit: str
    bound: str = "exact"
    display: str = ""
    stated: tuple[float, float] | None = None  # the figures as written, before bounds widen them

    def compatible(self, other: "Quantity") -> bool:
        mine, theirs = self.stated or (self.lo, self.hi), other.stated or (other.lo, other.hi)
        # Two ranges ("$1.30 to $1.40") or two equal bounds ("under 12.50"): the figures themselves
        # are the claim, so they must match.
        if self.bound == other.bound and self.bound != "about" and \
                (self.bound != "exact" or (mine[0] != mine[1] and theirs[0] != theirs[1])):
            return _close(mine[0], theirs[0]) and _close(mine[1], theirs[1])
        return self.lo <= other.hi * (1 + 1e-9) and other.lo <= self.hi * (1 + 1e-9)

    def label(self) -> str:
        return self.display


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@dataclass(frozen=True, slots=True)
class Place:
    """A place resolved against geography data: its own code and the codes of what contains it."""

    name: str
    code: str  # e.g. "CN", "ID-BA", "city:1816670"
    within: tuple[str, ...]  # containing codes, innermost first, e.g. ("ID-BA", "ID")
    kind: str  # country, region, city

    def nests_with(self, other: "Place") -> bool:
        return (self.code == other.code or self.code in other.within or other.code in self.within)


@dataclass(frozen=True, slots=True)
class Title:
    """A formal title as written before a name, normalised to a post."""

    raw: str
    head: str  # the rank noun after synonyms: secretary, minister, head, president, ...
    domain: frozenset[str]  # what the post is over: {"state"}, {"defense"}, {"cia"}
    modifiers: frozenset[str]  # deputy, vice, assistant, acting ...
    qualifier: frozenset[str]  # the country or body it is of: {"US"}, {"CN"}

    def post(self) -> str:
        mods = " ".join(sorted(self.modifiers))
        dom = " ".join(sorted(self.domain))
        return " ".join(x for x in (mods, self.head, f"of {dom}" if dom else "") if x)

    def compatible(self, other: "Title") -> bool:
        if _abbreviates(self.raw, other.raw) or _abbreviates(other.raw, self.raw):
            return True  # "CEO" / "Chief executive", "DI" / "Detective Inspector"
        if self.modifiers != other.modifiers or self.head != other.head:
            return False
        if self.qualifier and other.qualifier and not (self.qualifier & other.qualifier):
            return False
        return not self.domain or not other.domain or bool(self.domain & other.domain)


def _abbreviates(short: str, long: str) -> bool:
    """An all-capitals title made of the initials of the other ("CEO": Chief Executive [Officer])."""
    letters = short.replace(".", "")
    if not (2 <= len(letters) <= 5 and letters.isupper() and letters.isalpha()):
        return False
    initials = "".join(w[0] for w in long.replace("-", " ").split() if w[:1].isalpha()).upper()
    return len(initials) >= 2 and (letters == initials or letters[:-1] == initials)


@dataclass(frozen=True, slots=True)
class Superlative:
    """'the first / top / highest-ranking X to ...' claimed of a subject."""

    degree: str  # "rank" (top, highest-ranking, most senior) or "order" (first, last, only)
    scope: str  # the words after the superlative, lowercased content lemmas joined by spaces
    subject: str  # the person the claim is about (canonical name), "" if none


@dataclass(frozen=True, slots=True)
class Period:
    """'since X' / 'in N years': the start of a period that runs to the publication date."""

    start: DateValue | None  # since X
    years: float | None  # in N years
    published: date | None


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a value is said of, from the parse (see checker.extract.anchors).

    verb: the verb the value hangs on ("cancel" for "46 flights were cancelled"), "" when it is a
    light or saying verb. nominal: the event noun whose phrase holds the value ("meeting" in "the
    three-hour meeting"). subject and words: content lemmas of the verb's subject, and of its objects
    and the nominal's phrase. owner: the person the value belongs to. indefinite: "a briefing",
    "a spokesperson": no one identifiable event. reported: the value dates a statement ("said on
    Monday"). cues: words that mark a running figure ("now", "still", "risen").
    """

    verb: str = ""
    nominal: str = ""
    subject: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    owner: str = ""
    indefinite: bool = False
    reported: bool = False
    cues: frozenset[str] = frozenset()
    relation: str = ""  # the preposition before the value: "at" 9 p.m. is not "until" 9 p.m.
    modifier: bool = False  # the value names a thing ("Sunday's lineup", "Kansas City band")
    partitive: bool = False  # "four of those cases": a part, not the count
    tense: str = ""  # past, present or future, of the verb the value hangs on (dates and times)

    def core(self) -> frozenset[str]:
        """Every word that says what the value describes."""
        return (self.subject - {"<pron>"}) | self.words | ({self.verb.split()[0]} if self.verb else set()) | \
            ({self.nominal} if self.nominal else set())


# What a Mention carries, by kind: date → DateValue; number, duration, age → Quantity; time → minutes
# after midnight; place → Place; title → Title; superlative → Superlative; since → Period; person,
# alias, org, name? → the name as a string; event → the event words of the sentence.
MentionValue = DateValue | Quantity | Place | Title | Superlative | Period | int | str | frozenset[str]
