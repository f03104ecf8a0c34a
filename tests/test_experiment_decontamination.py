"""No text of a test set reaches what the experiments' models learn from (issue 19): the training
texts of each example config (vocabulary, masked-LM text, extra alignment text, distillation text),
as its stages read them, share no sentence and no 8-gram with its test set; and the core filter
finds the measured overlaps of MasakhaNER 1.0 yor test with MENYO-20k."""

from __future__ import annotations

from pathlib import Path

import pytest

from augment.core.formats.tsv_pairs import read_tsv_pairs
from augment.core.overlap import OverlapIndex, file_texts, without_overlap
from tests.fixtures.pipelines import input_files

REPO = Path(__file__).resolve().parents[1]
CONFIGS = ["examples/seed-transfer.yaml", "examples/menyo-transfer.yaml", "examples/menyo-transfer-ci.yaml",
           "pipelines/configs/quickstart.yaml"]
TEXT_SLOTS = {"tiny-encoder": "texts", "mlm": "texts", "align": "extra", "distill": "unlabeled"}
FILTERING = {"tiny-encoder", "mlm"}  # stages that drop overlapping text themselves (their 'exclude' slot)
DATA_KINDS = {"prepare", "menyo-pairs"}


def test_overlap_masakhaner1_yor_test_with_menyo(data_dir):
    """189 distinct sentences of MasakhaNER 1.0 yor test (191 lines) are MENYO-20k test sentences and 64
    (66 lines) are MENYO-20k dev sentences; 228 and 17 more test lines share an 8-gram with them."""
    test = list(file_texts(data_dir / "masakhaner1" / "yor" / "test.txt"))
    found = {}
    for split in ("test", "dev"):
        menyo = OverlapIndex()
        for row in read_tsv_pairs(data_dir / "menyo20k" / f"{split}.tsv"):
            menyo.add(row.tgt)
        found[split] = [menyo.match(t) for t in test]
    assert (found["test"].count("exact"), found["test"].count("ngram")) == (191, 228)
    assert (found["dev"].count("exact"), found["dev"].count("ngram")) == (66, 17)
    assert len({t for t, m in zip(test, found["test"], strict=True) if m == "exact"}) == 189
    assert len({t for t, m in zip(test, found["dev"], strict=True) if m == "exact"}) == 64
    # the filter, the other way round: MENYO-20k test pairs that would leak the test set
    index = OverlapIndex.from_files([data_dir / "masakhaner1" / "yor" / "test.txt"])
    rows = read_tsv_pairs(data_dir / "menyo20k" / "test.tsv")
    kept, counts = without_overlap(rows, lambda r: [r.src, r.tgt], index)
    assert counts.seen == 6633 and counts.exact == 196 and counts.ngram > 200 and len(kept) == counts.kept


def _text_runs(pipe):
    return [r for r in pipe.runs if r.kind in TEXT_SLOTS]


@pytest.mark.slow
@pytest.mark.parametrize("config", CONFIGS)
def test_experiment_training_texts_share_nothing_with_the_test_set(config, tmp_path):
    from pipelines.config import load_config
    from pipelines.graph import FileInput, StageInput
    from pipelines.runner import Pipeline
    from pipelines.stages._text import read_texts

    pipe = Pipeline(load_config(REPO / config), tmp_path / "work")
    tests = {str(i.path) for r in pipe.runs if r.kind == "evaluate" for i in r.inputs["data"]
             if isinstance(i, FileInput)}
    assert tests, "no test set found in the config's evaluate stage"
    upstream = {item.run_id for r in _text_runs(pipe) for slot in (TEXT_SLOTS[r.kind], "exclude")
                for item in r.inputs.get(slot, []) if isinstance(item, StageInput)}
    assert {pipe.by_id[u].kind for u in upstream} <= DATA_KINDS  # cheap to run here
    report = pipe.run(only=sorted({pipe.by_id[u].stage for u in upstream}))
    index = OverlapIndex.from_files(sorted(tests))
    checked = 0

    def files(run, slot):
        return input_files(pipe, report, run, slot)

    for run in _text_runs(pipe):
        paths, exclude = files(run, TEXT_SLOTS[run.kind]), files(run, "exclude")
        if run.kind in FILTERING:
            assert {str(p) for p in exclude} >= tests, f"{run.id}: its 'exclude' lacks the test set"
        texts, _ = read_texts(paths, None, exclude if run.kind in FILTERING else None)
        leaks = [t for t in texts if index.match(t)]
        assert leaks == [], f"{config} {run.id}: {len(leaks)} training sentences overlap the test set, e.g. {leaks[:2]}"
        checked += len(texts)
    assert checked > 1000
