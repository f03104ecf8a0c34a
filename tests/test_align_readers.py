"""Sentence pairs from translation JSONL, `src ||| tgt` text and two-column TSV (real files)."""

import json

import pytest

from align.readers import read_pairs
from augment.core.errors import DataError


def test_align_readers_text_pairs_from_awesome_gold(data_dir):
    pairs = read_pairs(data_dir / "align_gold_awesome" / "enfr.src-tgt")
    assert len(pairs) == 447
    assert sum(len(p.src) for p in pairs) == 7020 and sum(len(p.tgt) for p in pairs) == 7761
    assert pairs[2].src == ["oh", ",", "oh", "!"]


def test_align_readers_tsv_menyo_header_bom_and_quoted_tab(data_dir):
    train = read_pairs(data_dir / "menyo20k" / "train.tsv")
    assert len(train) == 10070  # header skipped
    assert not train[0].tgt[0].startswith("\ufeff")
    dev = read_pairs(data_dir / "menyo20k" / "dev.tsv")
    assert len(dev) == 3397  # line 700 is a quoted cell holding a TAB


def test_align_readers_translation_jsonl(tmp_path, make_record):
    path = tmp_path / "tr.jsonl"
    rec = make_record("s1", ["Mr", "Burtone", "spoke"], ["O", "B-PER", "O"], ["Herr", "Burtone", "sprach"])
    path.write_text(json.dumps(rec) + "\n\n")
    (pair,) = read_pairs(path)
    assert (pair.id, pair.src, pair.tgt, pair.line) == ("s1", ["Mr", "Burtone", "spoke"],
                                                       ["Herr", "Burtone", "sprach"], 1)


@pytest.mark.parametrize("content, message", [
    ("a b ||| c\nd e f\n", r"bad.txt:2: expected one '\|\|\|'"),
    ("a\tb\nc\td\te\n", r"bad.txt:2: expected 2 tab-separated columns, found 3"),
    ('{"tokens": ["a"]}\n', r"bad.txt:1: expected a pair record"),
    ("just words\n", r"bad.txt: cannot tell the pair format"),
])
def test_align_readers_bad_lines_name_file_and_line(tmp_path, content, message):
    (tmp_path / "bad.txt").write_text(content)
    with pytest.raises(DataError, match=message):
        read_pairs(tmp_path / "bad.txt")


def test_align_readers_lines_split_at_newline_only(tmp_path):
    # str.splitlines would also break at U+2028 / U+0085: "a" alone on line 1 would be an error
    path = tmp_path / "pairs.txt"
    path.write_text("a\u2028b c ||| x y\u0085z\nd ||| w\n", encoding="utf-8")
    pairs = read_pairs(path)
    assert [(len(p.src), len(p.tgt), p.line) for p in pairs] == [(3, 3, 1), (1, 1, 2)]
