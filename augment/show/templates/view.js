{% raw %}
// Renders the items of the JSON block a page at a time. Data is only ever put into the page with
// textContent / setAttribute, never as HTML, so tokens like "<script>" stay text.
(function () {
  "use strict";
  const t0 = performance.now();
  const DATA = JSON.parse(document.getElementById("xner-data").textContent);
  const tParsed = performance.now();
  const ITEMS = DATA.items, COLORS = DATA.colors, PAIR = DATA.kind !== "corpus";
  const SVGNS = "http://www.w3.org/2000/svg";
  const LINK_H = 44;
  const LONG = 300;         // tokens shown of a longer sentence until its "show all" is clicked
  const expanded = new Set();
  const state = { q: "", status: "", type: "", page: 0, size: DATA.page_size || 50 };
  let texts = null;   // lower-cased search text per item, built on the first search
  let matches = null; // indices of the items passing the filters

  const $ = (id) => document.getElementById(id);
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function darker(hex) {
    const n = parseInt((hex || "#999999").slice(1), 16);
    const f = (v) => Math.round(v * 0.62);
    return "rgb(" + f(n >> 16) + "," + f((n >> 8) & 255) + "," + f(n & 255) + ")";
  }

  // ---- filtering -------------------------------------------------------------------------
  function itemText(it) {
    const toks = PAIR ? it.src.tokens.concat(it.tgt.tokens) : it.tokens;
    return (it.id + "\n" + toks.join(" ")).toLowerCase();
  }
  function allEnts(it) { return PAIR ? it.src.ents.concat(it.tgt.ents) : it.ents; }
  function passes(it, i) {
    if (state.q) {
      if (texts === null) texts = ITEMS.map(itemText);
      if (texts[i].indexOf(state.q) < 0) return false;
    }
    const st = state.status, typ = state.type;
    if (st === "invalid" && !(it.tag_issues || []).length) return false;
    if (st.startsWith("s:") && it.status !== st.slice(2)) return false;
    if (st.startsWith("e:")) {
      const want = st.slice(2);
      if (!(it.pairs || []).some((p) => p.status === want && (!typ || p.type === typ))) return false;
      return true;
    }
    if (typ && !allEnts(it).some((e) => e[2] === typ)) return false;
    return true;
  }
  function refilter() {
    matches = [];
    for (let i = 0; i < ITEMS.length; i++) if (passes(ITEMS[i], i)) matches.push(i);
  }

  // ---- one token row ---------------------------------------------------------------------
  function tokenRow(side, which, idx) {
    const row = el("div", "row " + which);
    row.dataset.side = which;
    if (PAIR) row.appendChild(el("span", "side-lang", side.lang || which));
    const all = side.tokens.length;
    if (!all) { row.appendChild(el("span", "empty", "(empty sentence)")); return row; }
    const starts = new Map();
    for (const e of side.ents) if (!starts.has(e[0])) starts.set(e[0], e);
    // A very long sentence shows its first LONG tokens (and the rest of an entity crossing the
    // cut) until expanded, so one 5,000-token line cannot stall the page.
    let n = all;
    if (all > LONG && !expanded.has(idx)) {
      n = LONG;
      for (const e of side.ents) if (e[0] < LONG && e[1] > n) n = Math.min(all, e[1]);
    }
    let i = 0;
    while (i < n) {
      const e = starts.get(i);
      if (e && e[1] > i && e[1] <= n) {
        const m = el("mark", "ent" + (PAIR && e[3] < 0 ? " unpaired" : ""));
        m.dataset.type = e[2];
        m.dataset.side = which;
        m.dataset.k = e[3];
        m.style.setProperty("--c", COLORS[e[2]] || "#dddddd");
        m.title = e[2] + (e[3] >= 0 ? " #" + (e[3] + 1) : PAIR ? " (no partner)" : "");
        for (let j = e[0]; j < e[1]; j++) m.appendChild(tok(side.tokens[j], j, e[3]));
        m.appendChild(el("span", "lbl", e[2] + (PAIR && e[3] >= 0 ? " " + (e[3] + 1) : "")));
        row.appendChild(m);
        i = e[1];
      } else {
        row.appendChild(tok(side.tokens[i], i, -1));
        i++;
      }
    }
    if (n < all) {
      const more = el("button", "more", "\u2026 show all " + all + " tokens");
      more.type = "button";
      more.dataset.idx = idx;
      row.appendChild(more);
    }
    return row;
  }
  function tok(text, i, k) {
    const s = el("span", "tok", text);
    s.dataset.i = i;
    if (k >= 0) s.dataset.k = k;
    return s;
  }

  // ---- one item --------------------------------------------------------------------------
  function head(it, idx) {
    const h = el("div", "head");
    h.appendChild(el("span", "sid", it.id));
    h.appendChild(el("span", "idx", "#" + (idx + 1)));
    if (PAIR) h.appendChild(el("span", "langs", (it.src.lang || "src") + " \u2192 " + (it.tgt.lang || "tgt")));
    else if (it.lang) h.appendChild(el("span", "langs", it.lang));
    if ((it.tag_issues || []).length) {
      const b = el("span", "status st-invalid-tags badge-invalid", "invalid tags");
      b.title = it.tag_issues.join("\n");
      h.appendChild(b);
    }
    if (it.status && it.status !== "invalid tags") {
      let txt = "sentence " + it.status;
      if (it.filter) txt += " by filter " + it.filter;
      h.appendChild(el("span", "status st-" + it.status.replace(/ /g, "-"), txt));
    }
    if (it.strategy) h.appendChild(el("span", "strategy", "strategy: " + it.strategy));
    if (it.method) h.appendChild(el("span", "method", "method: " + it.method));
    return h;
  }
  function pairTable(it, cut) {
    const tb = el("table", "pairs");
    for (const p of it.pairs) {
      if (p.src[0] >= cut) break;
      const tr = el("tr");
      tr.dataset.k = p.k;
      const chip = el("td");
      const c = el("span", "chip");
      c.style.setProperty("--c", COLORS[p.type] || "#dddddd");
      c.textContent = p.type + " " + (p.k + 1);
      chip.appendChild(c);
      tr.appendChild(chip);
      tr.appendChild(el("td", "srctext", it.src.tokens.slice(p.src[0], p.src[1]).join(" ")));
      tr.appendChild(el("td", "arrow", "\u2192"));
      tr.appendChild(el("td", "tgttext", p.tgt ? it.tgt.tokens.slice(p.tgt[0], p.tgt[1]).join(" ") : "\u2014"));
      let st = p.status;
      if (p.reason) st += ": " + p.reason;
      if (p.via) st += " (via " + p.via + ")";
      tr.appendChild(el("td", "status st-" + p.status, st));
      tb.appendChild(tr);
    }
    return tb;
  }
  function renderItem(idx) {
    const it = ITEMS[idx];
    const box = el("article", "item" + (it.status ? " " + it.status.replace(/ /g, "-") : ""));
    box.dataset.idx = idx;
    box.appendChild(head(it, idx));
    if (!PAIR) {
      box.appendChild(tokenRow(it, "sent", idx));
    } else {
      const wrap = el("div", "pairwrap");
      wrap.appendChild(tokenRow(it.src, "src", idx));
      const svg = document.createElementNS(SVGNS, "svg");
      svg.setAttribute("class", "links");
      svg.setAttribute("height", LINK_H);
      svg.dataset.n = it.links.length;
      wrap.appendChild(svg);
      wrap.appendChild(tokenRow(it.tgt, "tgt", idx));
      box.appendChild(wrap);
      if (it.pairs.length) box.appendChild(pairTable(it, expanded.has(idx) ? Infinity : LONG));
      if (it.marked_text) box.appendChild(el("div", "textline", "marked: " + it.marked_text));
    }
    if ((it.tag_issues || []).length) box.appendChild(el("div", "tag-issues", "invalid tags: " + it.tag_issues.join("; ")));
    if (it.notes && it.notes.length) box.appendChild(el("div", "notes", it.notes.join("; ")));
    return box;
  }

  // Lines are drawn after the page is in the DOM: all positions are read first, then all lines
  // written, so the browser lays the page out once rather than once per sentence.
  function drawLinks(boxes) {
    const plans = [];
    for (const box of boxes) {
      const it = ITEMS[+box.dataset.idx];
      if (!it.links.length) continue;
      const svg = box.querySelector("svg.links"), wrap = box.querySelector(".pairwrap");
      // .pairwrap is the tokens' offsetParent and the svg starts at its left edge, so offsets
      // (cheaper than getBoundingClientRect) are already svg coordinates.
      const cx = (t) => t.offsetLeft + t.offsetWidth / 2;
      const sx = Array.from(box.querySelectorAll(".row.src .tok"), cx);
      const tx = Array.from(box.querySelectorAll(".row.tgt .tok"), cx);
      plans.push([it, svg, Math.max(wrap.scrollWidth, wrap.clientWidth), sx, tx]);
    }
    for (const [it, svg, width, sx, tx] of plans) {
      svg.setAttribute("width", width);
      const srcK = new Map(), tgtK = new Map(), kType = new Map();
      for (const e of it.src.ents) if (e[3] >= 0) { kType.set(e[3], e[2]); for (let i = e[0]; i < e[1]; i++) srcK.set(i, e[3]); }
      for (const e of it.tgt.ents) if (e[3] >= 0) for (let j = e[0]; j < e[1]; j++) tgtK.set(j, e[3]);
      const frag = document.createDocumentFragment();
      for (const [i, j] of it.links) {
        if (sx[i] === undefined || tx[j] === undefined) continue;
        const ln = document.createElementNS(SVGNS, "line");
        ln.setAttribute("x1", sx[i]); ln.setAttribute("y1", 0);
        ln.setAttribute("x2", tx[j]); ln.setAttribute("y2", LINK_H);
        ln.setAttribute("class", "link");
        ln.dataset.i = i; ln.dataset.j = j;
        const k = srcK.get(i);
        if (k !== undefined && tgtK.get(j) === k) {
          ln.setAttribute("class", "link in-ent");
          ln.dataset.k = k;
          ln.style.stroke = darker(COLORS[kType.get(k)]);
        }
        frag.appendChild(ln);
      }
      svg.appendChild(frag);
    }
  }

  // ---- page ------------------------------------------------------------------------------
  function render() {
    const main = $("items");
    const pages = Math.max(1, Math.ceil(matches.length / state.size));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    const from = state.page * state.size, to = Math.min(matches.length, from + state.size);
    const frag = document.createDocumentFragment(), boxes = [];
    for (let n = from; n < to; n++) { const b = renderItem(matches[n]); boxes.push(b); frag.appendChild(b); }
    main.replaceChildren(frag);
    if (!matches.length) main.appendChild(el("p", "none", "No sentence matches."));
    if (PAIR) drawLinks(boxes);
    $("page-info").textContent = matches.length
      ? "sentences " + (from + 1) + "\u2013" + to + " of " + matches.length +
        (matches.length !== ITEMS.length ? " matching (" + ITEMS.length + " in all)" : "") +
        " \u00b7 page " + (state.page + 1) + "/" + pages
      : "0 of " + ITEMS.length + " match";
    $("prev").disabled = state.page === 0;
    $("next").disabled = state.page >= pages - 1;
    document.body.dataset.matches = matches.length;
    document.body.dataset.page = state.page;
    saveHash();
  }

  function saveHash() {
    const p = new URLSearchParams();
    if (state.q) p.set("q", state.q);
    if (state.status) p.set("status", state.status);
    if (state.type) p.set("type", state.type);
    if (state.page) p.set("page", state.page + 1);
    if (state.size !== (DATA.page_size || 50)) p.set("size", state.size);
    const h = p.toString();
    if (("#" + h) !== location.hash && (h || location.hash)) history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }
  function loadHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    state.q = (p.get("q") || "").toLowerCase();
    state.status = p.get("status") || "";
    state.type = p.get("type") || "";
    state.size = Math.max(1, parseInt(p.get("size") || state.size, 10) || state.size);
    state.page = Math.max(0, (parseInt(p.get("page") || "1", 10) || 1) - 1);
    $("search").value = state.q;
    setSelect("status-filter", state.status);
    setSelect("type-filter", state.type);
    setSelect("page-size", String(state.size));
  }
  function setSelect(id, value) {
    const s = $(id);
    if (!Array.from(s.options).some((o) => o.value === value)) {
      const o = el("option", null, value + (id === "page-size" ? " / page" : ""));
      o.value = value;
      s.appendChild(o);
    }
    s.value = value;
  }

  // ---- events ----------------------------------------------------------------------------
  let searchTimer = 0;
  $("search").addEventListener("input", (ev) => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => { state.q = ev.target.value.trim().toLowerCase(); state.page = 0; refilter(); render(); }, 120);
  });
  $("status-filter").addEventListener("change", (ev) => { state.status = ev.target.value; state.page = 0; refilter(); render(); });
  $("type-filter").addEventListener("change", (ev) => { state.type = ev.target.value; state.page = 0; refilter(); render(); });
  $("page-size").addEventListener("change", (ev) => { state.size = parseInt(ev.target.value, 10) || 50; state.page = 0; render(); });
  $("prev").addEventListener("click", () => { state.page--; render(); window.scrollTo(0, 0); });
  $("next").addEventListener("click", () => { state.page++; render(); window.scrollTo(0, 0); });
  // A legend chip filters by its type (a second click clears it).
  $("legend").addEventListener("click", (ev) => {
    const chip = ev.target.closest(".chip[data-type]");
    if (!chip) return;
    const sel = $("type-filter");
    sel.value = sel.value === chip.dataset.type ? "" : chip.dataset.type;
    sel.dispatchEvent(new Event("change"));
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.target.tagName === "INPUT" || ev.target.tagName === "SELECT") return;
    if (ev.key === "/") { ev.preventDefault(); $("search").focus(); }
    if (ev.key === "ArrowRight") $("next").click();
    if (ev.key === "ArrowLeft") $("prev").click();
  });
  // Hovering an entity (or its row in the pair table) highlights its partner and links.
  function highlight(target, on) {
    const holder = target.closest ? target.closest("[data-k]") : null;
    const box = target.closest ? target.closest(".item") : null;
    if (!holder || !box) return;
    if (holder.dataset.k !== "-1") {
      for (const e of box.querySelectorAll('[data-k="' + holder.dataset.k + '"]')) e.classList.toggle("hl", on);
    }
    // and every link of the entity's tokens, wherever it goes (why was it dropped?)
    const mark = target.closest("mark.ent");
    if (!mark || !box.contains(mark) || !PAIR) return;
    const attr = mark.dataset.side === "src" ? "data-i" : "data-j";
    for (const t of mark.querySelectorAll(".tok")) {
      for (const ln of box.querySelectorAll("line[" + attr + '="' + t.dataset.i + '"]')) ln.classList.toggle("hl", on);
    }
  }
  $("items").addEventListener("click", (ev) => {
    if (!ev.target.classList.contains("more")) return;
    expanded.add(+ev.target.dataset.idx);
    const y = window.scrollY;
    render();
    window.scrollTo(0, y);
  });
  $("items").addEventListener("mouseover", (ev) => highlight(ev.target, true));
  $("items").addEventListener("mouseout", (ev) => highlight(ev.target, false));

  loadHash();
  refilter();
  render();
  const tDone = performance.now();
  window.__xner = { startMs: t0, parseMs: tParsed - t0, renderMs: tDone - tParsed, readyMs: tDone, items: ITEMS.length };
  document.body.dataset.ready = "1";
})();
{% endraw %}
