"""The corpus layer every stage shares: the sentence record, tag schemes, readers and writers."""

from augment.corpus.io import FORMATS, detect_format, read_corpus, write_corpus
from augment.corpus.record import Sentence, Span
from augment.corpus.tags import (
    SCHEMES,
    convert_tags,
    detect_scheme,
    repair_tags,
    spans_to_tags,
    tags_to_spans,
    validate_tags,
)

__all__ = [
    "FORMATS", "SCHEMES", "Sentence", "Span", "convert_tags", "detect_format", "detect_scheme",
    "read_corpus", "repair_tags", "spans_to_tags", "tags_to_spans", "validate_tags", "write_corpus",
]
