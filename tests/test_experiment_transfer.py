"""The reduced English -> Yoruba MENYO transfer experiment (examples/menyo-transfer-ci.yaml) run
through ``pipelines run`` on the real data: every stage runs, the projection keeps most MENYO
sentences, and the arms come out in the order the full run shows (docs/results/menyo-transfer.md)
on MasakhaNER 1.0 yor test (PER/ORG/LOC): English + projected MENYO with the contrastive losses
beats zero-shot, and the supervised ceiling beats both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.pipelines import last_log, summary_f1

CONFIG = Path(__file__).resolve().parents[1] / "examples" / "menyo-transfer-ci.yaml"


@pytest.mark.slow
def test_experiment_transfer_reduced_run_orders_the_arms(run_cli, tmp_path):
    work = tmp_path / "menyo"
    code, out, err = run_cli("pipelines", ["run", CONFIG, "--workdir", work])
    assert code == 0, err
    status = last_log(work)
    assert status and set(status.values()) == {"ran"}

    manifest = json.loads(next((work / "projected").glob("*/*/manifest.json")).read_text("utf-8"))
    counts = manifest["summary"]["projection"]
    menyo = json.loads(next((work / "menyo").glob("*/*/manifest.json")).read_text("utf-8"))["summary"]
    # of the first 1,500 MENYO train pairs, those sharing text with yor dev/test are held out
    dropped = menyo["decontamination"]["dropped"]
    assert 0 < dropped < 50 and counts["sentences_in"] == menyo["pairs"] == 1500 - dropped
    assert 0.5 * 1500 < counts["sentences_kept"] <= 1500
    assert counts["entities_kept"] > 300

    selected = json.loads(next((work / "selected").glob("*/*/manifest.json")).read_text("utf-8"))["summary"]
    assert selected["sentences_in"] == counts["sentences_kept"]
    assert selected["with_entities"] < selected["sentences_kept"] < counts["sentences_kept"]

    f1 = summary_f1(work)
    assert set(f1) == {"zero-shot", "en+projected+cl", "supervised"}
    assert f1["en+projected+cl"] > f1["zero-shot"]
    assert f1["supervised"] > f1["en+projected+cl"]
    assert f1["zero-shot"] > 0.02  # every arm learns something real, not noise
