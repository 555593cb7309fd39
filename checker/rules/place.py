"""CC-PLACE-001 place-mismatch."""
from __future__ import annotations

from checker.facts.labels import fact_label
from checker.models import Mention, Severity
from checker.rules.base import CompareContext, Comparison, Rule


class PlaceMismatch(Rule):
    """Two places for one event that do not contain each other.

    Places are resolved against geography data: a city lies in its region and its country, so
    "Tasmania" and "Australia", "Ottawa" and "Canada" agree.

    **Conflict**: "Lopez met James Carter in Vienna in May." / "Lopez met James Carter in Rome in
    May."

    **Agreement**: "Lopez and Carter met on the sidelines of the wine fair in Tasmania." / "Lopez and
    Carter met on the sidelines of a wine fair in Australia."
    """

    code = "CC-PLACE-001"
    name = "place-mismatch"
    dotted_name = "place.mismatch"
    status = "stable"
    severity = Severity.WARNING
    summary = "Two places for one event"

    kinds = ("place",)

    def measure(self, a: Mention) -> str:
        return fact_label("place", a)

    def specificity(self, m: Mention) -> float:
        return {"city": 0.0, "unknown": 0.0, "region": 1.0, "country": 2.0}.get(m.value.kind, 1.0)

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        pa, pb = a.value, b.value
        if (pa.kind == "unknown") != (pb.kind == "unknown"):
            return None  # a place the gazetteer does not know may lie in the one it knows
        if pa.kind == "unknown" and a.anchor is not None and b.anchor is not None \
                and a.anchor.relation != b.anchor.relation:
            return None  # "off the Prithvi Highway" and "near Benighat" say two things
        if pa.nests_with(pb) or _short_for(pa.name, pb.name) or _short_for(pb.name, pa.name):
            return Comparison("agree", pa.name, pb.name, f"{pa.name} and {pb.name} are one place or nest")
        if a.anchor is not None and b.anchor is not None and \
                _role(a.anchor.relation) != _role(b.anchor.relation):
            return None  # "rockets fired from Gaza" / "rocket fire at Israel", "ties to Russia": where
            # from, where to, where: three roles of a place in one event
        if not (_locates(a) and _locates(b)):
            return None  # "French officials" says whose officials, not where
        # the other sentence also names a place, no coarser, that contains or lies in this one: its
        # counterpart ("in Vienne, near Lyon" against "near Lyon")
        for m, other in ((a, b), (b, a)):
            if any(m.value.nests_with(o.value) and self.specificity(o) <= self.specificity(m)
                   for o in ctx.of(ctx.sentence_of(other), "place")):
                return None
        if pa.kind == "unknown":
            why = (f"{pa.name} and {pb.name} are two different names of places the gazetteer does not know;"
                   f" one event happened at one of them.")
        else:
            why = (f"{pa.name} ({pa.kind}, {pa.code}) is not in {pb.name} ({pb.kind}, {pb.code})"
                   f" nor the other way round.")
        return Comparison("conflict", pa.name, pb.name, why, f"Two places for one event: {pa.name} and {pb.name}")


_ROLES = {"from": "origin", "to": "goal", "into": "goal", "toward": "goal", "towards": "goal"}


def _role(relation: str) -> str:
    return _ROLES.get(relation, "where")


def _short_for(short: str, long: str) -> bool:
    """"the South" for "South Korea", "Korea" for "South Korea": the words of one name are some of
    the other's."""
    ws = {w for w in short.lower().replace("the ", " ").split() if w}
    wl = set(long.lower().split())
    return bool(ws) and ws < wl


def _locates(m: Mention) -> bool:
    return m.note == "locative" or m.value.kind != "country"
