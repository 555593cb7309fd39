"""A fact's name for a reader ("death toll", "age of Maria Reyes", "date of the collapse"), made from
the kind's own word and the anchor of one of its values (checker.values.Anchor): what the
person it belongs to did, the event noun it sits in, else the verb and its subject.

The facts table, the JSON report's `facts` and the web app show it; no comparison reads it.
"""
from __future__ import annotations


from checker.models import Mention

# what the counted noun or the verb of a count says of the people it counts: knowledge of English
# news wording, not of any one corpus
DEATH_NOUNS = frozenset({"death", "dead", "fatality", "body", "toll", "casualty"})
DEATH_VERBS = frozenset({"kill", "die"})
INJURY_VERBS = frozenset({"injure", "hurt", "wound"})
# a count's key that names no counted thing (checker.extract.numbers: a bare figure, a share)
_NO_NOUN = frozenset({"", "value"})
MAX_SUBJECT_WORDS = 2  # words of a verb's subject kept in a label ("coach rolling down")


def _english():
    from checker.extract.numbers import english

    return english()


def _doing(verb: str) -> str:
    """"roll down" → "rolling down"."""
    first, _, rest = verb.partition(" ")
    return " ".join(x for x in (_english().present_participle(first), rest) if x)


def event_phrase(m: Mention) -> str:
    """What a value is said of, in a few words: "Ann Roe arriving", "the collapse", "Biden's visit",
    "coach rolling down"."""
    a = m.anchor
    if a is None:
        return "the event"
    if a.owner and a.verb:
        # what the person did: the noun near a person's value is as often a place ("arrived in
        # Beijing") as the event
        return f"{a.owner} {_doing(a.verb)}"
    if a.nominal:
        return f"{a.owner}'s {a.nominal}" if a.owner else f"the {a.nominal}"
    subject = [w for w in sorted(a.subject) if w != "<pron>"][:MAX_SUBJECT_WORDS]
    if a.verb:
        who = a.owner or " ".join(subject)
        return " ".join(x for x in (who, _doing(a.verb)) if x)
    if a.owner:
        return a.owner
    return "the " + " ".join(subject) if subject else "the event"


def count_label(m: Mention) -> str:
    """A count's fact: "death toll", "number injured", "number of passengers", "counts against Ann Roe"."""
    a = m.anchor
    verb = a.verb.split()[0] if a is not None and a.verb else ""
    key = m.key
    if key in DEATH_NOUNS or (verb in DEATH_VERBS and key in _NO_NOUN | {"person"}):
        return "death toll"
    if verb in INJURY_VERBS and key in _NO_NOUN | {"person"}:
        return "number injured"
    if key == "count" and a is not None and a.owner:
        return f"counts against {a.owner}"  # "is charged with 14 counts of theft"
    if key in _NO_NOUN:
        return "number: " + event_phrase(m)
    return "number of " + _english().plural_noun(key)


def fact_label(reader: str, m: Mention) -> str:
    """The fact a value of a kind whose reader's word is `reader` ("date", "place") belongs to."""
    return f"{reader} of {event_phrase(m)}"
