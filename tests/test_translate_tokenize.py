"""The target-side tokenizer agrees with MasakhaNER's tokenization."""

from __future__ import annotations

import pytest

from augment.core import read_corpus
from augment.core.tokenize import detokenize, tokenize, tokenize_with_offsets


@pytest.mark.parametrize("path", ["masakhaner1/yor/dev.txt", "masakhaner1/hau/dev.txt",
                                  "masakhaner1/swa/dev.txt", "masakhaner2_yor/dev.txt"])
def test_tokenize_reproduces_masakhaner_tokens(data_dir, path):
    sentences = read_corpus(data_dir / path, repair=True)
    assert all(tokenize(" ".join(s.tokens)) == s.tokens for s in sentences)


def test_tokenize_splits_punctuation_keeps_tone_marks_and_apostrophes():
    text = "Ọ̀gbẹ́ni Yar'Adua lọ sí Èkó, Covid-19: 2,173 ènìyàn “kú”... ‘ẹgbẹ́’ (AU)!"
    assert tokenize(text) == ["Ọ̀gbẹ́ni", "Yar'Adua", "lọ", "sí", "Èkó", ",", "Covid", "-", "19", ":", "2",
                              ",", "173", "ènìyàn", "“", "kú", "”", "...", "‘ẹgbẹ́’", "(", "AU", ")", "!"]
    assert [text[a:b] for _, a, b in tokenize_with_offsets(text)] == tokenize(text)


def test_detokenize_joins_only_unambiguous_punctuation():
    tokens = "He said ( in Lagos ) : “ 2 , 173 people ” came .".split()
    assert detokenize(tokens) == "He said (in Lagos): “2, 173 people” came."
    assert tokenize(detokenize(tokens)) == tokens
