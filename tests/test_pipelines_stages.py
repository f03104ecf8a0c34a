"""The adapters the transfer experiment needs beyond the demo: a user's parallel text projected
through alignments (Europarl en->de, gold on both sides), silver labels from ``predict``, masked-LM
pretraining, and the two sides of a parallel TSV staying parallel."""

from __future__ import annotations

import json
import os

from pipelines.config import load_config
from pipelines.runner import Pipeline

CONFIG = """\
name: stages
vars: {{data: {data}}}
inputs:
  en_gold: ${{data}}/europarl_ner_parallel/en-europarl.test.conll02
  de_gold: ${{data}}/europarl_ner_parallel/de-europarl.test.conll02
  menyo: ${{data}}/menyo20k/dev.tsv
stages:
  en: {{kind: prepare, inputs: {{corpus: en_gold}}, settings: {{limit: 60, types: [PER, ORG, LOC], lang: en}}}}
  de: {{kind: prepare, inputs: {{corpus: de_gold}}, settings: {{limit: 60, types: [PER, ORG, LOC], lang: de}}}}
  links: {{kind: align, inputs: {{source: en, target: de}}, settings: {{method: eflomal, seed: 1}}}}
  de-projected: {{kind: project, inputs: {{source: en, target: de, alignments: links}}, settings: {{lang: de, viewer: false}}}}
  en-side: {{kind: prepare, inputs: {{corpus: menyo}}, settings: {{side: 0, limit: 12, lang: en}}}}
  yo-side: {{kind: prepare, inputs: {{corpus: menyo}}, settings: {{side: 1, limit: 12, lang: yo}}}}
  encoder: {{kind: tiny-encoder, inputs: {{texts: [en, de, menyo]}}, settings: {{vocab_size: 600, hidden_size: 32, intermediate_size: 64, max_sentences: 200}}}}
  pretrained: {{kind: mlm, inputs: {{model: encoder, texts: [menyo]}}, settings: {{max_sentences: 32, batch_size: 16}}}}
  teacher: {{kind: train, inputs: {{train: [en], model: pretrained}}, settings: {{epochs: 1, lr: 0.001, max_length: 48, projection_dim: 16, lambda_label: 0, lambda_translation: 0, seed: 1}}}}
  silver: {{kind: predict, inputs: {{model: teacher, data: en-side}}}}
"""


def test_pipelines_parallel_projection_predict_and_mlm(tmp_path, data_dir):
    cfg = tmp_path / "stages.yaml"
    cfg.write_text(CONFIG.format(data=os.path.relpath(data_dir, tmp_path)), encoding="utf-8")
    report = Pipeline(load_config(cfg), tmp_path / "w").run()
    m = report.manifests
    assert report.count("ran") == 10
    # parallel text: the target tokens are kept exactly, the report counts what was projected
    proj = m["de-projected"]["summary"]["projection"]
    assert proj["sentences_in"] == 60 and proj["entities_projected"] > 0
    de_tokens = [json.loads(line)["tokens"] for line in open(os.path.join(m["de"]["dir"], "out", "corpus.jsonl"))]
    for line in open(os.path.join(m["de-projected"]["dir"], "out", "projected.jsonl")):
        rec = json.loads(line)
        assert rec["tokens"] in de_tokens and rec["lang"] == "de" and rec["src"]["tokens"]
    # the two sides of the TSV stay parallel (same ids, same count)
    sides = [[json.loads(line)["id"] for line in open(os.path.join(m[s]["dir"], "out", "corpus.jsonl"))]
             for s in ("en-side", "yo-side")]
    assert sides[0] == sides[1] and len(sides[0]) == 12
    # silver labels: every English sentence tagged, tokens unchanged
    silver = [json.loads(line) for line in open(os.path.join(m["silver"]["dir"], "out", "predictions.jsonl"))]
    assert [s["id"] for s in silver] == sides[0]
    assert all(len(s["tags"]) == len(s["tokens"]) for s in silver)
    # masked-LM pretraining changed the encoder's weights and logged its loss
    assert m["pretrained"]["output_hashes"]["model"] != m["encoder"]["output_hashes"]["model"]
    assert m["pretrained"]["summary"]["loss_last"] is not None
