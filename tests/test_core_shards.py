"""The core's shard executor: resume state a killed sharded run left (a shard's summary and
positions, the merge record) is checked before reuse; a damaged file is one warning and that part
is redone, never a KeyError, and the merged bytes are those of one unsharded run."""

from __future__ import annotations

import json
from pathlib import Path

from augment.core.shards import Sharding, Work, run_sharded

STOP_AT: list[int] = []  # a shard whose first line is one of these raises KeyboardInterrupt (a kill)


def upper(inputs, settings, out: Path) -> dict:
    """The work: each line upper-cased into out/lines.jsonl; counts the lines."""
    lines = Path(inputs["text"]).read_text("utf-8").splitlines(keepends=True)
    if lines and json.loads(lines[0])["i"] in STOP_AT:
        raise KeyboardInterrupt
    (out / "lines.jsonl").write_text("".join(ln.upper() for ln in lines), "utf-8")
    return {"lines": len(lines)}


def reversed_batches(inputs, settings):
    """A batch plan of pairs of sentences, last first (so shards are not input order)."""
    n = len(Path(inputs["text"]).read_text("utf-8").splitlines())
    return [[i, i + 1] if i + 1 < n else [i] for i in range(n - 1 - (n - 1) % 2, -1, -2)]


WORK = Work("upper", f"{__name__}:upper", {"lines": "lines.jsonl"},
            Sharding({"text": "lines"}, order=reversed_batches))


def test_core_shards_damaged_resume_state_is_redone(tmp_path, caplog):
    text = tmp_path / "in.jsonl"
    text.write_text("".join(json.dumps({"i": i, "t": f"line {i}"}) + "\n" for i in range(12)), "utf-8")
    one = tmp_path / "one" / "out"
    one.mkdir(parents=True)
    assert run_sharded(WORK, {"text": text}, {}, one, 1) == {"lines": 12}
    out = tmp_path / "run" / "out"
    out.mkdir(parents=True)
    STOP_AT[:] = [0]  # the last shard (sentences 0-3 in this plan) is killed
    try:
        run_sharded(WORK, {"text": text}, {}, out, 3)
    except KeyboardInterrupt:
        pass
    staging = tmp_path / "run" / "shards"
    assert sorted(p.parent.name for p in staging.glob("*/summary.json")) == ["000-of-003", "001-of-003"]
    (staging / "000-of-003" / "summary.json").write_text("[]")  # valid JSON, wrong shape
    (staging / "001-of-003" / "positions.json").write_text('{"a": 1}')
    STOP_AT[:] = []
    caplog.clear()
    assert run_sharded(WORK, {"text": text}, {}, out, 3) == {"lines": 12}
    assert len([r for r in caplog.records if "damaged resume state" in r.getMessage()]) == 2
    assert (out / "lines.jsonl").read_bytes() == (one / "lines.jsonl").read_bytes()
    (tmp_path / "run" / "shards.json").write_text('{"summary": 3}')  # the merge record
    caplog.clear()
    assert run_sharded(WORK, {"text": text}, {}, out, 3) == {"lines": 12}
    assert len([r for r in caplog.records if "damaged resume state" in r.getMessage()]) == 1
    assert (out / "lines.jsonl").read_bytes() == (one / "lines.jsonl").read_bytes()
