"""Numbers written in digits or words, with their unit, bounds and what they count.

spaCy's `like_num` finds number tokens (digits and number words); text2num turns number words
into values ("twenty-one" → 21, "three hundred and forty two" → 342). A lone "one" is accepted
here (text2num's alpha2digit leaves it alone, allo-media/text2num#31), but only when a noun follows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from checker.values import Quantity

TIME_UNITS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0,
              "month": 30.44, "year": 365.25, "decade": 3652.5}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6,
           "k": 1e3}
_CURRENCY = {"$": "$", "us$": "$", "usd": "$", "€": "€", "eur": "€", "£": "£", "gbp": "£",
             "¥": "¥", "rs": "Rs", "₹": "₹"}
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                  "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$", re.I)


@lru_cache(maxsize=1)
def english():
    """inflect's engine, imported once, without its run-time type checks (below)."""
    import typeguard

    # inflect wraps its methods in typeguard's run-time type checks, which re-parse and recompile its
    # source on import: 2-10 s of every start (`claim`, `shell`) on a busy 2-core machine, against
    # 0.1 s without. The checks only catch arguments of the wrong type: `singular` passes a non-empty
    # str and reads a str or False back.
    checked = typeguard.typechecked
    typeguard.typechecked = _unchecked
    try:
        import inflect
    finally:
        typeguard.typechecked = checked
    return inflect.engine()


def _unchecked(target=None, **options):
    """typeguard.typechecked's two forms (`@typechecked`, `@typechecked(...)`), checking nothing."""
    return target if target is not None else (lambda f: f)


@lru_cache(maxsize=4096)
def singular(noun: str) -> str:
    """'euros' and 'euro' key one thing (spaCy lemmatises proper and common nouns differently)."""
    if not noun or not noun.isalpha():
        return noun
    return english().singular_noun(noun) or noun


def words_to_number(text: str) -> float | None:
    """'five' → 5, 'twenty-one' → 21, '5' → 5, 'a' → 1; None when it is no number."""
    from text_to_num import text2num

    t = text.strip().lower().replace(",", "")
    if not t:
        return None
    if _DIGITS.match(t):
        return float(t)
    if t in ("a", "an"):
        return 1.0
    half = 0.0
    for suffix in ("-and-a-half", " and a half"):
        if t.endswith(suffix):
            t, half = t[: -len(suffix)], 0.5
    if t == "half":
        return 0.5
    try:
        return float(text2num(t, "en")) + half
    except (ValueError, TypeError, IndexError):
        return None


@dataclass(frozen=True)
class NumSpan:
    start: int
    end: int
    quantity: Quantity
    unit: str
    role: str  # count, duration, age, period, ordinal
    key: str
    before: str = ""  # the noun just before ("magnitude 6.2"): a second name for what is measured

    def with_bound(self, bound: str) -> "NumSpan":
        q = self.quantity
        lo, hi = q.lo, q.hi
        if bound == "more than" or bound == "at least":
            hi = float("inf")
        elif bound == "less than" or bound == "at most":
            lo = 0.0
        elif bound == "about":
            # "about 7,000" admits 6,300 to 7,700: rounding, not another figure ("about 9,000")
            lo, hi = lo * 0.9, hi * 1.1
        return replace(self, quantity=replace(q, lo=lo, hi=hi, bound=bound, stated=(q.lo, q.hi),
                                              display=f"{bound} {q.display}"))


def _noun_after(doc, i: int, limit: int = 4) -> str:
    for tok in doc[i: i + limit]:
        if tok.pos_ in ("NOUN", "PROPN") and tok.lower_ not in _SCALES and tok.lemma_.lower() not in TIME_UNITS:
            return tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX", "PUNCT") and tok.text != "-" or tok.lower_ in ("and", "or", "to"):
            break
    return ""


def _noun_before(doc, i: int, limit: int = 4) -> str:
    for tok in reversed(doc[max(0, i - limit): i]):
        if tok.pos_ in ("NOUN", "PROPN"):
            return tok.lemma_.lower()
    return ""


