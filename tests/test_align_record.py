"""The alignment record, Pharaoh text and symmetrisation."""

import pytest

from align.symmetrize import symmetrize
from augment.core.alignment import Alignment, parse_links, read_pharaoh, write_alignments
from augment.core.errors import ConfigError, DataError


def test_align_record_directions_and_pharaoh_roundtrip(tmp_path):
    a = Alignment.from_pharaoh("2-1 0-0 1-2 1-1", 3, 3)
    assert a.links == ((0, 0), (1, 1), (1, 2), (2, 1))
    assert a.src_to_tgt() == {0: [0], 1: [1, 2], 2: [1]}
    assert a.tgt_to_src() == {0: [0], 1: [1, 2], 2: [1]}
    assert a.reversed().links == ((0, 0), (1, 1), (1, 2), (2, 1))
    assert Alignment.from_pharaoh("0-1 2-0").reversed().to_pharaoh() == "0-2 1-0"
    write_alignments([a, Alignment((), 1, 1)], tmp_path / "links.txt")
    assert (tmp_path / "links.txt").read_text() == "0-0 1-1 1-2 2-1\n\n"
    assert [x.links for x in read_pharaoh(tmp_path / "links.txt")] == [a.links, ()]
    write_alignments([a], tmp_path / "links.jsonl", ids=["s1"], info={"method": "eflomal"})
    back = read_pharaoh(tmp_path / "links.jsonl")
    assert back[0] == a


def test_align_record_rejects_bad_links(tmp_path):
    with pytest.raises(ValueError):
        Alignment.from_pharaoh("0-3", 2, 3)
    assert parse_links("1-1 2p3", index_base=1) == ({(0, 0)}, {(1, 2)})
    (tmp_path / "bad.txt").write_text("0-0\n0-x\n")
    with pytest.raises(DataError, match=r"bad.txt:2: bad link '0-x'"):
        read_pharaoh(tmp_path / "bad.txt")


def test_align_symmetrize_heuristics():
    fwd = {(0, 0), (1, 1), (2, 3), (3, 2)}
    rev = {(0, 0), (1, 1), (1, 2), (3, 2), (2, 4)}
    assert symmetrize(fwd, rev, "intersection") == {(0, 0), (1, 1), (3, 2)}
    assert symmetrize(fwd, rev, "union") == fwd | rev
    # grow-diag: (2,3) and then (2,4) neighbour links already in and bring an unaligned target
    # token; (1,2) brings nothing new (source 1 and target 2 are both aligned)
    assert symmetrize(fwd, rev, "grow-diag") == {(0, 0), (1, 1), (3, 2), (2, 3), (2, 4)}
    fwd, rev = {(0, 0), (4, 4)}, {(0, 0), (0, 5)}
    assert symmetrize(fwd, rev, "grow-diag") == {(0, 0)}
    # final-and: only links whose source and target are both unaligned; final: either one
    assert symmetrize(fwd, rev, "grow-diag-final-and") == {(0, 0), (4, 4)}
    assert symmetrize(fwd, rev, "grow-diag-final") == {(0, 0), (4, 4), (0, 5)}
    with pytest.raises(ConfigError):
        symmetrize(fwd, rev, "grow")


def test_align_record_pharaoh_lines_split_at_newline_only(tmp_path):
    path = tmp_path / "links.txt"
    path.write_text("0-0 1-1\n\n0-1\n", encoding="utf-8")
    assert [a.links for a in read_pharaoh(path)] == [((0, 0), (1, 1)), (), ((0, 1),)]
    path.write_text("0-0\u20281-1\n0-0\n", encoding="utf-8")  # U+2028 is whitespace, not a line break
    assert [a.links for a in read_pharaoh(path)] == [((0, 0), (1, 1)), ((0, 0),)]


def test_align_record_alignment_jsonl_ids_and_bad_records(tmp_path):
    from augment.core.alignment import iter_alignment_file
    from augment.show.load import read_alignment

    path = tmp_path / "links.jsonl"
    write_alignments([Alignment(((0, 0), (1, 2)), 2, 3), Alignment((), 1, 1)], path, ids=["s1", "s2"],
                     info={"method": "eflomal"})
    rows = list(iter_alignment_file(path))
    assert [(n, rid, a.links) for n, rid, a in rows] == [(1, "s1", ((0, 0), (1, 2))), (2, "s2", ())]
    assert read_pharaoh(path) == [a for _, _, a in rows]
    assert read_alignment(path) == ({"s1": [[0, 0], [1, 2]], "s2": []}, [])
    for bad in ('[[0, 0]]', '{"id": "x"}', '{"alignment": [[0, 5]], "src_len": 1, "tgt_len": 1}'):
        path.write_text('{"alignment": []}\n' + bad + "\n")
        with pytest.raises(DataError, match=r"links.jsonl:2: "):
            read_pharaoh(path)
