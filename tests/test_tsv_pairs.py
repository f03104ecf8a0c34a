"""The one parallel-TSV reader: header rule, blank rows, quotes as text, long fields, bad rows."""

import csv

import pytest

from augment.core.errors import DataError
from augment.core.formats.tsv_pairs import read_tsv_pairs, split_fields


@pytest.mark.parametrize("split, pairs", [("train", 10070), ("dev", 3397), ("test", 6633)])
def test_tsv_pairs_menyo_same_rows_as_csv(data_dir, split, pairs):
    path = data_dir / "menyo20k" / f"{split}.tsv"
    rows = read_tsv_pairs(path)
    with open(path, encoding="utf-8-sig", newline="") as fh:  # MENYO was written with csv quoting
        ref = [(r[0].replace("\ufeff", "").strip(), r[1].replace("\ufeff", "").strip())
               for r in list(csv.reader(fh, delimiter="\t"))[1:]]
    assert len(rows) == pairs and [(r.src, r.tgt) for r in rows] == ref
    assert rows[0].line == 2  # the header 'English<TAB>Yoruba' is skipped


def test_tsv_pairs_quoted_tab_and_doubled_quotes(data_dir):
    dev = read_tsv_pairs(data_dir / "menyo20k" / "dev.tsv")
    (row,) = [r for r in dev if r.line == 700]
    assert "\t" in row.src and not row.src.startswith('"')
    assert split_fields('"say ""hi"" now"\tx') == ['say "hi" now', "x"]


def test_tsv_pairs_unbalanced_quote_is_text(tmp_path):
    # issue 12: with csv quoting, the stray quote swallowed the next lines (4 pairs in, 2 out)
    path = tmp_path / "p.tsv"
    path.write_text('"He said\tó ní\nb\tc\n"x" y\tz\nd\te "\n', encoding="utf-8")
    rows = read_tsv_pairs(path)
    assert [(r.line, r.src, r.tgt) for r in rows] == [
        (1, '"He said', "ó ní"), (2, "b", "c"), (3, '"x" y', "z"), (4, "d", 'e "')]


def test_tsv_pairs_long_field_no_size_limit(tmp_path):
    path = tmp_path / "long.tsv"
    big = "w " * 100_000  # 200 KB, over csv's 128 KB field limit
    path.write_text(f"a\tb\n{big}\t{big}\n", encoding="utf-8")
    rows = read_tsv_pairs(path)
    assert len(rows) == 2 and len(rows[1].src.split()) == 100_000


def test_tsv_pairs_header_rule_and_blank_rows(tmp_path):
    path = tmp_path / "h.tsv"
    path.write_text("Yes\tBẹ́ẹ̀ni\n\n  \nNo\tRárá\n", encoding="utf-8")  # two one-word cells: a pair
    assert [(r.src, r.tgt) for r in read_tsv_pairs(path)] == [("Yes", "Bẹ́ẹ̀ni"), ("No", "Rárá")]
    path.write_text("\nsrc\tTGT\nYes\tBẹ́ẹ̀ni\n", encoding="utf-8")
    assert [r.line for r in read_tsv_pairs(path)] == [3]
    assert len(read_tsv_pairs(path, header=False)) == 2
    path.write_text("English\tYoruba\n", encoding="utf-8")
    assert read_tsv_pairs(path) == [] and len(read_tsv_pairs(path, header=False)) == 1


@pytest.mark.parametrize("content, message", [
    ("a\tb\nc\td\te\n", r"bad.tsv:2: expected 2 tab-separated columns, found 3"),
    ("a\tb\nonly one\n", r"bad.tsv:2: expected 2 tab-separated columns, found 1"),
    ("src\ttgt\n\na\tb\t\n", r"bad.tsv:3: expected 2 tab-separated columns, found 3"),
])
def test_tsv_pairs_wrong_columns_name_file_and_line(tmp_path, content, message):
    (tmp_path / "bad.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_tsv_pairs(tmp_path / "bad.tsv")


def test_tsv_pairs_align_run_keeps_every_pair(tmp_path, run_cli):
    path = tmp_path / "p.tsv"
    path.write_text('"He came\tÓ dé\nHe went\tÓ lọ\nShe came\tÓ dé\nShe went\tÓ lọ\n', encoding="utf-8")
    code, _, err = run_cli("align", ["run", path, tmp_path / "out.txt"])
    assert code == 0, err
    assert len((tmp_path / "out.txt").read_text().splitlines()) == 4
    (tmp_path / "bad.tsv").write_text("a\tb\nc\n", encoding="utf-8")
    code, _, err = run_cli("align", ["run", tmp_path / "bad.tsv", tmp_path / "o2.txt"])
    assert code == 1 and err.strip().endswith("bad.tsv:2: expected 2 tab-separated columns, found 1")
    assert not (tmp_path / "o2.txt").exists()


def test_tsv_pairs_lone_quote_pair_from_real_translations(data_dir, tmp_path):
    # issue 19: CoNLL-2003 has sentences that are a lone '"', translated as '"'; a TSV of the pairs
    # holds the row '"<TAB>"', once rejected as "expected 2 tab-separated columns, found 1"
    from augment.core import read_corpus

    folder = data_dir / "conll2003_mt_tprojection" / "yor"
    en, yo = read_corpus(folder / "en.conll"), read_corpus(folder / "yor.tprojection.conll")
    path = tmp_path / "en-yo.tsv"
    path.write_text("".join(f"{' '.join(a.tokens)}\t{' '.join(b.tokens)}\n" for a, b in zip(en, yo, strict=True)),
                    encoding="utf-8")
    rows = read_tsv_pairs(path)
    assert len(rows) == len(en) == 13986
    assert [(r.src, r.tgt) for r in rows if r.src == '"'] == [('"', '"'), ('"', '"')]
    assert split_fields('"\t"') == ["\t"]  # unquoting alone reads one field holding a TAB
    small = tmp_path / "small.tsv"
    small.write_text('"a\tb"\tc\n"\t"\nx\ty\tz\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"small.tsv:3: expected 2 tab-separated columns, found 3"):
        read_tsv_pairs(small)
    small.write_text('"a\tb"\tc\n"\t"\n', encoding="utf-8")  # a quoted TAB still unquotes
    assert [(r.src, r.tgt) for r in read_tsv_pairs(small)] == [("a\tb", "c"), ('"', '"')]
