"""Date detection and resolution: the arithmetic we own (weekdays, 'last', 'in N years', tense)."""
from __future__ import annotations

from datetime import date

import pytest

from checker.extract.dates import find_date_spans, resolve, stated_fields

SUNDAY = date(2023, 6, 18)
WEDNESDAY = date(2023, 6, 14)


def resolved(text: str, published: date | None, tense: str = "present"):
    spans = find_date_spans(text)
    assert spans, f"no date found in {text!r}"
    return resolve(spans[0], published, tense)


@pytest.mark.parametrize("text,published,tense,expected", [
    ("Tuesday night, he spoke by phone", SUNDAY, "past", [date(2023, 6, 13)]),
    ("said in a phone call on Wednesday", WEDNESDAY, "past", [date(2023, 6, 14)]),
    ("began meetings on Sunday", SUNDAY, "past", [date(2023, 6, 18)]),
    ("he will meet Xi on Monday", SUNDAY, "future", [date(2023, 6, 19)]),
    ("On Monday, Blinken meets Wang Yi", SUNDAY, "present", [date(2023, 6, 12), date(2023, 6, 19)]),
    ("last Tuesday", date(2023, 6, 13), "past", [date(2023, 6, 6)]),
    ("next Tuesday", date(2023, 6, 13), "future", [date(2023, 6, 20)]),
    ("this Friday", WEDNESDAY, "future", [date(2023, 6, 16)]),
])
def test_weekdays_resolve_against_publication(text, published, tense, expected):
    value = resolved(text, published, tense)
    assert [lo for lo, hi in value.candidates] == expected
    assert all(lo == hi for lo, hi in value.candidates)


def test_weekday_in_the_wrong_year_does_not_happen_at_new_year():
    # dateparser#1266 put a weekday in the wrong year; ours counts back from the publication date.
    value = resolved("on Friday", date(2024, 1, 2), "past")
    assert value.candidates == ((date(2023, 12, 29), date(2023, 12, 29)),)


@pytest.mark.parametrize("text,published,tense,expected", [
    ("the meeting last November", WEDNESDAY, "past", (date(2022, 11, 1), date(2022, 11, 30))),
    ("at a meeting in Bali last year", SUNDAY, "past", (date(2022, 1, 1), date(2022, 12, 31))),
    ("earlier this month", SUNDAY, "past", (date(2023, 6, 1), date(2023, 6, 18))),
    ("this weekend", WEDNESDAY, "future", (date(2023, 6, 17), date(2023, 6, 18))),
    ("three days ago", SUNDAY, "past", (date(2023, 6, 15), date(2023, 6, 15))),
    ("the summit in November", SUNDAY, "past", (date(2022, 11, 1), date(2022, 11, 30))),
    ("the summit will be held in November", SUNDAY, "future", (date(2023, 11, 1), date(2023, 11, 30))),
])
def test_relative_expressions(text, published, tense, expected):
    value = resolved(text, published, tense)
    assert value.candidates == (expected,)


@pytest.mark.parametrize("text,expected", [
    ("June 18, 2023", (date(2023, 6, 18), date(2023, 6, 18))),
    ("18 June 2023", (date(2023, 6, 18), date(2023, 6, 18))),
    ("in October 2018", (date(2018, 10, 1), date(2018, 10, 31))),
    ("since 2018", (date(2018, 1, 1), date(2018, 12, 31))),
    ("14/06/2023", (date(2023, 6, 14), date(2023, 6, 14))),
    ("2023-06-20", (date(2023, 6, 20), date(2023, 6, 20))),
    ("in the mid-1950s", (date(1953, 1, 1), date(1956, 12, 31))),
])
def test_absolute_dates(text, expected):
    assert resolved(text, None).candidates == (expected,)


@pytest.mark.parametrize("text", [
    "The company sold 1,500 units.", "He scored 2 goals in 90 minutes.", "It costs $2023 a year.",
    "Room 2018 was empty.", "The vote was 52 to 48.",
])
def test_plain_numbers_are_not_dates(text):
    # dateparser's search_dates takes such numbers for dates (#582, #942); spans are ours.
    assert [s.text for s in find_date_spans(text)] == []


def test_month_glued_to_the_next_word_is_still_a_month():
    spans = find_date_spans("CIA chief William Burns traveled to China in Maywhile the minister stayed")
    assert [s.text for s in spans] == ["May"]


def test_unresolved_weekday_keeps_what_it_states():
    value = resolved("on Wednesday", None)
    assert not value.resolved and value.weekday == 2
    assert stated_fields(find_date_spans("on Wednesday")[0])[3] == 2


@pytest.mark.parametrize("text,minutes", [
    ("The result was declared at 2.10am by the officer.", [130]),
    ("The count ended shortly before 11.45 p.m. on Friday.", [1425]),
    ("Doors open at 9 a.m. and close at 9:05 p.m.", [540, 1265]),
    ("The quake had a magnitude of 6.4 and a depth of 10 km.", []),
])
def test_clock_times_in_british_and_american_style(text, minutes):
    from checker.extract.dates import find_time_spans

    assert [t.minutes for t in find_time_spans(text)] == minutes


def test_a_capitalised_today_inside_a_masthead_is_not_a_date():
    assert [d.text for d in find_date_spans("the mayor told Harbour Today by telephone")] == []
    assert [d.text for d in find_date_spans("Today, the mayor said the road would reopen.")] == ["Today"]


@pytest.mark.parametrize("text,first,last", [
    ("She was born in spring 1997, the memoir says.", date(1997, 2, 1), date(1997, 6, 30)),
    ("They met in the fall of 1981.", date(1981, 8, 1), date(1981, 12, 31)),
])
def test_a_season_of_a_year_is_a_date_not_a_count(text, first, last):
    value = resolved(text, None, "past")
    assert value.granularity == "season"
    assert value.candidates == ((first, last),)


def test_a_winter_may_be_the_one_that_starts_or_ends_the_year():
    value = resolved("The pipes froze in winter 2010.", None, "past")
    assert any(lo <= date(2010, 1, 15) <= hi for lo, hi in value.candidates)
    assert any(lo <= date(2010, 12, 15) <= hi for lo, hi in value.candidates)
    assert not any(lo <= date(2010, 7, 1) <= hi for lo, hi in value.candidates)


@pytest.mark.parametrize("text,expected", [
    ("In 2005, the council renamed the square.", "2005"),
    ("Since March the river has risen twice.", "March"),
])
def test_a_date_after_a_preposition_that_opens_the_sentence(text, expected):
    assert [d.text for d in find_date_spans(text)] == [expected]
