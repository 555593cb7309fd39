"""Copy detection, once for every stage: whether two sentences are near-verbatim copies (a wire story
and its rewrite) and whether two values stand in the same slot of them.

The linker (checker.facts.link) links the values of copies; the rules that read spellings
(checker.rules.name_variant) ask the same question of two sentences through `near_copy`.
"""
from __future__ import annotations

from checker.align.pairs import SentencePair, copy_alignment
from checker.models import Mention

NEAR_COPY = 0.6  # word-diff ratio above which two sentences are copies of one another


def near_copy(a: str, b: str) -> bool:
    """Whether the two sentences' words are, for the most part, the same words in the same order."""
    return copy_alignment(a, b, NEAR_COPY) is not None


def slot_aligned(pair: SentencePair, ma: Mention, mb: Mention) -> bool | None:
    """True when the two mentions stand in the same slot of two near-identical sentences;
    False when the sentences are near-identical but the mentions are in different slots;
    None when the sentences differ too much for a word diff to say."""
    a, b = (pair.a, pair.b) if ma.doc == pair.a.doc and ma.sentence == pair.a.index else (pair.b, pair.a)
    al = copy_alignment(a.text, b.text, NEAR_COPY)
    if al is None:
        return None
    sa, ea = ma.start - a.start, ma.end - a.start
    sb, eb = mb.start - b.start, mb.end - b.start
    for a0, a1, b0, b1 in al.replaced + al.equal:
        if a0 < ea and sa < a1:
            if b0 < eb and sb < b1:
                return True
    return False
