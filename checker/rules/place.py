"""CC-PLACE-001 place-mismatch."""
from __future__ import annotations

from typing import Iterable

from checker.models import Finding, Severity
from checker.rules.base import CompareContext, Rule, slot_aligned
from checker.rules.matching import same_thing


class PlaceMismatch(Rule):
    """Two places for one event that do not contain each other.

    Places are resolved against geography data: a city lies in its region and its country, so
    "Bali" and "Indonesia", "Beijing" and "China" agree.

    **Conflict**: "Sullivan met Wang Yi in Vienna in May." / "Sullivan met Wang Yi in Rome in May."

    **Agreement**: "Biden and Xi met on the sidelines of the G20 summit in Bali." / "Biden and Xi met
    on the sidelines of a G20 summit in Indonesia."
    """

    code = "CC-PLACE-001"
    name = "place-mismatch"
    severity = Severity.WARNING
    summary = "Two places for one event"

    def check(self, ctx: CompareContext) -> Iterable[Finding]:
        for pair in ctx.pairs:
            a_places = [m for m in ctx.of(pair.a, "place") if m.note == "locative"]
            b_places = [m for m in ctx.of(pair.b, "place") if m.note == "locative"]
            for ma in a_places:
                if any(ma.value.nests_with(x.value) for x in b_places):
                    continue
                for mb in b_places:
                    if ma.value.nests_with(mb.value) or any(mb.value.nests_with(x.value) for x in a_places):
                        continue
                    slot = slot_aligned(pair, ma, mb)
                    conf = 0.85 if slot else None
                    if slot is None:
                        conf = same_thing(ctx, pair, ma, mb)
                        if conf is None or pair.similarity < 0.8 or len(a_places) != 1 or len(b_places) != 1:
                            continue
                    if conf is None:
                        continue
                    yield self.finding(
                        ctx, f"Two places for one event: {ma.value.name} and {mb.value.name}",
                        f"{ma.value.name} ({ma.value.kind}, {ma.value.code}) is not in {mb.value.name}"
                        f" ({mb.value.kind}, {mb.value.code}) nor the other way round.",
                        [(ma, ma.value.name), (mb, mb.value.name)], conf, fact="place")
