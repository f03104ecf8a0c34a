"""examples/en-yo-ha-sw.yaml reads its data by data set name (offline: it validates and plans), and
local copies replace the names: ``datasets`` folders saved here with MasakhaNER-like features
(ClassLabel ``ner_tags``) and a MENYO-like ``translation`` column go through the same hf reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from augment.core import read_corpus
from pipelines.config import load_config

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "en-yo-ha-sw.yaml"
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-DATE", "I-DATE"]  # MasakhaNER 2.0's
CONLL_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]  # the hub's CoNLL-2003


def _save_ner(sentences_by_split: dict, names: list[str], out: Path) -> Path:
    import datasets

    features = datasets.Features({
        "id": datasets.Value("string"),
        "tokens": datasets.Sequence(datasets.Value("string")),
        "ner_tags": datasets.Sequence(datasets.ClassLabel(names=names)),
    })
    index = {n: i for i, n in enumerate(names)}
    splits = {}
    for split, sents in sentences_by_split.items():
        splits[split] = datasets.Dataset.from_dict(
            {"id": [str(i) for i in range(len(sents))], "tokens": [s.tokens for s in sents],
             "ner_tags": [[index[t] for t in s.tags] for s in sents]}, features=features)
    datasets.DatasetDict(splits).save_to_disk(str(out))
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory, data_dir):
    """save_to_disk folders: MasakhaNER 2.0 yor slices, CoNLL-2003 slices, MENYO-20k dev pairs."""
    import datasets

    root = tmp_path_factory.mktemp("saved")
    m2 = data_dir / "masakhaner2_yor"
    yor = {split: read_corpus(m2 / f"{name}.txt", repair=True, to_scheme="iob2")[:n]
           for split, name, n in (("train", "train", 40), ("validation", "dev", 20), ("test", "test", 30))}
    conll = {split: read_corpus(data_dir / "conll2003_en" / name, to_scheme="iob2")[:n]
             for split, name, n in (("train", "eng.train", 50), ("validation", "eng.testa", 20))}
    lines = (data_dir / "menyo20k" / "dev.tsv").read_text("utf-8").splitlines()[1:31]
    pairs = [line.split("\t")[:2] for line in lines]
    menyo = datasets.Dataset.from_dict(
        {"translation": [{"en": en, "yo": yo} for en, yo in pairs]},
        features=datasets.Features({"translation": datasets.Translation(languages=["en", "yo"])}))
    datasets.DatasetDict({"train": menyo}).save_to_disk(str(root / "menyo"))
    return {"yor": _save_ner(yor, LABELS, root / "masakhaner2-yor"), "yor_sents": yor,
            "conll": _save_ner(conll, CONLL_LABELS, root / "conll2003"), "conll_sents": conll,
            "menyo": root / "menyo", "pairs": pairs}


def test_hub_data_example_names_every_data_set_and_plans_offline(run_cli, tmp_path):
    cfg = load_config(EXAMPLE)
    data_vars = {k: v for k, v in cfg.vars.items() if isinstance(v, str)}
    assert all(v.startswith("hf:") for v in data_vars.values()), data_vars  # runs as written on a fresh machine
    names = {v.split("#")[0] for v in data_vars.values()}
    assert {"hf:eriktks/conll2003", "hf:unimelb-nlp/wikiann:en", "hf:masakhane/masakhaner2:yor",
            "hf:masakhane/masakhaner2:hau", "hf:masakhane/masakhaner2:swa", "hf:UdS-LSV/menyo20k_mt"} == names
    code, out, err = run_cli("pipelines", ["run", EXAMPLE, "--workdir", tmp_path / "w", "--dry-run"])
    assert code == 0, err
    assert "evaluate-distilled[tgt=sw,seed=3]" in out and "zero-shot+wikiann[seed=1]" in out
    assert not (tmp_path / "w").exists() or not any((tmp_path / "w").rglob("*.jsonl"))  # a plan, nothing run


def test_hub_data_saved_folders_read_with_classlabel_tags(saved):
    got = read_corpus(f"{saved['yor']}#test")
    want = saved["yor_sents"]["test"]
    assert [s.tokens for s in got] == [s.tokens for s in want]
    assert [s.tags for s in got] == [s.tags for s in want]  # ids mapped back through the ClassLabel names
    assert any(t.startswith("B-DATE") for s in got for t in s.tags)


def test_hub_data_local_override_runs_the_prepare_stages(saved, run_cli, tmp_path):
    work = tmp_path / "w"
    args = ["run", EXAMPLE, "--workdir", work, "--grid", "tgt=yo", "--grid", "seed=1",
            "--var", f"conll_train={saved['conll']}#train", "--var", f"conll_dev={saved['conll']}#validation",
            "--var", f"wikiann_en={saved['conll']}#validation", "--var", f"test_yo={saved['yor']}#test",
            "--var", f"text_yo={saved['yor']}#train", "--var", f"menyo={saved['menyo']}#train",
            "--only", "en", "--only", "en-dev", "--only", "tgt-text", "--only", "en-wikiann"]
    code, _, err = run_cli("pipelines", args)
    assert code == 0, err

    def records(stage):
        files = list(work.glob(f"{stage}/*/*/out/corpus.jsonl"))
        assert len(files) == 1, files
        return [json.loads(x) for x in files[0].read_text("utf-8").splitlines()]

    en = records("en")
    assert len(en) == 50 and len(records("en-dev")) == 20 and len(records("en-wikiann")) == 20
    want = saved["conll_sents"]["train"]
    assert [r["tokens"] for r in en] == [s.tokens for s in want]
    # MISC dropped, PER/ORG/LOC kept
    assert [[t if "MISC" not in t else "O" for t in s.tags] for s in want] == [r["tags"] for r in en]
    text = records("tgt-text")
    assert [r["tokens"] for r in text] == [s.tokens for s in saved["yor_sents"]["train"]]
    assert all(not r.get("tags") for r in text)
    code, out, _ = run_cli("pipelines", args[:-8] + ["--dry-run"])  # same vars: those four are cached now
    assert code == 0 and out.count("cached") >= 4


def test_hub_data_menyo_like_dataset_feeds_extra_parallel(saved):
    from align.api import read_extra

    pairs = read_extra([f"{saved['menyo']}#train"])
    assert pairs == [(en.split(), yo.split()) for en, yo in saved["pairs"]]


def test_hub_data_script_datasets_fall_back_to_the_parquet_export(monkeypatch):
    """datasets 4+ refuses the hub's loading scripts (CoNLL-2003, MasakhaNER 2.0, MENYO-20k);
    the reader then asks for the hub's Parquet export, one folder per config."""
    import datasets

    from augment.core.formats import hf

    calls = []

    def fake(name, config=None, **kw):
        calls.append((name, config, kw))
        if not kw:
            raise RuntimeError(f"Dataset scripts are no longer supported, but found {name.split('/')[-1]}.py")
        return datasets.DatasetDict({"test": datasets.Dataset.from_dict({"tokens": [["Ade"]], "ner_tags": [["B-PER"]]})})

    monkeypatch.setattr(datasets, "load_dataset", fake)
    monkeypatch.setattr("augment.core.hub.hub_problem", lambda: None)  # as if the hub answered
    got = hf.read("hf:masakhane/masakhaner2:yor#test")
    assert got[0].tokens == ["Ade"] and got[0].tags == ["B-PER"]
    assert calls == [("masakhane/masakhaner2", "yor", {}),
                     ("masakhane/masakhaner2", None, {"revision": "refs/convert/parquet", "data_dir": "yor"})]
