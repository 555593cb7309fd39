"""Page structure: furniture yields no sentences, headlines and corrections no values, and the
entries of lists, galleries and live blogs are items. Written pages in the shapes of real ones."""
from __future__ import annotations

from checker.models import Document
from checker.segment import segment_document
from checker.segment.structure import is_furniture, line_roles

GALLERY = """THE HARBOUR TIMES
News | Photography

In pictures: Flooding along the river

Published March 3, 2025, 9:10 a.m. GMT

Share  Tweet  Email

Image 1 of 3
Volunteers stack sandbags on the quay in Passau, Germany, Monday, March 3, 2025.
(Photo: Lena Vogt / Harbour Press)

Image 2 of 3
A man wades through a flooded street in Deggendorf, Germany, Sunday, March 2, 2025.
(Photo: Lena Vogt / Harbour Press)

MORE GALLERIES
Spring in the Alps: the first hikers
The week in pictures
"""

LIVE_BLOG = """LIVE UPDATES

Storm live: power cuts spread across the county

Last updated 9:40 p.m. CDT, June 21, 2025
By Valley Sentinel staff

9:40 p.m.
Crews say about 4,000 homes are still without power.

8:15 p.m. — The county has opened a shelter at the high school.

This is a developing story. Refresh this page for the latest updates.
Have a tip? Email newsroom@valleysentinel.example or call 555-201-3344.
"""

LIST_AND_CORRECTION = """Four people are charged in the scheme, prosecutors said.

The people charged:

• Ann Roe, 34, of Leeds: three counts of fraud
• Bo Chen, 52, of York: two counts of fraud

Correction: An earlier version of this story misspelled the last name of Bo Chen as Chan.

Copyright 2025 Northern Press. All Rights Reserved.
"""


def _roles(text: str) -> dict[str, str]:
    lines = text.split("\n")
    return {line.strip(): role for line, role in zip(lines, line_roles(lines)) if line.strip()}


def test_gallery_counters_credits_stamps_and_related_links_are_furniture() -> None:
    roles = _roles(GALLERY)
    for line in ("News | Photography", "Published March 3, 2025, 9:10 a.m. GMT", "Share  Tweet  Email",
                 "Image 1 of 3", "(Photo: Lena Vogt / Harbour Press)", "MORE GALLERIES",
                 "Spring in the Alps: the first hikers", "The week in pictures"):
        assert roles[line] == "furniture", line
    caption = "Volunteers stack sandbags on the quay in Passau, Germany, Monday, March 3, 2025."
    assert roles[caption] == "item"  # a caption is one of several distinct photos
    assert roles["In pictures: Flooding along the river"] == "headline"


def test_live_blog_stamps_bylines_and_prompts_are_furniture_and_entries_are_items() -> None:
    roles = _roles(LIVE_BLOG)
    for line in ("9:40 p.m.", "Last updated 9:40 p.m. CDT, June 21, 2025", "By Valley Sentinel staff",
                 "This is a developing story. Refresh this page for the latest updates.",
                 "Have a tip? Email newsroom@valleysentinel.example or call 555-201-3344."):
        assert roles[line] == "furniture", line
    assert roles["Crews say about 4,000 homes are still without power."] == "item"
    assert roles["8:15 p.m. — The county has opened a shelter at the high school."] == "item"


def test_list_entries_are_items_and_a_correction_is_marked() -> None:
    doc = Document(name="list.txt", text=LIST_AND_CORRECTION)
    sentences = segment_document(doc)
    by_text = {s.text: s.role for s in sentences}
    assert by_text["• Ann Roe, 34, of Leeds: three counts of fraud"] == "item"
    assert by_text["Four people are charged in the scheme, prosecutors said."] == "body"
    assert any(role == "correction" for text, role in by_text.items() if "misspelled" in text)
    assert not any("Copyright" in text for text in by_text)
    for s in sentences:  # offsets stay exact
        assert doc.text[s.start:s.end] == s.text


def test_a_claim_typed_on_one_line_is_body_text_whatever_its_shape() -> None:
    assert line_roles(["Share prices fell 5% on Monday"]) == ["body"]
    doc = Document(name="<claim>", text="Updated figures show 12 people died")
    assert [s.role for s in segment_document(doc)] == ["body"]


def test_sentences_that_open_like_furniture_are_kept() -> None:
    assert not is_furniture("By Monday morning the fire had burned 3,412 acres.")
    assert not is_furniture("Share prices fell 5% after the announcement.")
    assert not is_furniture("Published reports say five people died.")
    assert is_furniture("By Ann Roe and Bo Chen, Staff Writers")


DRAFT_WITH_LINKS = """The harbour board approved the new ferry timetable on Tuesday.

It takes effect on 1 June, the board's chair said.

Dock workers end their strike — March 3, 2025
* [Harbour fees rise for cruise ships — 12 February 2025](https://example.com/fees)
[Ferry operator names a new chief](https://example.com/chief)
"""

TIMELINE = """Below are the main steps of the dispute.
Dock workers end their strike — March 3, 2025
The union accepted a 4% pay rise after a two-week stoppage.
"""


def test_related_links_after_the_text_are_furniture_and_a_timelines_titles_are_not():
    roles = dict(zip(DRAFT_WITH_LINKS.split("\n"), line_roles(DRAFT_WITH_LINKS.split("\n"))))
    assert roles["Dock workers end their strike — March 3, 2025"] == "furniture"  # a dated title, nothing after it
    assert roles["* [Harbour fees rise for cruise ships — 12 February 2025](https://example.com/fees)"] == "furniture"
    assert roles["[Ferry operator names a new chief](https://example.com/chief)"] == "furniture"
    assert roles["It takes effect on 1 June, the board's chair said."] == "body"
    lines = TIMELINE.split("\n")
    # followed by its story, a dated title is a timeline's entry: a headline, its date kept
    assert line_roles(lines)[1] == "headline"
