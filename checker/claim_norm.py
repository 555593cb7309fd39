"""A claim's values written the way the extractors read them, and measures converted between units.

A person typing a claim writes values as people speak them: "four dozen passengers", "a quarter of a
million dollars", "half an hour", "a 45-year-old from Leeds", "94 km/h" against a source's "58 mph".
The sources' own wording is read by the extractors as it is; only the claim, one short sentence, is
rewritten here before extraction, so that its values come out as the figures they mean. Each rewrite
keeps the words that say what the value is of ("passengers", "bail"), so linking is unchanged.

A claim in miles is compared with a source in kilometres by converting the figure (checker.units).
"""
from __future__ import annotations

import re

_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "half a": 0.5}
_FRACTIONS = {"a quarter": 0.25, "one quarter": 0.25, "quarter": 0.25, "a half": 0.5, "half": 0.5,
              "one half": 0.5, "three quarters": 0.75, "a third": 1 / 3, "one third": 1 / 3,
              "two thirds": 2 / 3, "a fifth": 0.2}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_CURRENCY = {"dollar": "$", "dollars": "$", "pound": "£", "pounds": "£", "euro": "€", "euros": "€"}
# spoken lengths of time that the duration extractor does not read, as the figure they mean
_SPOKEN_DURATIONS = (
    (r"\b(?:an|one) hour and a half\b", "90 minutes"),
    (r"\b(?:a )?half[- ]an?[- ]hour\b", "30 minutes"),
    (r"\ba half[- ]hour\b", "30 minutes"),
    (r"\b(?:a )?quarter of an hour\b", "15 minutes"),
    (r"\bthree quarters of an hour\b", "45 minutes"),
    (r"\bhalf a day\b", "12 hours"),
    (r"\ba day and a half\b", "36 hours"),
    (r"\b(?:a|one) fortnight\b", "two weeks"),
    (r"\bhalf a year\b", "six months"),
    (r"\ba year and a half\b", "18 months"),
)
_NUMBER = r"(\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"


def _figure(word: str) -> float:
    word = word.lower()
    return float(word) if word[0].isdigit() else float(_SMALL[word])


def _written(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


def _dozens(match: re.Match) -> str:
    return _written(_figure(match.group(1)) * 12)


def _scaled(match: re.Match) -> str:
    frac, scale, currency = match.group(1).lower(), match.group(2).lower(), match.group(3)
    value = _written(_FRACTIONS[frac] * _SCALES[scale])
    if currency:
        sign = _CURRENCY[currency.lower().rstrip("'’")]
        return f"{sign}{value}"
    return value


def _moneyed(match: re.Match) -> str:
    figure, scale, currency = match.group(1), match.group(2), match.group(3)
    return f"{_CURRENCY[currency.lower().rstrip('’')]}{figure}{' ' + scale if scale else ''}"


_REWRITES: tuple[tuple[re.Pattern, object], ...] = (
    (re.compile(rf"\b{_NUMBER} dozen\b(?! of)", re.I), _dozens),
    (re.compile(r"\b(a quarter|one quarter|three quarters|a half|one half|a third|one third|two thirds|a fifth)"
                r" of an? (thousand|million|billion)\b(?: (dollars|pounds|euros)['’]?)?", re.I), _scaled),
    (re.compile(r"\b(half) an? (thousand|million|billion)\b(?: (dollars|pounds|euros)['’]?)?", re.I), _scaled),
    # "250,000 dollars" is "$250,000": the extractor reads currency from its sign
    (re.compile(r"\b(\d[\d,]*(?:\.\d+)?)(?: (thousand|million|billion))? (dollars|pounds|euros)['’]?", re.I),
     _moneyed),
    # "Ann Roe, a 45-year-old from Leeds" is "Ann Roe, 45, from Leeds": the age of the person named
    (re.compile(r"(\b[A-Z][\w'’-]+), an? (\d{1,3})-year-old(?= (?:from|of|in)\b)"), r"\1, \2,"),
    # "Ann Roe, aged 45," is "Ann Roe, 45,"
    (re.compile(r"(\b[A-Z][\w'’-]+), aged (\d{1,3})\b"), r"\1, \2"),
) + tuple((re.compile(p, re.I), r) for p, r in _SPOKEN_DURATIONS)


def normalise_claim(text: str) -> str:
    """The claim with its spoken values written as figures ("four dozen" → "48", "half an hour" →
    "30 minutes", "a quarter of a million dollars" → "$250,000"); other words unchanged."""
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    return text


# -- ages stated as a predicate ------------------------------------------------------------------
# "Ann Roe is 29." / "Ann Roe was 34 when she walked free": a bare figure after the verb, said of the
# person who is the subject, is that person's age (a count would name what it counts)
_AGE_PREDICATE = re.compile(r"\b(?:is|was|turned|turns)\s+(?:aged\s+)?(\d{1,3})(?:\s+years?\s+old)?"
                            r"(?=\s*(?:$|[.,;]|\s(?:when|at|as|after|before|on|in)\b))")
_YEAR_OLD = re.compile(r"\b(?:an?|the)\s+(\d{1,3})-year-old\b", re.I)


def predicate_ages(text: str) -> list[tuple[int, int, int]]:
    """(start, end, years) of each age said as a predicate ("is 29") in a sentence."""
    return [(m.start(1), m.end(1), int(m.group(1))) for m in _AGE_PREDICATE.finditer(text)]


def unnamed_ages(text: str) -> list[tuple[int, int, int]]:
    """(start, end, years) of each "a 19-year-old" in a sentence: the age of someone not named."""
    return [(m.start(1), m.end(1) + len("-year-old"), int(m.group(1))) for m in _YEAR_OLD.finditer(text)]


