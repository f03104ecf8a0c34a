"""The viewer pages in a real browser (Debian's headless Chromium driven by Playwright).

Each test opens a page written by ``augment show`` from disk and checks the DOM: highlighted
entities against the file's counts, the filter and search boxes, alignment lines drawn between
the right tokens, escaping of hostile tokens, and a 20,000-sentence file opening quickly.
"""

from __future__ import annotations

import time

import pytest

from augment.core import read_corpus
from augment.show import load_view, write_view_html
from tests.fixtures.show import HOSTILE_TOKENS, write_adversarial

READY = "body[data-ready='1']"


def open_page(page, path, fragment=""):
    page.goto(path.resolve().as_uri() + fragment)
    page.wait_for_selector(READY, timeout=30000)
    return page


def matches(page) -> int:
    return int(page.get_attribute("body", "data-matches"))


def test_corpus_page_highlights_every_entity(run_cli, data_dir, tmp_path, show_page):
    page = show_page
    src = data_dir / "europarl_ner_parallel" / "en-europarl.test.conll02"
    out = tmp_path / "en.html"
    code, _, err = run_cli("augment", ["show", src, "--html", out, "--limit", "120"])
    assert code == 0, err
    sentences = read_corpus(src)[:120]
    spans = [s.spans for s in sentences]
    open_page(page, out)
    assert page.locator("article.item").count() == 50  # the default page size
    assert page.locator("mark.ent").count() == sum(len(x) for x in spans[:50])
    page.select_option("#page-size", "250")
    assert page.locator("article.item").count() == 120
    assert page.locator("mark.ent").count() == sum(len(x) for x in spans)
    assert int(page.get_attribute("#count-entities", "data-n")) == sum(len(x) for x in spans)
    for label in ("PER", "LOC", "ORG", "MISC"):
        assert page.locator(f"mark.ent[data-type='{label}']").count() == sum(
            1 for x in spans for sp in x if sp.label == label)
    # the text of the first highlighted entity is its tokens
    first = next(s for s in sentences if s.spans)
    sp = first.spans[0]
    ent = page.locator(f"article[data-idx='{sentences.index(first)}'] mark.ent").first
    assert ent.locator(".tok").all_inner_texts() == first.tokens[sp.start:sp.end]
    page.screenshot(path=str(tmp_path / "corpus.png"))
    assert (tmp_path / "corpus.png").stat().st_size > 10000
    assert page.js_errors == []


def test_projection_page_entities_filters_search_and_links(run_cli, europarl_projection, tmp_path, show_page):
    page = show_page
    path, records = europarl_projection
    out = tmp_path / "proj.html"
    code, _, err = run_cli("augment", ["show", path, "--html", out, "--page-size", "100"])
    assert code == 0, err
    view = load_view(path)
    order = [it["id"] for it in view["items"]]
    by_id = {r["id"]: r for r in records}
    open_page(page, out)
    assert page.locator("article.item").count() == len(records)
    n_src = sum(len(r["projection"]["entities"]) for r in records)
    n_tgt = sum(len(it["tgt"]["ents"]) for it in view["items"])
    assert page.locator("mark.ent[data-side='src']").count() == n_src
    assert page.locator("mark.ent[data-side='tgt']").count() == n_tgt
    assert n_tgt == sum(1 for r in records for e in r["projection"]["entities"] if e["status"] == "projected")

    # alignment lines of a sentence with a projected entity: one line per link, and each
    # entity-coloured line runs from inside the source entity to inside its target
    rec = next(r for r in records if any(e["status"] == "projected" for e in r["projection"]["entities"]))
    box = page.locator(f"article[data-idx='{order.index(rec['id'])}']")
    assert box.locator("svg.links line").count() == len(rec["alignment"])
    geo = box.evaluate("""(box) => {
        const svg = box.querySelector('svg.links').getBoundingClientRect();
        return Array.from(box.querySelectorAll('line.in-ent'), (ln) => {
          const k = ln.dataset.k;
          const s = box.querySelector(`mark[data-side=src][data-k="${k}"]`).getBoundingClientRect();
          const t = box.querySelector(`mark[data-side=tgt][data-k="${k}"]`).getBoundingClientRect();
          return [svg.left + +ln.getAttribute('x1'), s.left, s.right, svg.left + +ln.getAttribute('x2'), t.left, t.right];
        });
    }""")
    assert geo, "no entity line drawn"
    for x1, sl, sr, x2, tl, tr in geo:
        assert sl <= x1 <= sr and tl <= x2 <= tr

    # hovering a source entity highlights its projection
    ent = box.locator("mark.ent[data-side='src'][data-k='0']")
    ent.hover()
    assert "hl" in box.locator("mark.ent[data-side='tgt'][data-k='0']").get_attribute("class")

    # filters
    n_dropped = sum(not r["projection"]["kept"] for r in records)
    page.select_option("#status-filter", "s:dropped")
    assert matches(page) == n_dropped == page.locator("article.item.dropped").count()
    assert page.locator("article.item.kept").count() == 0
    page.select_option("#status-filter", "e:dropped")
    page.select_option("#type-filter", "ORG")
    want = [r for r in records if any(e["status"] == "dropped" and e["src"][2] == "ORG"
                                      for e in r["projection"]["entities"])]
    assert matches(page) == len(want) > 0
    page.select_option("#status-filter", "")
    want = [r for r in records if any(e["src"][2] == "ORG" for e in r["projection"]["entities"])]
    assert matches(page) == len(want)
    page.select_option("#type-filter", "")
    assert matches(page) == len(records)
    page.click("#legend .chip[data-type='PER']")  # the legend filters by type too
    want = [r for r in records if any(e["src"][2] == "PER" for e in r["projection"]["entities"])]
    assert matches(page) == len(want) and page.input_value("#type-filter") == "PER"
    page.click("#legend .chip[data-type='PER']")
    assert matches(page) == len(records)

    # search box (debounced): tokens of either side or the id, case-insensitive
    page.fill("#search", "PARLAMENT")
    want = [i for i, r in by_id.items()
            if "parlament" in (i + "\n" + " ".join(r["src"]["tokens"] + r["tokens"])).lower()]
    page.wait_for_selector(f"body[data-matches='{len(want)}']", timeout=5000)
    assert 0 < len(want) < len(records)
    assert sorted(page.locator("article.item .sid").all_inner_texts()) == sorted(want)
    assert "q=parlament" in page.url  # the state is in the address, so a view can be shared
    page.fill("#search", "no-such-token-anywhere")
    page.wait_for_selector("body[data-matches='0']", timeout=5000)
    assert page.locator("#items").inner_text().strip() == "No sentence matches."
    assert page.js_errors == []


