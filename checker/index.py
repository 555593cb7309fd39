"""`claimcheck index DIR`: process a corpus into the on-disk cache that every command reuses.

The index is the cache (checker.cache): each document's sentences and mentions keyed by its content
hash, each sentence's embedding keyed by model and text. Building it twice re-processes nothing; an
edited or added file is processed again and the rest is not.
"""
from __future__ import annotations

from dataclasses import dataclass

from checker.align.cached import CachedEmbedder
from checker.cache import Cache


@dataclass(frozen=True)
class IndexSummary:
    folder: str
    cache: str
    documents: int
    processed: int  # documents segmented and extracted in this run (not found in the cache)
    sentences: int
    encoded: int  # sentences sent to the model in this run
    note: str = ""

    def text(self) -> str:
        return (f"indexed {self.folder}: {self.documents} documents ({self.processed} processed, "
                f"{self.documents - self.processed} from the cache), {self.sentences} sentences "
                f"({self.encoded} embedded now) in {self.cache}" + (f"\nnote: {self.note}" if self.note else "") + "\n")


def build_index(folder: str, cache_dir: str | None = None, embedder=None) -> IndexSummary:
    """Bring the cache up to date for a corpus folder."""
    from checker.align.embed import load_embedder
    from checker.ingest import read_corpus
    from checker.pipeline import prepare

    cache = Cache(cache_dir)
    docs = read_corpus(folder)
    readable = [d for d in docs if not d.error]
    before = sum(1 for d in readable if cache.document(d) is not None)
    counting = CachedEmbedder(embedder or load_embedder(), cache)
    prepared = prepare(docs, counting, cache)
    return IndexSummary(folder=folder, cache=str(cache.path), documents=len(docs),
                        processed=len(readable) - before, sentences=len(prepared.flat_sentences()),
                        encoded=counting.encoded, note=cache.note)
