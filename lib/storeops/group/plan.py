"""``storeops plan --group DIR --month M --target X``: the group's month target split to its stores,
then each store's to its days as ``storeops plan`` does (storeops.targets).

The split is written first to ``params/targets/group-<YYYY-MM>.csv`` in the group folder (one row
per store: last year's month, this year's trend, the share and the target in the reporting
currency), a file the general manager may edit: ``storeops plan --group DIR --month M`` without
``--target`` writes the stores' plan files from it as edited. A store's target is converted to its
own currency at the month's rate.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from storeops import targets, warehouse
from storeops.errors import ConfigError
from storeops.group.config import GroupConfig
from storeops.metrics import group as _g
from storeops.metrics import plan as _plan
from storeops.metrics import sales
from storeops.metrics.base import evaluate
from storeops.periods import Period

COLUMNS = ("store", "name", "currency", "last_year", "trend", "share", "target", "rate", "target_local")


def path(cfg: GroupConfig, month: _dt.date) -> Path:
    return cfg.root / "params" / "targets" / f"group-{month:%Y-%m}.csv"


def _month(month: _dt.date, back: int) -> Period:
    m = month.year * 12 + month.month - 1 - back
    return Period.month_of(_dt.date(m // 12, m % 12 + 1, 1))


def history(cfg: GroupConfig, month: _dt.date) -> list[dict]:
    """Per store, in the reporting currency (each month at its rate): the same month last year, the 3
    months before ``month`` and those 3 a year earlier; None for months before the store's data
    began (a store that opened in between has no year to compare, not a year of zeros), and how many
    of the 3 recent months' days it had data."""
    out = []
    for m in cfg.members:
        con = warehouse.connect(m.cfg, read_only=True)
        try:
            t = warehouse.Tables(con)
            first = t.orders.created_at.min().execute()
            first = None if first is None or pd.isna(first) else pd.Timestamp(first).date()

            def paid(*back: int, whole: bool = True) -> Decimal | None:
                """Σ paid in the months ``back`` months before; None if ``whole`` and the data begins after."""
                ps = [_month(month, k) for k in back]
                if first is None or (whole and first > ps[-1].start):
                    return None
                vals = evaluate({str(i): sales.paid_amount(t, p) for i, p in enumerate(ps)})
                return sum((_g.money(v, cfg.rates.rate(m.cfg.currency, p.start)) if v else Decimal(0)  # no sale: no rate
                            for p, v in zip(ps, vals.values())), Decimal(0))

            recent = [_month(month, k) for k in (1, 2, 3)]
            days = sum(max(0, (p.end - max(p.start, first)).days + 1) for p in recent) if first else 0
            out.append({"store": m.key, "name": m.cfg.name(cfg.language), "currency": m.cfg.currency,
                        "last_year": paid(12), "recent": paid(1, 2, 3, whole=False) or Decimal(0),
                        "recent_days": days, "recent_before": paid(13, 14, 15)})
        finally:
            con.disconnect()
    return out


def proposal(cfg: GroupConfig, month: _dt.date, total: Decimal) -> list[dict]:
    """The group's ``total`` split to stores by last year's share and this year's trend
    (metrics.group.plan_weight), to the cent, and each converted to the store's currency."""
    rows = history(cfg, month)
    month_days = Period.month_of(month).days
    weights = [_g.plan_weight(r["last_year"], r["recent"], r["recent_before"], r["recent_days"], month_days)
               for r in rows]
    if not sum(w for w, _ in weights):
        raise ConfigError(f"no store of {cfg.path} sold in the months a plan for {month:%Y-%m} is split by")
    split = _plan.split(total, pd.Series([float(w) for w, _ in weights]))
    for r, (w, trend), tgt in zip(rows, weights, split):
        r.update(trend=trend, share=float(w) / float(sum(x for x, _ in weights)), target=tgt)
    return _local(cfg, month, rows)


def _local(cfg: GroupConfig, month: _dt.date, rows: list[dict]) -> list[dict]:
    for r in rows:
        r["rate"] = cfg.rates.rate(r["currency"], month)
        r["target_local"] = (r["target"] / r["rate"]).quantize(_g.CENT, ROUND_HALF_UP)
    return rows


def write(p: Path, rows: list[dict]) -> Path:
    from storeops.publish import files

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r["store"], r["name"], r["currency"], "" if r["last_year"] is None else f"{r['last_year']:.2f}",
                    "" if r["trend"] is None else f"{r['trend']:.4f}", f"{r['share']:.4f}", f"{r['target']:.2f}",
                    r["rate"], f"{r['target_local']:.2f}"])
    p.parent.mkdir(parents=True, exist_ok=True)
    files.write(p, out.getvalue())
    return p


def read(cfg: GroupConfig, month: _dt.date) -> list[dict]:
    """The split as the general manager left it: each store's ``target`` column (reporting currency)."""
    p = path(cfg, month)
    if not p.is_file():
        raise ConfigError(f"{p} not found: give --target to split the group's target for {month:%Y-%m}")
    known = {m.key: m for m in cfg.members}
    rows = []
    with p.open(encoding="utf-8-sig", newline="") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            if r.get("store") not in known:
                raise ConfigError(f"{p}:{line}: store: expected one of {', '.join(known)}, not {r.get('store')!r}")
            try:
                target = Decimal((r.get("target") or "").replace(",", "").strip())
                if not target.is_finite() or target < 0:
                    raise InvalidOperation
            except InvalidOperation:
                raise ConfigError(f"{p}:{line}: target: expected an amount, not {r.get('target')!r}") from None
            m = known[r["store"]]
            rows.append({"store": m.key, "currency": m.cfg.currency, "target": target.quantize(_g.CENT)})
    missing = set(known) - {r["store"] for r in rows}
    if missing:
        raise ConfigError(f"{p}: no row for {', '.join(sorted(missing))}: a group plan has a target for every store")
    return _local(cfg, month, rows)


def make(cfg: GroupConfig, month: _dt.date, total: Decimal | None = None, force: bool = False) -> list[Path]:
    """Split ``total`` to the stores (or, without it, take the split file as edited) and write each
    store's plan file. Files that exist (the GM's edits) are replaced only with ``force``; nothing is
    written unless all can be."""
    month = month.replace(day=1)
    group_file = path(cfg, month)
    taken = [targets.path(m.cfg, month) for m in cfg.members if targets.path(m.cfg, month).exists()]
    if total is not None and group_file.exists():
        taken.insert(0, group_file)
    if taken and not force:
        raise ConfigError(f"{taken[0]} exists (it may hold your edits): give --force to write it again")
    rows = proposal(cfg, month, total) if total is not None else read(cfg, month)
    written = [write(group_file, rows)] if total is not None else []
    by_key = {m.key: m for m in cfg.members}
    for r in rows:
        written.append(targets.make(by_key[r["store"]].cfg, month, r["target_local"], force=True))
    return written
