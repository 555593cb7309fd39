"""Fact labels a reader can read: from the kind's word and what the value is said of (its anchor),
never a parse's bare lemmas ("date of <pron> cancel", "number of value")."""
from __future__ import annotations

from checker.values import Anchor
from checker.facts.labels import count_label, fact_label
from checker.models import Mention


def _m(kind: str, key: str = "", **anchor) -> Mention:
    return Mention(kind=kind, doc="a.txt", sentence=0, start=0, end=2, text="x", value=None, key=key,
                   anchor=Anchor(**anchor))


def test_a_date_is_the_date_of_its_event_noun_or_of_the_persons_event():
    assert fact_label("date", _m("date", nominal="collapse", verb="kill")) == "date of the collapse"
    assert fact_label("date", _m("date", nominal="visit", owner="Antony Blinken")) == "date of Antony Blinken's visit"
    # a person's noun is as often a place ("arrived in Beijing"): what the person did names the fact
    assert fact_label("date", _m("date", nominal="beijing", owner="Antony Blinken", verb="arrive")) == \
        "date of Antony Blinken arriving"


def test_without_an_event_noun_the_verb_and_who_did_it_name_the_fact():
    assert fact_label("date", _m("date", verb="cancel", subject=frozenset({"<pron>"}))) == "date of canceling"
    assert fact_label("place", _m("place", verb="roll down", subject=frozenset({"coach"}))) == \
        "place of coach rolling down"
    assert fact_label("time", _m("time", verb="arrive", owner="Maria Reyes")) == "time of Maria Reyes arriving"
    assert fact_label("place", _m("place")) == "place of the event"


def test_counts_of_the_dead_and_injured_are_named_as_a_reader_would():
    assert count_label(_m("number", "person", verb="kill")) == "death toll"
    assert count_label(_m("number", "death")) == "death toll"
    assert count_label(_m("number", "person", verb="injure")) == "number injured"
    assert count_label(_m("number", "passenger", verb="carry")) == "number of passengers"
    assert count_label(_m("number", "person", verb="employ")) == "number of people"
    assert count_label(_m("number", "count", owner="Ann Roe")) == "counts against Ann Roe"
    assert count_label(_m("number", "", subject=frozenset({"injured"}), verb="")) == "number: the injured"
