"""``--types`` naming a type absent from the data is an error listing the types present, in
``ner evaluate`` and wherever types filter data (``map_types``, the prepare stage)."""

from __future__ import annotations

import pytest

from augment.core import read_corpus
from augment.core.errors import ConfigError
from augment.core.transform import map_types
from ner.labels import LabelMap


@pytest.fixture()
def yor_dev(data_dir):
    return data_dir / "masakhaner1" / "yor" / "dev.txt"


def test_ner_types_check_evaluate_rejects_unknown_type(yor_dev, tmp_path, run_cli):
    model = tmp_path / "model"
    model.mkdir()
    LabelMap.from_types(["PER", "ORG", "LOC", "DATE"]).save(model)  # checked before any model is loaded
    code, out, err = run_cli("ner", ["evaluate", model, yor_dev, "--types", "PER,ORG,LCO", "--repair-tags"])
    assert code == 1 and out == ""
    assert err.strip() == (f"error: {yor_dev}: --types: LCO is not an entity type of the data "
                           "(types present: DATE, LOC, ORG, PER)")
    code, _, err = run_cli("ner", ["evaluate", model, yor_dev, "--types", "PERS,LCO", "--repair-tags"])
    assert "PERS, LCO are not entity types" in err


def test_ner_types_check_map_types(yor_dev):
    sents = read_corpus(yor_dev, repair=True, to_scheme="iob2")
    kept = map_types(sents, keep={"PER", "LOC"})
    assert {sp.label for s in kept for sp in s.spans} == {"PER", "LOC"}
    with pytest.raises(ConfigError, match=r"types: LCO is not an entity type of the data \(types present: DATE, LOC, ORG, PER\)"):
        map_types(sents, keep=["PER", "LCO"])
    # a renamed type counts under its new name
    assert map_types(sents, keep=["PLACE"], rename={"LOC": "PLACE"})
    untagged = read_corpus(yor_dev, "text")
    assert map_types(untagged, keep=["PER"]) == untagged  # nothing to filter, nothing to check