def test_projection_screenshot(europarl_projection, tmp_path, show_page):
    page = show_page
    path, _ = europarl_projection
    out = write_view_html(load_view(path), tmp_path / "shot.html", page_size=10)
    open_page(page, out, "#status=e%3Aprojected")
    assert page.locator("article.item").count() == 10
    assert page.locator("svg.links line.in-ent").count() > 0
    page.screenshot(path=str(tmp_path / "projection.png"), full_page=True)
    assert (tmp_path / "projection.png").stat().st_size > 20000


@pytest.fixture(scope="module")
def adversarial_html(tmp_path_factory):
    d = tmp_path_factory.mktemp("adv")
    src = write_adversarial(d / "adv.jsonl", n=20000)
    return write_view_html(load_view(src), d / "adv.html")


@pytest.mark.slow
def test_adversarial_20k_page_opens_fast_and_escapes(adversarial_html, show_browser):
    ctx = show_browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    t = time.perf_counter()
    page.goto(adversarial_html.resolve().as_uri())
    page.wait_for_selector(READY, timeout=30000)
    load_s = time.perf_counter() - t
    timing = page.evaluate("window.__xner")
    print(f"\n20k-sentence page: ready after {load_s:.2f} s "
          f"(script start {timing['startMs']:.0f} ms, JSON parse {timing['parseMs']:.0f} ms, "
          f"first page {timing['renderMs']:.0f} ms)")
    assert timing["items"] == 20000 and matches(page) == 20000
    assert page.locator("article.item").count() == 50
    # hostile tokens are text: nothing ran, no element was injected, the text is intact
    assert page.locator("#items script, #items img, #items b, #items i").count() == 0
    texts = set(page.locator(".tok").all_inner_texts())
    assert {"<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "</script>", "{{ x }}"} <= texts
    assert texts <= set(HOSTILE_TOKENS) | {"the", "of", "parliament", "commission", "europe", "president",
                                           "member", "state", "council", "report", "vote"}
    assert page.locator(".sid").first.inner_text() == "adv-0<script>"
    assert page.locator("mark.ent[data-type='<b>X</b>']").count() > 0
    # an empty sentence
    page.fill("#search", "adv-7<script>")
    page.wait_for_selector("body[data-matches='1']", timeout=10000)
    assert page.locator(".empty").all_inner_texts() == ["(empty sentence)"] * 2
    # the 3,000-token sentence shows its start, then everything on demand
    page.fill("#search", "adv-11<script>")
    page.wait_for_selector("body[data-matches='1']", timeout=10000)
    assert page.locator(".row.src .tok").count() < 400
    page.locator(".row.src button.more").click()
    assert page.locator(".row.src .tok").count() == 3000
    assert page.locator("svg.links line").count() == 3000
    # paging still works on the full list
    page.fill("#search", "")
    page.wait_for_selector("body[data-matches='20000']", timeout=10000)
    page.click("#next")
    page.wait_for_selector("body[data-page='1']", timeout=5000)
    assert page.locator(".sid").first.inner_text() == "adv-50<script>"
    assert dialogs == [] and errors == []
    ctx.close()


def test_translation_page_pairs_and_marker_status(data_dir, tmp_path, show_page):
    page = show_page
    import json

    from tests.fixtures.show import translation_record

    en = read_corpus(data_dir / "europarl_ner_parallel" / "en-europarl.test.conll02")[:30]
    de = read_corpus(data_dir / "europarl_ner_parallel" / "de-europarl.test.conll02")[:30]
    recs = [translation_record(f"t{k}", s, t, markers_ok=k % 4 != 1) for k, (s, t) in enumerate(zip(en, de))]
    src = tmp_path / "de.translated.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    out = write_view_html(load_view(src), tmp_path / "tr.html")
    open_page(page, out)
    assert page.get_attribute("body", "data-kind") == "translation"
    assert page.locator("mark.ent[data-side='src']").count() == sum(len(s.spans) for s in en)
    assert page.locator("mark.ent[data-side='tgt']").count() == sum(len(t.spans) for t in de)
    assert page.locator("svg.links line").count() == 0  # translations carry no alignment
    page.select_option("#status-filter", "s:markers broken")
    assert matches(page) == sum(not r["markers_ok"] for r in recs)
    assert set(page.locator(".item .notes").all_inner_texts()) == {"marker [1] missing"}
    assert page.js_errors == []


def test_page_of_real_project_labels_output(run_cli, data_dir, tmp_path, show_page):
    """The viewer on what `augment project-labels` writes (40 Europarl pairs, links given)."""
    import json

    from augment.core import write_corpus
    from tests.fixtures.show import simple_alignment

    page = show_page
    d = data_dir / "europarl_ner_parallel"
    en = read_corpus(d / "en-europarl.test.conll02")[:40]
    de = read_corpus(d / "de-europarl.test.conll02")[:40]
    write_corpus(en, tmp_path / "en.conll")
    write_corpus(de, tmp_path / "de.conll")
    (tmp_path / "links.txt").write_text("".join(
        " ".join(f"{i}-{j}" for i, j in simple_alignment(s.tokens, t.tokens)) + "\n" for s, t in zip(en, de)),
        encoding="utf-8")
    proj = tmp_path / "de.projected.jsonl"
    code, _, err = run_cli("augment", ["project-labels", "--source", tmp_path / "en.conll", "--target",
                                       tmp_path / "de.conll", "--alignments", tmp_path / "links.txt",
                                       "--strategy", "align", "--no-filter", "coverage", proj])
    assert code == 0, err
    report = json.loads((tmp_path / "de.projected.jsonl.report.json").read_text(encoding="utf-8"))
    view = load_view(proj)
    assert view["counts"]["sentences"] == report["sentences_in"] == 40
    assert view["counts"]["status"].get("kept", 0) == report["sentences_kept"]
    assert view["counts"]["status"].get("dropped", 0) == report["sentences_dropped"]
    assert view["counts"]["entity_status"].get("projected", 0) == report["entities_projected"]
    assert view["counts"]["entities_total"] == report["entities_in"]
    out = write_view_html(view, tmp_path / "view.html", page_size=100)
    open_page(page, out)
    assert page.locator("mark.ent[data-side='src']").count() == report["entities_in"]
    assert page.locator(".pairs .status.st-projected").count() == report["entities_projected"]
    assert page.locator("article.item.dropped").count() == report["sentences_dropped"]
    assert page.locator("svg.links line").count() == sum(len(it["links"]) for it in view["items"]) > 0
    assert page.js_errors == []


def test_show_browser_marks_invalid_tag_sequences(run_cli, data_dir, tmp_path, show_page):
    page = show_page
    lines = (data_dir / "masakhaner1" / "yor" / "dev.txt").read_text("utf-8").split("\n")
    first_o = next(i for i, line in enumerate(lines) if line.endswith(" O"))
    lines[first_o] = lines[first_o].split()[0] + " I-ORG"  # an I- that opens an entity
    bad = tmp_path / "bad.txt"
    bad.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "bad.html"
    code, _, err = run_cli("augment", ["show", bad, "--html", out, "--limit", "30"])
    assert code == 0, err
    open_page(page, out)
    assert page.locator("#count-invalid").inner_text() == "invalid tag sequences: 1"
    badge = page.locator("article.item .badge-invalid")
    assert badge.count() == 1 and badge.inner_text() == "invalid tags"
    assert f"line {first_o + 1}" in badge.get_attribute("title")
    assert page.locator("article.item .tag-issues").count() == 1
    page.select_option("#status-filter", "invalid")
    assert matches(page) == 1 and page.locator("article.item").count() == 1
    assert page.js_errors == []
