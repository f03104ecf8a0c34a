"""examples/offline-demo.yaml end to end (with smaller sizes through --var): it runs from a fresh
work directory, a kill inside translate resumes from the stage's finished batches, a rerun does
no stage work, and the results table, plot and report come out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.pipelines import last_log

DEMO = Path(__file__).resolve().parents[1] / "examples" / "offline-demo.yaml"
SMALL = ["--var", "n_en=24", "--var", "n_tgt_train=60", "--var", "n_eval=30", "--var", "n_parallel=150",
         "--var", "epochs=1"]


class Killed(KeyboardInterrupt):
    pass


@pytest.mark.slow
def test_pipelines_offline_demo_end_to_end_with_kill_and_warm_rerun(run_cli, tmp_path, monkeypatch):
    import augment.translate.stage as stage

    real_load = stage.load_backend
    calls = []

    def load_backend(*args, **kwargs):
        translator = real_load(*args, **kwargs)
        real_translate = translator.translate

        def translate(texts, **kw):
            calls.append(len(texts))
            if kill["at"] is not None and len(calls) == kill["at"]:
                raise Killed
            return real_translate(texts, **kw)

        translator.translate = translate
        return translator

    kill = {"at": 2}  # 24 sentences in batches of 16: die in the second batch
    monkeypatch.setattr(stage, "load_backend", load_backend)
    work = tmp_path / "demo"
    code, _, err = run_cli("pipelines", ["run", DEMO, "--workdir", work, *SMALL])
    assert code == 130  # a kill (KeyboardInterrupt) inside the translate stage
    log = json.loads((work / "last-run.json").read_text())
    assert log["status"] == "interrupted"
    partial = list((work / "translate").glob("*/.partial-*/out/translations.jsonl.partial.jsonl"))
    assert len(partial) == 1 and len(partial[0].read_text().splitlines()) == 16
    done_first = {json.loads(line)["id"] for line in partial[0].read_text().splitlines()}

    kill["at"], calls[:] = None, []
    code, out, err = run_cli("pipelines", ["run", DEMO, "--workdir", work, *SMALL])
    assert code == 0, err
    # resumed: only the unfinished batch (8 sentences; those over the model's limit go in pieces) again
    final = [json.loads(line) for line in next((work / "translate").glob("**/translations.jsonl")).read_text().splitlines()]
    assert len(final) == 24
    assert calls == [sum(r.get("pieces", 1) for r in final if r["id"] not in done_first)]
    status = last_log(work)
    assert status["translate[tgt=yo]"] == "ran" and status["marian"] == "cached"
    assert {s for s in status.values()} <= {"ran", "cached"}
    methods = {"zero-shot", "projected+cl", "distilled", "supervised"}
    rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith(("| arm", "| ---"))]
    assert {r.split("|")[1].strip() for r in rows} == methods  # the printed arm / F1 table
    results = work / "results"
    assert {p.name for p in results.iterdir()} >= {"results.md", "results.csv", "summary.csv", "projection.csv",
                                                   "f1.png", "report.html"}
    projection = (results / "projection.csv").read_text().splitlines()
    assert len(projection) == 2 and "sentences_in" in projection[0]
    manifest = json.loads(next((work / "projected").glob("*/*/manifest.json")).read_text())
    assert manifest["summary"]["projection"]["sentences_in"] == 24
    assert (Path(manifest["dir"]) / "viewer.html").is_file()

    # warm: nothing runs, the table comes back
    code, out2, err = run_cli("pipelines", ["run", DEMO, "--workdir", work, *SMALL])
    assert code == 0 and set(last_log(work).values()) == {"cached"} and "0 ran" in err
    assert [line for line in out2.splitlines() if line.startswith("| ")] == [
        line for line in out.splitlines() if line.startswith("| ")]

    # the resumed translation equals an uninterrupted one of the same sentences with the same model
    from augment.core import read_corpus

    manifest = json.loads(next((work / "translate").glob("*/*/manifest.json")).read_text())
    inputs = {slot: items[0]["path"] for slot, items in manifest["inputs"].items()}
    settings = {k: v for k, v in manifest["settings"].items() if k not in ("model", "shards")}
    uninterrupted = stage.translate_corpus(read_corpus(inputs["corpus"]), model=inputs["model"], show_progress=False,
                                           **settings)
    resumed = [json.loads(line) for line in (Path(manifest["dir"]) / "out" / "translations.jsonl").read_text().splitlines()]
    assert len(resumed) == 24 and resumed == uninterrupted
