"""Label-preserving machine translation (``augment translate``): Marian, NLLB, CTranslate2."""

from augment.translate.markers import METHODS
from augment.translate.stage import (
    build_record,
    make_translator,
    summary,
    translate_corpus,
    write_records,
)

__all__ = ["METHODS", "build_record", "make_translator", "summary", "translate_corpus", "write_records"]
