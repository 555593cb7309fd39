"""Stage 1: read articles from a folder (or from memory) into Documents with publication dates."""
from checker.ingest.reader import read_corpus, read_text_document, documents_from_records

__all__ = ["read_corpus", "read_text_document", "documents_from_records"]
