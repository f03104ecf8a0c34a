"""``augment show`` from the command line: terminal view, HTML output, escaping, errors."""

from __future__ import annotations

import json
import re

from augment.core import read_corpus
from augment.show.html import script_json

HOSTILE = ["<script>alert(1)</script>", "</script>", "<!--", "[bold]x[/bold]", "{{ y }}", "&amp;", "\u2028"]


def _data_block(html: str) -> str:
    m = re.search(r'<script type="application/json" id="xner-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return m.group(1)


def test_terminal_view_of_a_projection(run_cli, europarl_projection):
    path, records = europarl_projection
    code, out, err = run_cli("augment", ["show", path, "--filter", "dropped", "--limit", "3"])
    assert code == 0, err
    first = next(r for r in records if not r["projection"]["kept"])
    assert first["id"] in out and "sentence dropped by filter unaligned_entity" in out
    assert " ".join(first["src"]["tokens"][:3]) in out.replace("\n", " ")
    assert "dropped: " in out and out.count("#") >= 3
    assert "of 60" in out  # total before the filter


def test_terminal_prints_markup_like_tokens_literally(run_cli, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "a", "tokens": ["[bold]x[/bold]", "Ada"], "tags": ["O", "B-PER"]}) + "\n",
                    encoding="utf-8")
    code, out, err = run_cli("augment", ["show", path])
    assert code == 0, err
    assert "[bold]x[/bold]" in out and "Ada PER" in out


def test_html_page_escapes_data_and_keeps_it_intact(run_cli, tmp_path):
    path = tmp_path / "evil.jsonl"
    rec = {"id": "<b>id</b>", "lang": "de", "tokens": HOSTILE, "tags": ["B-<i>T</i>"] + ["O"] * (len(HOSTILE) - 1)}
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    out = tmp_path / "evil.html"
    code, stdout, err = run_cli("augment", ["show", path, "--html", out, "--title", "</title><script>x()</script>"])
    assert code == 0, err
    assert "wrote" in stdout and "1 sentences" in stdout
    html = out.read_text(encoding="utf-8")
    block = _data_block(html)  # the first </script> closes the data block: nothing broke out
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["items"][0]["tokens"] == HOSTILE
    assert data["items"][0]["id"] == "<b>id</b>"
    assert "<title>&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;</title>" in html
    assert "<i>T</i>" not in html and "&lt;i&gt;T&lt;/i&gt;" in html  # the type in the legend
    assert "<script>alert" not in html and "x()</script>" not in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_script_json_round_trips_any_text():
    obj = {"t": HOSTILE + ["\u2029", "'", '"', "\\", "</SCRIPT >"]}
    text = str(script_json(obj))
    assert not re.search(r"</|<!--|[<>&\u2028\u2029]", text)
    assert json.loads(text) == obj


def test_html_of_a_corpus_with_limit_and_filter(run_cli, data_dir, tmp_path):
    src = data_dir / "europarl_ner_parallel" / "de-europarl.test.conll02"
    out = tmp_path / "de.html"
    code, stdout, err = run_cli("augment", ["show", src, "--html", out, "--filter", "type=PER", "--limit", "10"])
    assert code == 0, err
    data = json.loads(_data_block(out.read_text(encoding="utf-8")))
    per = [s for s in read_corpus(src) if any(sp.label == "PER" for sp in s.spans)][:10]
    assert [it["id"] for it in data["items"]] == [s.id for s in per]
    assert data["kind"] == "corpus"


def test_user_mistakes_are_one_line_errors(run_cli, tmp_path, europarl_projection):
    code, out, err = run_cli("augment", ["show", tmp_path / "missing.jsonl"])
    assert code == 1 and err.strip().count("\n") == 0 and "missing.jsonl: no such file" in err
    path, _ = europarl_projection
    code, out, err = run_cli("augment", ["show", path, "--filter", "colour=red"])
    assert code == 1 and err.startswith("error: unknown filter 'colour=red'")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"tokens": ["a"]}\n{"tokens": 3}\n', encoding="utf-8")
    code, out, err = run_cli("augment", ["show", bad, "--html", tmp_path / "x.html"])
    assert code == 1 and "bad.jsonl:2:" in err and not (tmp_path / "x.html").exists()


def test_alignment_file_draws_gold_links_on_translation_pairs(run_cli, data_dir, tmp_path):
    gold_dir = data_dir / "align_gold_simalign_sample"

    def side(name):
        return [line.split("\t", 1)[1].split() for line in (gold_dir / name).read_text(encoding="utf-8").splitlines()]

    eng, deu = side("sample_eng.txt"), side("sample_deu.txt")
    recs = [{"id": f"p{k}", "lang": "de", "tokens": d, "src": {"id": f"p{k}", "lang": "en", "tokens": e, "tags": None},
             "method": "plain", "text": " ".join(d)} for k, (e, d) in enumerate(zip(eng, deu))]
    src = tmp_path / "pairs.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    gold_lines = [line.split("\t", 1)[1] for line in (gold_dir / "sample_eng_deu.gold").read_text().splitlines()]
    links = tmp_path / "gold.txt"
    links.write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    out = tmp_path / "pairs.html"
    code, _, err = run_cli("augment", ["show", src, "--alignment", links, "--html", out])
    assert code == 0, err
    data = json.loads(_data_block(out.read_text(encoding="utf-8")))
    want = [sorted([int(a), int(b)] for a, b in (x.replace("p", "-").split("-") for x in line.split()))
            for line in gold_lines]
    assert [it["links"] for it in data["items"]] == want
    assert data["kind"] == "translation"
    # by id from JSONL, only for the pairs it names
    jl = tmp_path / "links.jsonl"
    jl.write_text(json.dumps({"id": "p1", "src_len": 6, "tgt_len": 4, "alignment": want[1]}) + "\n", encoding="utf-8")
    code, _, err = run_cli("augment", ["show", src, "--alignment", jl, "--html", out])
    assert code == 0, err
    data = json.loads(_data_block(out.read_text(encoding="utf-8")))
    assert [len(it["links"]) for it in data["items"]] == [0, len(want[1]), 0, 0, 0]
    # a file for other sentences is a one-line error
    links.write_text("0-0\n", encoding="utf-8")
    code, _, err = run_cli("augment", ["show", src, "--alignment", links])
    assert code == 1 and "gold.txt: 1 alignment lines for 5 sentences" in err
