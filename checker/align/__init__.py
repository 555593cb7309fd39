"""Stage 4: embed sentences and align those that speak of the same thing."""
from checker.align.embed import Embedder, load_embedder
from checker.align.pairs import SentencePair, align_corpus, align_sentences, slot_alignment

__all__ = ["Embedder", "load_embedder", "SentencePair", "align_corpus", "align_sentences", "slot_alignment"]
