"""CC-POST-001 post-holder."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from checker.extract.mentions import DESCRIBED
from checker.facts.link import spelled_alike
from checker.facts.roles import SHARED_ROLES
from checker.facts.story_links import POST_HOLDERS
from checker.models import Mention, Severity
from checker.rules.base import Candidate, CompareContext, Comparison, Rule



PostKey = tuple[int, frozenset[str], str, frozenset[str], frozenset[str]]  # story, modifiers, head, qualifier, domain


def _post_key(ctx: CompareContext, m: Mention) -> PostKey | None:
    """The post a title names, in its story (None when it names no one's post or no full name holds
    it): two holders of one key hold one post."""
    t = m.value
    if not (t.qualifier or t.domain) or not m.key or " " not in m.key:
        return None
    return (ctx.story(m.doc), t.modifiers, t.head, t.qualifier, t.domain)


def _owned(title) -> bool:
    """A post says whose it is: a country ("French Sports Minister") or a named body
    ("NYPD Commissioner")."""
    named_body = any(w.isupper() and len(w) >= 2 and w.isalpha() for w in title.raw.split())
    return bool(title.domain) and (bool(title.qualifier) or named_body)


class PostHolder(Rule):
    """One post held by two people at once.

    Only posts with an explicit owner are compared ("French Sports Minister", "NYPD Commissioner"):
    an unqualified "President" may be any country's. Titles marked as past ("former", "then") are
    history and are not compared.

    **Conflict**: "NYPD Commissioner Maria Lopez traveled to France." / "NYPD Commissioner James
    Carter traveled to Paris."

    **Agreement**: "French Sports Minister Claire Martin met Rossi." / "Italian Sports Minister Marco
    Rossi met Martin."
    """

    code = "CC-POST-001"
    name = "post-holder"
    dotted_name = "post.holder"
    status = "stable"
    severity = Severity.WARNING
    summary = "One post held by two people at once"
    kinds = ("title", "person")

    def compare(self, a: Mention, b: Mention, ctx: CompareContext) -> Comparison | None:
        """Two titles: one post whose owner both name, held by two people, is a conflict; by one
        person, an agreement; None for two posts or a post of no named owner."""
        key = _post_key(ctx, a)
        if not key or key != _post_key(ctx, b) or not (_owned(a.value) and _owned(b.value)):
            return None
        if a.key == b.key or spelled_alike(a.key, b.key):
            return Comparison("agree", a.key, b.key, f"{a.key} holds the post in both")
        if a.value.head in SHARED_ROLES:
            # a body has many spokespeople, officers, lawyers: two named at once is no contradiction
            return Comparison("note", a.key, b.key, f"{a.value.raw} names a role several people hold",
                              f"\"{a.value.raw}\" is given to two people: {a.key} and {b.key}")
        return Comparison("conflict", a.key, b.key, f"{a.value.raw}: {a.key} and {b.key}",
                          f"\"{a.value.raw}\" is given to two people: {a.key} and {b.key}")

    def outcomes(self, ctx: CompareContext) -> Iterator[Candidate]:
        by_post: dict[PostKey, list[Mention]] = defaultdict(list)
        for m in ctx.all_mentions("title"):
            if m.note == DESCRIBED:
                continue  # a post in lower case describes as much as it names: no holder of a post
            key = _post_key(ctx, m)
            if key:
                by_post[key].append(m)
        for post, ms in sorted(by_post.items(), key=lambda kv: tuple(sorted(p) if isinstance(p, frozenset) else p
                                                                    for p in kv[0])):
            people = sorted({m.key for m in ms})
            if len(people) < 2 or not all(_owned(m.value) for m in ms):
                continue
            ordered = sorted(ms, key=lambda m: (m.key, m.doc, m.start))
            items = [(m, m.key) for m in ordered][:24]
            raw = ms[0].value.raw
            # the link the finding rests on: the first two holders' claims (the second may lie
            # beyond the evidence shown)
            first, second = ordered[0], next(m for m in ordered if m.key != ordered[0].key)
            result = self.compare(first, second, ctx)
            if result is None or result.verdict not in ("conflict", "note"):
                continue
            yield self.candidate(ctx, f"\"{raw}\" is given to {len(people)} people: {', '.join(people)}",
                               f"The post {ms[0].value.post()} ({' '.join(sorted(ms[0].value.qualifier))}) is held by "
                               + " and by ".join(people) + " in articles of the same period.",
                               items, ctx.link(first, second, POST_HOLDERS), result.verdict, fact=f"holder of {raw}")
