"""The links of values that no pair of aligned sentences makes: one person's ages or titles, the
holders of one post, one superlative said of two people, two periods of one scope, two spellings
of one name, a name swapped in a copied sentence. A rule that reads a whole story finds the two
values; how sure the link is, and how it was made, are declared here, beside the linker's
(checker.facts.link), so that every link's confidence is set in this stage and a rule only names
which sort of link it found (`CompareContext.link`)."""
from __future__ import annotations

from dataclasses import dataclass

from checker.facts.link import LinkHow


@dataclass(frozen=True, slots=True)
class StoryLink:
    """One sort of story-wide link: its hand-set confidence (the calibration model reads it as one
    feature among the others) and how it was made (see checker.facts.link.Link)."""

    confidence: float
    how: LinkHow


PERSON_AGE = StoryLink(0.85, "person")  # two ages given to one named person
PERSON_TITLE = StoryLink(0.8, "person")  # two titles of one person at one moment
LONE_PERSON_TITLE = StoryLink(0.7, "person")  # ... when no other title of that person is told besides
NAME_VARIANT = StoryLink(0.8, "person")  # two spellings in conflict that name one person
NOTED_NAME_VARIANT = StoryLink(0.4, "person")  # ... and two spellings only noted: a weaker claim of one person
POST_HOLDERS = StoryLink(0.6, "scope")  # two holders named for one post in a story
SUPERLATIVE_HOLDERS = StoryLink(0.75, "scope")  # one superlative said of two people
PERIOD_SCOPE = StoryLink(0.7, "scope")  # two periods of one superlative scope in conflict
NEAR_PERIOD_SCOPE = StoryLink(0.6, "scope")  # ... when they only approximately agree

SWAP_LINK_FLOOR = 0.5  # a swapped name's link starts here and gains half the share of words in common
SWAP_LINK_CEILING = 0.95  # ... up to this: copied wording never makes two names surely one person


def swapped_name(shared_words: float) -> StoryLink:
    """Two names in one slot of two copies of a sentence sharing this share of their words."""
    return StoryLink(min(SWAP_LINK_CEILING, SWAP_LINK_FLOOR + shared_words / 2), "copy")
