"""The translate stage as a library function: sentences in, translation records out (resumable).

``translate_corpus`` is what the CLI and the pipelines call. Records come back (and are written)
in input order, one per input sentence; the record schema is in docs/formats.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from augment.core.checkpoint import ResumableOutput, fingerprint
from augment.core.errors import ConfigError, DataError, XnerError
from augment.core.hub import preflight
from augment.core.pair import Pair, write_pairs
from augment.core.record import Sentence
from augment.core.tags import convert_tags, detect_scheme, spans_to_tags
from augment.core.tokenize import detokenize, tokenize
from augment.translate import markers as mk
from augment.translate.backends import Translator, load_backend
from augment.translate.batching import NUM_BEAMS
from augment.translate.languages import default_model
from augment.translate.models import model_identity, resolve
from augment.translate.plan import plan_translation

_INDEX = "_index"  # input position, kept in the partial file only


def source_text(s: Sentence, method: str, open_marker: str, close_marker: str) -> tuple[str, list[str]]:
    """The string sent to the model and the issues known before translating."""
    spans = _source_spans(s)
    if method == "plain" or not spans:
        return detokenize(s.tokens), []
    if mk.has_marker(s.tokens, open_marker, close_marker):
        return detokenize(s.tokens), ["conflict"]
    return mk.mark_sentence(s.tokens, spans, open_marker, close_marker), []


def _source_spans(s: Sentence):
    return s.spans if s.tags is not None else []


def build_record(s: Sentence, output: str, *, tgt: str, src: str, method: str, open_marker: str,
                 close_marker: str, known_issues: list[str], mt: dict[str, Any]) -> dict[str, Any]:
    """The translation record of one sentence from the model's raw output: a
    :class:`~augment.core.pair.Pair` in its JSONL form (docs/formats.md, "Pair record")."""
    source = Sentence(s.id, list(s.tokens), None if s.tags is None else list(s.tags), s.lang or src)
    if method == "plain" or known_issues:  # known issues: markers not used (source holds marker strings)
        text = " ".join(output.split())
        target = Sentence(s.id, tokenize(text), None, tgt, {"text": text})
        if method == "plain":
            target.meta["mt"] = mt
            return Pair(source, target, "plain").to_dict()
        target.meta.update(marked_text=output, mt=mt)
        return Pair(source, target, "markers", False, [], list(known_issues)).to_dict()
    spans = _source_spans(s)
    parsed = mk.parse_markers(output, [sp.label for sp in spans], open_marker, close_marker,
                              sources=[" ".join(s.tokens[sp.start:sp.end]) for sp in spans])
    tags = spans_to_tags(parsed.spans, len(parsed.tokens), "iob2") if parsed.ok and s.tags is not None else None
    target = Sentence(s.id, parsed.tokens, tags, tgt, {"text": parsed.text, "marked_text": output, "mt": mt})
    return Pair(source, target, "markers", parsed.ok, list(parsed.spans), list(parsed.issues)).to_dict()


def _as_iob2(sentences: list[Sentence]) -> list[Sentence]:
    tagged = [s for s in sentences if s.tags is not None]
    if not tagged:
        return sentences
    scheme = detect_scheme(s.tags for s in tagged)
    if scheme == "iob2":
        return sentences
    return [Sentence(s.id, s.tokens, None if s.tags is None else convert_tags(s.tags, "iob2"), s.lang,
                     s.meta, s.line) for s in sentences]


def make_translator(src: str, tgt: str, *, model: str | None = None, backend: str = "transformers",
                    device: str = "auto", dtype: str = "auto",
                    cache_dir: str | os.PathLike | None = None, force_languages: bool = False) -> Translator:
    """Load a model once for ``src -> tgt`` (reusable across :func:`translate_corpus` calls).

    ``force_languages``: use the model even when its declared languages contradict ``src -> tgt``."""
    spec, tok = resolve(model, src, tgt, force_languages=force_languages)
    translator = load_backend(backend, spec, tok, device=device, dtype=dtype,
                              cache_dir=None if cache_dir is None else str(cache_dir))
    translator.identity = model_identity(spec.model)  # what names the weights, for resume fingerprints
    return translator


def translate_corpus(
    sentences: Iterable[Sentence],
    *,
    src: str,
    tgt: str,
    model: str | None = None,
    backend: str | Translator = "transformers",
    method: str = "markers",
    open_marker: str = mk.DEFAULT_OPEN,
    close_marker: str = mk.DEFAULT_CLOSE,
    num_beams: int = NUM_BEAMS,
    batch_size: int | None = None,
    max_batch_tokens: int | None = None,
    device: str = "auto",
    dtype: str = "auto",
    seed: int = 0,
    limit: int | None = None,
    out_path: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    show_progress: bool = True,
    force_languages: bool = False,
    fresh: bool = False,
) -> list[dict[str, Any]]:
    """Translate ``sentences`` from ``src`` to ``tgt``; return one record per sentence, in order.

    ``model``: hub name or local path (default: the pair's default, see
    :func:`augment.translate.languages.default_model`). ``backend``: ``"transformers"``,
    ``"ctranslate2"`` or a ready :class:`Translator`. ``method``: ``"markers"`` (carry entities
    across with markers) or ``"plain"``. With ``out_path`` the run is resumable (finished batches
    are kept beside it; a rerun with the same arguments continues) and the final JSONL file is
    written atomically; ``fresh`` discards an interrupted run's finished batches instead of resuming
    them (``--force``). ``force_languages``: see :func:`make_translator`.
    """
    from augment.core.progress import progress
    from augment.core.seed import set_seed

    if method not in mk.METHODS:
        raise ConfigError(f"unknown method '{method}'; known: {', '.join(mk.METHODS)}")
    if num_beams < 1:
        raise ConfigError("--num-beams must be at least 1")
    for name, value in (("--batch-size", batch_size), ("--max-batch-tokens", max_batch_tokens), ("--limit", limit)):
        if value is not None and value < 1:
            raise ConfigError(f"{name} must be at least 1")
    mk.check_markers(open_marker, close_marker)
    sentences = list(sentences)[:limit] if limit is not None else list(sentences)
    if not sentences:
        raise DataError("no sentences to translate")
    sentences = _as_iob2(sentences)
    if isinstance(backend, str):  # an unreachable hub model fails here, before torch is imported
        preflight(model or default_model(src, tgt), "model")
    set_seed(seed)

    if isinstance(backend, str):
        translator = make_translator(src, tgt, model=model, backend=backend, device=device, dtype=dtype,
                                     cache_dir=cache_dir, force_languages=force_languages)
    else:
        translator = backend
    identity = getattr(translator, "identity", None) or {"object": translator.info()}
    mt = {**translator.info(), "num_beams": num_beams, "batch_size": batch_size,
          "max_batch_tokens": max_batch_tokens, "method": method}

    inputs = [source_text(s, method, open_marker, close_marker) for s in sentences]
    plan = plan_translation(translator, inputs, method, open_marker, close_marker, max_batch_tokens, batch_size)
    pieces, long_how, units, batches = plan.pieces, plan.long_how, plan.units(), plan.unit_batches()

    out = None
    if out_path is not None:
        run = {"sentences": [s.to_dict() for s in sentences], "src": src, "tgt": tgt, "model": identity,
               "mt": mt, "markers": [open_marker, close_marker], "seed": seed}
        out = ResumableOutput(out_path, fingerprint(run), fresh=fresh,
                              check=_record_check(sentences, pieces, long_how, method))
        out.start()
    finished: dict[int, dict[str, Any]] = {}
    if out is not None:
        finished = {r[_INDEX]: r for r in out.records()}

    if show_progress:
        bar = progress(total=len(sentences), desc="translate", unit="sent")
    else:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(sentences), disable=True)
    bar.update(len(finished))
    done: dict[int, list[str | None]] = {}  # piece outputs of sentences not finished yet
    try:
        for batch in batches:
            if all(units[u][0] in finished for u in batch):
                continue
            # a batch is always translated whole, so a resumed run decodes exactly the same batches
            outputs = translator.translate([pieces[units[u][0]][units[u][1]] for u in batch], num_beams=num_beams)
            new = []
            for u, text in zip(batch, outputs):
                i, k = units[u]
                if i in finished:
                    continue
                got = done.setdefault(i, [None] * len(pieces[i]))
                got[k] = text
                if any(t is None for t in got):
                    continue
                rec = build_record(sentences[i], " ".join(got), tgt=tgt, src=src, method=method,  # type: ignore[arg-type]
                                   open_marker=open_marker, close_marker=close_marker,
                                   known_issues=inputs[i][1], mt=mt)
                if long_how[i]:
                    rec["long_input"] = long_how[i]
                    rec["pieces"] = len(pieces[i])
                finished[i] = {**rec, _INDEX: i}
                del done[i]
                new.append(finished[i])
            if out is not None and new:
                out.append(new)
            bar.update(len(new))
    finally:
        bar.close()

    records = [{k: v for k, v in finished[i].items() if k != _INDEX} for i in range(len(sentences))]
    if out is not None:
        def write_final(_partial: list[dict[str, Any]]) -> None:
            write_records(records, out_path)

        out.finish(write_final)
    return records


def _record_check(sentences: list[Sentence], pieces: list[list[str]], long_how: list[str], method: str):
    """The check of a resumed translation record, field by field against what this run reads back:
    ``_index`` a sentence of this run, a pair record exactly as :func:`build_record` writes it,
    whose source is that sentence, and the long-input fields of that sentence's plan."""

    def check(_n: int, rec: dict[str, Any]) -> str | None:
        i = rec.get(_INDEX)
        if type(i) is not int or not 0 <= i < len(sentences):
            return f"'{_INDEX}' is not the position of a sentence of this run"
        body = {k: v for k, v in rec.items() if k not in (_INDEX, "long_input", "pieces")}
        try:
            pair = Pair.from_dict(body)
            same = pair.to_dict() == body
        except (XnerError, ValueError, TypeError, KeyError, AttributeError, IndexError):
            same = False
        if not same:
            return "not a translation record as this stage writes it"
        if pair.source.tokens != sentences[i].tokens or pair.method != method:
            return f"its source is not sentence {i} of this run"
        long = (long_how[i], len(pieces[i])) if long_how[i] else (None, None)
        if (rec.get("long_input"), rec.get("pieces")) != long:
            return "'long_input'/'pieces' are not this sentence's"
        return None

    return check


def write_records(records: list[dict[str, Any]], path: str | os.PathLike) -> None:
    """Write translation records as JSONL, atomically (through the one pair writer)."""
    write_pairs([Pair.from_dict(r, path, index=k) for k, r in enumerate(records)], path)


def summary(records: list[dict[str, Any]]) -> dict[str, int]:
    """Counts for the CLI: sentences, marker sentences, intact ones, each issue, the inputs too
    long for the model (``long_split``: split into pieces, ``long_truncated``: cut), and marker
    survival per sentence with entities and per entity (:class:`markers.MarkerSurvival` counts,
    prefixed ``survival_``). ``markers_ok`` counts sentences without entities too: not a rate."""
    from augment.translate.markers import record_survival

    counts = {"sentences": len(records), "markers": 0, "markers_ok": 0, "long_split": 0, "long_truncated": 0,
              **{f"survival_{k}": v for k, v in record_survival(records).counts().items()}}
    for r in records:
        if r.get("long_input"):
            counts["long_" + r["long_input"]] += 1
        if r.get("method") == "markers":
            counts["markers"] += 1
            counts["markers_ok"] += bool(r.get("markers_ok"))
            for issue in r.get("marker_issues", []):
                counts[issue] = counts.get(issue, 0) + 1
    return counts
