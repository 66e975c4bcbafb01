"""Golden outcomes of ingest: what it makes of the bad-file corpus (tests/data/bad/) and of every
preset's round trip of a small demo store, saved as JSON under tests/data/golden/ before the parser
was made column-wise; tests/ingest/test_golden.py holds every later parser to them.

An outcome is the whole of what a user sees and the warehouse keeps: the refusal's message, or the
accounting, each rejected line's reason, the rejects file, and every row written (by digest for a
round trip, whole for a corpus file).

    python -m tests.ingest.golden        # write them again (only when a change of behaviour is meant)
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

from storeops import config, demo, ingest, schema, warehouse
from storeops.ingest import export, presets
from tests.conftest import ROOT, write_config

BAD = ROOT / "tests" / "data" / "bad"
GOLDEN = ROOT / "tests" / "data" / "golden"


def project(root: Path) -> config.Config:
    write_config(root)
    shutil.copytree(ROOT / "params" / "sources", root / "params" / "sources")
    return config.load(root / "params" / "store.yaml")


def _rows(con, name: str) -> list[list]:
    key = ", ".join(f'"{k}"' for k in schema.table(name).key)
    return json.loads(json.dumps(con.con.sql(f'SELECT * FROM "{name}" ORDER BY {key}').fetchall(), default=_text))


def _text(v) -> str:
    """A value as the outcome records it: an amount by its value, whatever decimals its column keeps
    (a line's 161.10 is "161.10" in a DECIMAL(18,6) column as in a DECIMAL(18,2) one; 0.0085 stays)."""
    return export.amount_text(v) if isinstance(v, Decimal) else str(v)


def outcome(cfg: config.Config, path: Path, *, before: list[Path] = (), whole: bool = True) -> dict:
    """What ingesting ``path`` into ``cfg``'s (new) warehouse gives, after loading ``before``."""
    if before:
        ingest.ingest_paths(cfg, list(before))
    done, refused = ingest.ingest_paths(cfg, [path])
    if refused:
        return {"refused": str(refused[0]).replace(str(path), path.name)}
    (r,) = done
    out = {"preset": r.preset, "detected": r.detected, "read": r.rows_read, "accepted": r.rows_accepted,
           "rejected": r.rows_rejected, "reasons": [list(x) for x in r.reasons], "written": r.written,
           "rejects": r.rejects.read_text(encoding="utf-8-sig").splitlines() if r.rejects else None, "tables": {}}
    con = warehouse.connect(cfg, read_only=True)
    try:
        for name in r.written:
            rows = _rows(con, name)
            out["tables"][name] = rows if whole else {
                "rows": len(rows), "first": rows[:2],
                "sha256": hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()}
    finally:
        con.disconnect()
    return out


def corpus() -> list[Path]:
    return sorted(BAD.iterdir())


def round_trips() -> list[str]:
    return sorted(presets.all_presets(ROOT))


def demo_exports(root: Path) -> dict[str, Path]:
    """A 40-day demo store written in every preset's format (as tests/ingest/test_ingest.py's round trip)."""
    cfg = project(root / "demo")
    con = warehouse.connect(cfg, create=True)
    try:
        demo.generate(con, days=40, seed=5, end=_dt.date(2026, 11, 26))
        return {name: export.write(p, con, root / "exports" / name, cfg.timezone)
                for name, p in presets.all_presets(ROOT).items()}
    finally:
        con.disconnect()


def round_trip(root: Path, exports: dict[str, Path], name: str) -> dict:
    p = presets.all_presets(ROOT)[name]
    before = [exports["canonical_orders"]] if "order_items" in p.tables and "orders" not in p.tables else []
    return outcome(project(root / name), exports[name], before=before, whole=False)


def path_of(kind: str, name: str) -> Path:
    return GOLDEN / kind / f"{name}.json"


def save(kind: str, name: str, value: dict) -> None:
    p = path_of(kind, name)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(tmp: Path) -> None:
    for f in corpus():
        save("corpus", f.name, outcome(project(tmp / "corpus" / f.name), f))
    exports = demo_exports(tmp)
    for name in round_trips():
        save("round_trip", name, round_trip(tmp, exports, name))


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        main(Path(d))
    print(f"wrote {GOLDEN}", file=sys.stderr)
