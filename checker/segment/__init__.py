"""Stage 2: split documents into sentences with exact character offsets."""
from checker.segment.sentences import segment_document, is_boilerplate

__all__ = ["segment_document", "is_boilerplate"]
