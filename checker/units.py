"""Measures in physical units, converted with pint (a well-kept units library): a figure in miles is
compared with one in kilometres by converting it, never by a table of factors kept here. The claim
check (checker.claim) and the number rule (checker.rules.number) both read figures through it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# the words a figure's unit is written with in news, as pint spells them; a figure whose key is one
# of these measures in that unit ("94 km/h" is read as 94 keyed "km")
_UNIT_WORDS = {"km": "kilometer", "kilometer": "kilometer", "kilometre": "kilometer", "mile": "mile",
               "metre": "meter", "meter": "meter", "m": "meter", "foot": "foot", "feet": "foot", "ft": "foot",
               "yard": "yard", "inch": "inch", "cm": "centimeter", "centimetre": "centimeter",
               "mph": "mile/hour", "kph": "kilometer/hour", "kmh": "kilometer/hour",
               "kg": "kilogram", "kilogram": "kilogram", "kilo": "kilogram", "pound": "pound", "lb": "pound",
               "tonne": "metric_ton", "ton": "metric_ton", "ounce": "ounce", "oz": "ounce",
               "litre": "liter", "liter": "liter", "pint": "pint", "gallon": "gallon",
               "hectare": "hectare", "acre": "acre", "celsius": "degC", "fahrenheit": "degF"}
# a figure of a speed written "94 km/h" is keyed on its first unit word: its sentence says "/h"
_PER_HOUR = re.compile(r"^\s*/\s*h(?:our)?\b|^\s*(?:an|per) hour\b", re.I)
# two measures converted agree when they differ by no more than rounding to the figures written
CONVERSION_TOLERANCE = 0.05


@dataclass(frozen=True)
class Measure:
    """A figure in a physical unit, as pint names it."""

    lo: float
    hi: float
    unit: str


def unit_of(key: str, unit: str, after: str) -> str | None:
    """The pint unit of a figure read with this key or unit; `after` is the text following the figure's
    unit word ("/h" makes "km" a speed)."""
    word = (unit or key or "").lower().rstrip("s") if (unit or key) not in ("%", "$", "£", "€") else ""
    name = _UNIT_WORDS.get(word) or _UNIT_WORDS.get((unit or key or "").lower())
    if name and name in ("kilometer", "mile") and _PER_HOUR.search(after):
        name += "/hour"
    return name


@lru_cache(maxsize=1)
def _registry():
    import pint

    return pint.UnitRegistry()


def convert(lo: float, hi: float, unit: str, to: str) -> tuple[float, float] | None:
    """The range in another unit, or None when the two measure different things (miles and kilos)."""
    import pint

    ureg = _registry()
    try:
        a = ureg.Quantity(lo, unit).to(to).magnitude
        b = ureg.Quantity(hi, unit).to(to).magnitude if hi != float("inf") else float("inf")
    except (pint.errors.DimensionalityError, pint.errors.UndefinedUnitError, pint.errors.OffsetUnitCalculusError):
        return None
    return float(a), float(b)


def measures_agree(a: Measure, b: Measure) -> bool | None:
    """Whether two measures agree once converted (None: not comparable). "19 miles" and "30 km" do:
    30 km is 18.6 miles, within rounding of 19."""
    conv = convert(a.lo, a.hi, a.unit, b.unit)
    if conv is None:
        return None
    lo, hi = conv
    slack = CONVERSION_TOLERANCE * max(abs(b.lo), abs(lo), 1e-9)
    return lo - slack <= b.hi and b.lo <= hi + slack


def text_after_unit(sentence: str, end: int) -> str:
    """The text of a sentence after a figure ending at `end` and its unit word, for "/h"."""
    rest = sentence[end:]
    word = re.match(r"\s*[-\w]+", rest)
    return rest[word.end():] if word else rest
