"""Dates, weekdays and times: detect spans ourselves, then resolve them against a publication date.

Detection is our own (dateparser's search_dates takes plain numbers and words for dates); month and
weekday names come from the standard library's calendar; arithmetic is python-dateutil's
relativedelta. The resolution rules are explicit and tested:

* a bare weekday means the nearest such day at or before the publication date when the verb is in
  the past tense, at or after it when the sentence speaks of the future (will, expected, plans to,
  next), and either when the tense leaves it open;
* "last <weekday>" is the one before the publication day, "next <weekday>" the one after;
* a month or a day without a year follows the same tense rule ("in November" in a past-tense
  sentence published in June 2023 is November 2022);
* without a publication date, relative expressions stay unresolved and keep what they state (the
  weekday, the month), so that "Wednesday" and "Thursday" can still be told apart.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from checker.values import WEEKDAYS, DateValue
from checker.models import StatedDate

MONTHS = list(calendar.month_name)[1:]
_MONTH_ABBR = [m for m in calendar.month_abbr[1:]] + ["Sept"]
_MONTH_INDEX = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_INDEX.update({m.lower(): i + 1 for i, m in enumerate(calendar.month_abbr[1:])})
_MONTH_INDEX["sept"] = 9
_WEEKDAY_INDEX = {d.lower(): i for i, d in enumerate(WEEKDAYS)}

_MON = r"(?P<mon>" + "|".join(MONTHS) + "|" + "|".join(a + r"\." for a in _MONTH_ABBR) + r")"
# With a day or a year beside it, an abbreviation needs no full stop ("Aug 24, 2016").
_MON_ABBR = r"(?P<mon>" + "|".join(MONTHS) + "|" + "|".join(a + r"\.?" for a in _MONTH_ABBR) + r")"
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_WD = r"(?P<wd>" + "|".join(WEEKDAYS) + r")"
_PART = r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
_YEAR = r"(?P<year>1[6-9]\d\d|20\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = _DAY.replace("?P<day>", "?P<day2>")
# A month name glued to the next word by a lost space ("in Maywhile") still counts.
_GLUE = r"(?=\b|while|and|but|when|as)"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])")),
    ("dmy", re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![\d/])")),
    ("mdy", re.compile(_MON_ABBR + r"\s+" + _DAY + r"(?:\s*[-–]\s*" + _DAY2 + r")?,?\s+" + _YEAR + r"\b")),
    ("dmy_words", re.compile(r"\b" + _DAY + r"(?:\s+of)?\s+" + _MON_ABBR + r",?\s+" + _YEAR + r"\b")),
    ("md", re.compile(r"\b" + _MON + r"\s+" + _DAY + r"\b(?!\s*(?:,\s*)?\d)")),
    ("dm", re.compile(r"\b(?:the\s+)?" + _DAY + r"(?:\s+of)?\s+" + _MON + r"\b(?!,?\s+\d)")),
    ("my", re.compile(r"\b" + _MON + r"(?:\s+of)?,?\s+" + _YEAR + r"\b")),
    # a season of a year ("in spring 1997", "the fall of 1981"): a stretch of months, not a year
    ("season", re.compile(r"\b(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)(?:\s+of)?,?\s+" + _YEAR + r"\b")),
    ("decade", re.compile(r"\b(?P<mid>(?:early|mid|late)[- ])?(?P<dec>1[6-9]\d0|20\d0)s\b")),
    ("rel_wd", re.compile(r"\b(?P<rel>last|next|this|past|coming)\s+" + _WD + _PART + r"\b", re.I)),
    ("wd", re.compile(r"\b" + _WD + _PART + r"\b")),
    ("rel_mon", re.compile(r"\b(?P<rel>last|next|this|past|coming)\s+" + _MON + r"\b", re.I)),
    ("rel_unit", re.compile(
        r"\b(?P<early>earlier|later|early|late)?\s*(?P<rel>last|next|this|past|previous|coming)\s+"
        r"(?P<unit>week|weekend|month|year)\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
                       r"\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    ("deictic", re.compile(r"\b(?P<word>yesterday|today|tomorrow|tonight)\b", re.I)),
    # the preposition may open the sentence ("In 2005, ...", "Since March ...")
    ("mon", re.compile(r"\b(?P<prep>(?i:in|since|until|till|by|from|during|before|after)|of|early|late|mid|"
                       r"between|and|or|through|last|next|this)[- ]" + _MON + _GLUE)),
    ("year", re.compile(r"(?:(?<=\()|\b(?P<prep>(?i:in|since|until|till|by|from|during|before|after)|of|"
                        r"early|late|mid|between|and|through|year|the|for|around|circa|to|fiscal|FY|a|an|"
                        r"Q[1-4]|H[12]|[1-4]Q)"
                        r"[- ])" + _YEAR + r"\b(?![.,]\d|\s*(?:%|percent|people|\$))")),
    ("year_end", re.compile(r"(?<=[\s(])" + _YEAR + r"(?=[.)]\s*$)")),
]

# "9:05 p.m.", "2.10am" (British style), "9 a.m."
_TIME = re.compile(r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)(?=\W|$)"
                   r"|(?<![:\d])(?P<h24>[01]?\d|2[0-3]):(?P<min24>[0-5]\d)\b(?!:\d)", re.I)

_WORD_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
             "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


@dataclass(frozen=True)
class DateSpan:
    start: int  # offsets into the sentence text
    end: int
    text: str
    kind: str
    groups: dict

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.kind))


@dataclass(frozen=True)
class TimeSpan:
    start: int
    end: int
    text: str
    minutes: int  # minutes after midnight, or after noon-agnostic midnight when am/pm absent


_NAME_BEFORE = re.compile(r"\b[A-Z][\w&.-]*\s+$")


def find_date_spans(text: str) -> list[DateSpan]:
    """Non-overlapping date expressions in `text`, the longest and most specific first."""
    taken: list[tuple[int, int]] = []
    out: list[DateSpan] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            groups = {k: v for k, v in m.groupdict().items() if v}
            # the leading preposition is context, not part of the date
            if kind in ("mon", "year") and groups.get("prep"):
                s = m.start("mon") if kind == "mon" else m.start("year")
                groups["prep"] = groups["prep"].lower()
            if kind in ("rel_unit",) and text[s:e].startswith(" "):
                s += 1
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "deictic" and text[s].isupper() and _NAME_BEFORE.search(text, 0, s):
                continue  # "Nusantara Today", "USA Today": a title's word, not the day
            taken.append((s, e))
            out.append(DateSpan(s, e, text[s:e], kind, groups))
    return sorted(out, key=lambda d: d.start)


def find_time_spans(text: str) -> list[TimeSpan]:
    out = []
    for m in _TIME.finditer(text):
        if m.group("h24"):
            minutes = int(m.group("h24")) * 60 + int(m.group("min24"))
        else:
            h = int(m.group("h")) % 12
            if m.group("ampm").lower().startswith("p"):
                h += 12
            minutes = h * 60 + int(m.group("min") or 0)
        out.append(TimeSpan(m.start(), m.end(), m.group(0), minutes))
    return out


def _month(name: str) -> int:
    return _MONTH_INDEX[name.rstrip(".").lower()]


def _month_interval(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _nearest_weekday(pub: date, wd: int, tense: str) -> tuple[tuple[date, date], ...]:
    back = pub - timedelta(days=(pub.weekday() - wd) % 7)
    fwd = pub + timedelta(days=(wd - pub.weekday()) % 7)
    if back == fwd or tense == "past":
        return ((back, back),)
    if tense == "future":
        return ((fwd, fwd),)
    return ((back, back), (fwd, fwd))


def _nearest_month(pub: date, month: int, day: int | None, tense: str) -> tuple[tuple[date, date], ...]:
    def interval(year: int) -> tuple[date, date]:
        if day is None:
            return _month_interval(year, month)
        d = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        return (d, d)

    this_year = interval(pub.year)
    before = this_year if this_year[0] <= pub else interval(pub.year - 1)
    after = this_year if this_year[1] >= pub else interval(pub.year + 1)
    if before == after or tense == "past":
        return (before,)
    if tense == "future":
        return (after,)
    return (before, after)


# the months a season of a year may cover, wide enough for either hemisphere's custom and a
# season's loose edges ("late fall"); winter may be the one that starts or the one that ends the year
_SEASON_MONTHS = {"spring": (2, 6), "summer": (5, 9), "fall": (8, 12), "autumn": (8, 12)}


def _season_intervals(season: str, year: int) -> tuple[tuple[date, date], ...]:
    if season == "winter":
        return ((date(year - 1, 11, 1), date(year, 3, 31)), (date(year, 11, 1), date(year + 1, 3, 31)))
    first, last = _SEASON_MONTHS[season]
    return ((date(year, first, 1), _month_interval(year, last)[1]),)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def resolve(span: DateSpan, published: date | None, tense: str) -> DateValue | None:
    """The DateValue of a detected span; None when the span turns out not to be a date."""
    g, kind, pub = span.groups, span.kind, published
    note = f'"{span.text}"'
    pub_note = (f", published {WEEKDAYS[pub.weekday()]} {pub.isoformat()}" if pub else ", no publication date")
    if kind in ("iso", "dmy"):
        y, m, d = int(g["y"]), int(g["m"]), int(g["d"])
        if kind == "dmy" and m > 12:
            m, d = d, m
        found = _safe_date(y, m, d)
        return DateValue(((found, found),), "day", basis=note) if found else None
    if kind in ("mdy", "dmy_words"):
        y, m = int(g["year"]), _month(g["mon"])
        d1 = _safe_date(y, m, int(g["day"]))
        if not d1:
            return None
        d2 = _safe_date(y, m, int(g["day2"])) if g.get("day2") else d1
        return DateValue(((d1, d2 or d1),), "day", basis=note)
    if kind == "my":
        y, m = int(g["year"]), _month(g["mon"])
        return DateValue((_month_interval(y, m),), "month", basis=note)
    if kind == "season":
        return DateValue(_season_intervals(g["season"].lower(), int(g["year"])), "season", basis=note)
    if kind in ("year", "year_end"):
        y = int(g["year"])
        return DateValue(((date(y, 1, 1), date(y, 12, 31)),), "year", basis=note)
    if kind == "decade":
        dec = int(g["dec"])
        lo, hi = dec, dec + 9
        mid = (g.get("mid") or "").strip("- ").lower()
        if mid == "early":
            hi = dec + 3
        elif mid == "mid":
            lo, hi = dec + 3, dec + 6
        elif mid == "late":
            lo = dec + 6
        return DateValue(((date(lo, 1, 1), date(hi, 12, 31)),), "years", basis=note)
    if kind in ("md", "dm", "mon", "rel_mon"):
        m = _month(g["mon"])
        day = int(g["day"]) if g.get("day") else None
        if day is not None and not 1 <= day <= 31:
            return None
        rel = (g.get("rel") or g.get("prep") or "").lower()
        gran = "day" if day else "month"
        if not pub:
            return DateValue((), gran, basis=note + pub_note, weekday=None) if day is None else \
                DateValue((), gran, basis=note)
        if rel in ("last", "past"):
            tense_here = "past"
            cands = _nearest_month(pub - relativedelta(months=1) if pub.month == m else pub, m, day, "past")
        elif rel in ("next", "coming"):
            cands = _nearest_month(pub + relativedelta(months=1) if pub.month == m else pub, m, day, "future")
            tense_here = "future"
        elif rel == "this":
            cands = ((_month_interval(pub.year, m) if day is None else (date(pub.year, m, day),) * 2),)
            tense_here = "this"
        elif rel == "since":
            cands = _nearest_month(pub, m, day, "past")
            tense_here = "past"
        else:
            tense_here = tense
            cands = _nearest_month(pub, m, day, tense)
        return DateValue(cands, gran, basis=f"{note}{pub_note}, {tense_here} → " +
                         " or ".join(_fmt(c, gran) for c in cands))
    if kind in ("wd", "rel_wd"):
        wd = _WEEKDAY_INDEX[g["wd"].lower()]
        rel = (g.get("rel") or "").lower()
        if not pub:
            return DateValue((), "day", weekday=wd, basis=note + pub_note)
        if rel in ("last", "past"):
            d = pub - timedelta(days=(pub.weekday() - wd - 1) % 7 + 1)
            cands = ((d, d),)
        elif rel in ("next", "coming"):
            d = pub + timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)
            cands = ((d, d),)
        elif rel == "this":
            monday = pub - timedelta(days=pub.weekday())
            d = monday + timedelta(days=wd)
            cands = ((d, d),)
        else:
            cands = _nearest_weekday(pub, wd, tense)
        rule = rel or tense
        return DateValue(cands, "day", weekday=wd, basis=f"{note}{pub_note}, {rule} → " +
                         " or ".join(_fmt(c, 'day') for c in cands))
    if kind == "rel_unit":
        if not pub:
            return DateValue((), "relative", basis=note + pub_note)
        unit, rel = g["unit"].lower(), g["rel"].lower()
        early = (g.get("early") or "").lower()
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
        if unit == "year":
            y = pub.year + step
            lo, hi = date(y, 1, 1), date(y, 12, 31)
        elif unit == "month":
            first = date(pub.year, pub.month, 1) + relativedelta(months=step)
            lo, hi = _month_interval(first.year, first.month)
        elif unit == "week":
            lo, hi = _week_of(pub + timedelta(weeks=step))
        else:  # weekend: the Saturday and Sunday of the week in question
            mon, sun = _week_of(pub + timedelta(weeks=step))
            lo, hi = sun - timedelta(days=1), sun
        gran = "range" if unit in ("week", "weekend") else unit
        if step == 0 and early in ("earlier",):
            hi, gran = min(hi, pub), "range"
        elif step == 0 and early == "later":
            lo, gran = max(lo, pub), "range"
        cands = ((lo, hi),)
        return DateValue(cands, gran,
                         basis=f"{note}{pub_note} → {_fmt((lo, hi), 'range')}")
    if kind == "ago":
        if not pub:
            return DateValue((), "relative", basis=note + pub_note)
        n = g["n"].lower()
        count = int(n) if n.isdigit() else _WORD_NUM.get(n, 1)
        unit = g["unit"].lower()
        d = pub - relativedelta(**{unit + "s": count})
        if unit == "day":
            cands = ((d, d),)
        elif unit == "week":
            cands = (_week_of(d),)
        elif unit == "month":
            cands = (_month_interval(d.year, d.month),)
        else:
            cands = ((date(d.year, 1, 1), date(d.year, 12, 31)),)
        return DateValue(cands, unit, basis=f"{note}{pub_note} → {_fmt(cands[0], 'range')}")
    if kind == "deictic":
        if not pub:
            return DateValue((), "relative", basis=note + pub_note)
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["word"].lower()]
        d = pub + timedelta(days=shift)
        return DateValue(((d, d),), "day", basis=f"{note}{pub_note} → {_fmt((d, d), 'day')}")
    return None


def _fmt(interval: tuple[date, date], gran: str) -> str:
    lo, hi = interval
    if lo == hi:
        return f"{WEEKDAYS[lo.weekday()]} {lo.isoformat()}"
    if gran == "month" or (lo.day == 1 and hi == _month_interval(lo.year, lo.month)[1]):
        return lo.strftime("%B %Y")
    if gran == "year" or (lo == date(lo.year, 1, 1) and hi == date(lo.year, 12, 31)):
        return str(lo.year)
    return f"{lo.isoformat()}..{hi.isoformat()}"


def stated(span: DateSpan) -> StatedDate:
    """What the date says as written (checker.models.StatedDate)."""
    year, month, day, weekday = stated_fields(span)
    return StatedDate(year, month, day, weekday, stated_offset(span))


def stated_offset(span: DateSpan) -> tuple[int, str] | None:
    """'35 years ago' → (35, 'years'): what an unresolvable relative date states."""
    if span.kind != "ago":
        return None
    n = span.groups["n"].lower()
    count = int(n) if n.isdigit() else _WORD_NUM.get(n, 1)
    return count, span.groups["unit"].lower()


def stated_fields(span: DateSpan) -> tuple[int | None, int | None, int | None, int | None]:
    """(year, month, day, weekday) as written, for comparing dates that cannot be resolved."""
    g = span.groups
    year = int(g.get("year") or g.get("y") or 0) or None
    month = _month(g["mon"]) if g.get("mon") else (int(g["m"]) if g.get("m") else None)
    day = int(g.get("day") or g.get("d") or 0) or None
    wd = _WEEKDAY_INDEX[g["wd"].lower()] if g.get("wd") else None
    if span.kind == "dmy" and month and month > 12:
        month, day = day, month
    if span.kind in ("rel_unit", "deictic", "decade"):
        return None, None, None, None
    if span.kind == "ago":
        return None, None, None, None
    if span.kind in ("rel_mon",):
        year = None
    return year, month, day, wd