def parse_number_tokens(doc) -> list[NumSpan]:
    """Numbers of a spaCy Doc with their units and what they measure."""
    out: list[NumSpan] = []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        m_ord = _ORDINAL_DIGITS.match(tok.text)
        if m_ord or tok.lower_ in _ORDINAL_WORDS:
            value = int(m_ord.group(1)) if m_ord else _ORDINAL_WORDS[tok.lower_]
            # "third-largest": the ordinal ranks what follows it
            key = _noun_after(doc, i + 1) or (doc[i + 2].lower_ if i + 2 < n and doc[i + 1].text == "-" else "")
            if key:
                out.append(NumSpan(tok.idx, tok.idx + len(tok.text),
                                   Quantity(value, value, "ordinal", display=tok.text), "ordinal", "ordinal",
                                   key))
            i += 1
            continue
        # "a half-hour", "half an hour" ... "half hour"; not "half-siblings"
        unit_at = i + 2 if i + 2 < n and doc[i + 1].text == "-" else i + 1
        if tok.lower_ == "half" and unit_at < n and doc[unit_at].lemma_.lower() in TIME_UNITS:
            value, j = 0.5, i + 1
        elif not tok.like_num:
            i += 1
            continue
        # a run of number words: "three hundred and forty two", "three-and-a-half"
        j = i + 1 if tok.lower_ != "half" else i + 1
        while j < n and (doc[j].like_num and not _DIGITS.match(doc[j].text) and not _DIGITS.match(tok.text)
                         or doc[j].lower_ in ("and", "-", "a", "half") and j + 1 < n and
                         (doc[j + 1].like_num or doc[j + 1].lower_ in ("a", "half", "-")) and not _DIGITS.match(tok.text)):
            j += 1
        # "four half-siblings": a "half" that no "and a" joins is the next word's, not the number's
        while j > i + 1 and doc[j - 1].lower_ in ("and", "-", "a", "half"):
            j -= 1
        words = "".join(t.text_with_ws for t in doc[i:j]).strip()
        value = words_to_number(words) if tok.lower_ != "half" else 0.5
        half = re.match(r"(?:-| )and(?:-| )a(?:-| )half\b", doc.text[doc[j - 1].idx + len(doc[j - 1].text):])
        if half and value is not None:
            value += 0.5
            stop = doc[j - 1].idx + len(doc[j - 1].text) + half.end()
            while j < n and doc[j].idx < stop:
                j += 1
        if value is None:
            i = j
            continue
        if tok.lower_ == "one" and j - i == 1 and (j >= n or doc[j].pos_ not in ("NOUN", "ADJ", "PROPN")):
            i = j
            continue
        start, end = tok.idx, doc[j - 1].idx + len(doc[j - 1].text)
        # scale words: "1.8 billion"
        if j < n and doc[j].lower_ in _SCALES and (doc[j].lower_ not in ("m", "k", "bn") or _DIGITS.match(tok.text)):
            value *= _SCALES[doc[j].lower_]
            end = doc[j].idx + len(doc[j].text)
            j += 1
        unit = ""
        if i > 0 and doc[i - 1].lower_ in _CURRENCY:
            unit = _CURRENCY[doc[i - 1].lower_]
            start = doc[i - 1].idx
        elif i > 1 and doc[i - 1].lower_ in ("$",) :
            unit = "$"
        lo, hi = value, value
        # ranges: "4-7%", "$455 million to $475 million"
        k = j
        if k + 1 < n and doc[k].text in ("-", "–", "to") and (doc[k + 1].like_num or doc[k + 1].lower_ in _CURRENCY):
            k2 = k + 1 + (1 if doc[k + 1].lower_ in _CURRENCY else 0)
            if k2 < n and doc[k2].like_num:
                hi_v = words_to_number(doc[k2].text)
                if hi_v is not None and hi_v >= value:
                    k3 = k2 + 1
                    if k3 < n and doc[k3].lower_ in _SCALES:
                        hi_v *= _SCALES[doc[k3].lower_]
                        k3 += 1
                    if lo < hi_v and (hi_v / max(lo, 1e-9) < 50):
                        hi = hi_v
                        end = doc[k3 - 1].idx + len(doc[k3 - 1].text)
                        j = k3
        if j < n and doc[j].text in ("%",) or (j < n and doc[j].lower_ in ("percent", "pct")):
            unit = "%"
            end = doc[j].idx + len(doc[j].text)
            j += 1
        elif j + 1 < n and doc[j].lower_ == "per" and doc[j + 1].lower_ == "cent":
            unit = "%"
            end = doc[j + 1].idx + len(doc[j + 1].text)
            j += 2
        role = "count"
        key = ""
        # time units, through a hyphen or not: "two-day", "three hours", "18-month-old"
        u = j + 1 if j < n and doc[j].text == "-" else j
        if not unit and u < n and doc[u].lemma_.lower() in TIME_UNITS:
            unit = doc[u].lemma_.lower()
            end = doc[u].idx + len(doc[u].text)
            after = u + 1
            if after + 1 < n and doc[after].text == "-" and doc[after + 1].lower_ == "old" or \
                    after < n and doc[after].lower_ in ("-old", "old"):
                role = "age"
                end = (doc[after + 1] if doc[after].text == "-" else doc[after])
                end = end.idx + len(end.text)
                key = ""
            else:
                role = "duration"
                before = doc[i - 1].lower_ if i > 0 else ""
                before2 = doc[i - 2].lower_ if i > 1 else ""
                if before == "in" or (before in ("past", "last") and before2 in ("the", "in")):
                    role = "period"
                skip = after + 1 if after < n and doc[after].lower_ == "of" else after
                key = singular(_noun_after(doc, skip) or _noun_before(doc, i, 5))
            q = Quantity(lo, hi, unit, display=doc.text[start:end])
            out.append(NumSpan(start, end, _to_days(q), unit, role, key))
            i = max(j, u + 1)
            continue
        if not unit and j + 1 < n and doc[j].text == "-" and doc[j + 1].pos_ in ("NOUN", "PROPN"):
            # "84-yard drive": the compound names the unit, the noun after it the thing measured
            unit = singular(doc[j + 1].lemma_.lower())
            key = _noun_after(doc, j + 2)
        if not key:
            key = _noun_after(doc, j) or ("" if unit else _noun_before(doc, i, 3))
        if unit in ("$", "€", "£") and not key:
            key = "money"
        key = singular(key)
        before = singular(_noun_before(doc, i, 2)) if i > 0 and doc[i - 1].pos_ in ("NOUN", "PROPN") else ""
        q = Quantity(lo, hi, unit, display=doc.text[start:end])
        out.append(NumSpan(start, end, q, unit, role, key, before))
        i = max(j, i + 1)
    return out


def _to_days(q: Quantity) -> Quantity:
    f = TIME_UNITS.get(q.unit, 1.0)
    return Quantity(q.lo * f, q.hi * f, "day", q.bound, q.display, (q.lo * f, q.hi * f))
