"""The shared core every stage depends on (and which depends on no stage).

Records (:class:`Sentence`, :class:`Span`, the alignment record), tag schemes, readers and
writers, errors, atomic and resumable output, seeding, hub access and CLI plumbing.
"""

from augment.core.io import FORMATS, detect_format, read_corpus, write_corpus
from augment.core.record import Sentence, Span
from augment.core.tags import (
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
