"""The sales plan as files the general manager may edit: ``params/targets/<YYYY-MM>.csv``, one row
per day (date, weekday, ISO week, gmv_target). The monthly review and ``storeops plan`` write them;
the daily and weekly take their targets from them (metrics.plan.day_targets), before the month
target of the warehouse's ``targets`` table.

>>> write(cfg, month, plan.split(total, plan.seasonal_weights(t, month, festivals(cfg))))  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import datetime as _dt
import decimal
import io
from pathlib import Path

import pandas as pd

from storeops.config import Config
from storeops.errors import ConfigError
from storeops.periods import Period

COLUMNS = ("date", "weekday", "week", "gmv_target")
WEEKDAYS = "Mon Tue Wed Thu Fri Sat Sun".split()


def folder(cfg: Config) -> Path:
    return cfg.root / "params" / "targets"


def path(cfg: Config, month: _dt.date) -> Path:
    return folder(cfg) / f"{month:%Y-%m}.csv"


def festivals(cfg: Config) -> dict | None:
    return (cfg.raw.get("calendar") or {}).get("festivals")


def write(cfg: Config, month: _dt.date, days: pd.Series) -> Path:
    """Write a month's daily targets (a Series of Decimal indexed by date) as its plan file."""
    from storeops.publish import files

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for d, v in days.items():
        y, wk, _ = d.isocalendar()
        w.writerow([d.isoformat(), WEEKDAYS[d.weekday()], f"{y}-W{wk:02d}", f"{decimal.Decimal(v):.2f}"])
    p = path(cfg, month)
    p.parent.mkdir(parents=True, exist_ok=True)
    files.write(p, out.getvalue())
    return p


class Plans(dict):
    """The plan files of a store folder, read when a month is asked for: a report reads only the
    months it shows, so a stray or broken file for another month never stops it."""

    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg

    def __missing__(self, month: _dt.date) -> pd.Series:
        days = self._read(month)
        if days is None:
            raise KeyError(month)
        return days

    def __contains__(self, month: object) -> bool:
        return isinstance(month, _dt.date) and self._read(month) is not None

    def _read(self, month: _dt.date) -> pd.Series | None:
        start = month.replace(day=1)
        if dict.__contains__(self, start):
            return dict.__getitem__(self, start)
        p = path(self.cfg, start)
        if not p.is_file():
            return None
        days = read(p)[start]
        self[start] = days
        return days


def load(cfg: Config) -> Plans:
    """The store's plan files (:class:`Plans`), each read when first asked for."""
    return Plans(cfg)


def read(p: Path) -> dict[_dt.date, pd.Series]:
    try:
        month = Period.parse(p.stem)
    except ValueError:
        raise ConfigError(f"{p}: a plan file is named for its month, e.g. 2026-12.csv") from None
    if month.kind != "month":
        raise ConfigError(f"{p}: a plan file is named for its month, e.g. 2026-12.csv")
    try:
        rows = list(csv.DictReader(p.open(encoding="utf-8-sig", newline="")))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{p}: cannot be read as UTF-8 CSV ({e})") from None
    if not rows or "date" not in rows[0] or "gmv_target" not in rows[0]:
        raise ConfigError(f"{p}: expected the columns date and gmv_target (as `storeops plan` writes them)")
    days: dict[_dt.date, decimal.Decimal] = {}
    for n, r in enumerate(rows, start=2):
        d = _date((r["date"] or "").strip())
        if d is None:
            raise ConfigError(f"{p}: row {n}, column date: expected a date YYYY-MM-DD, found {r['date']!r}")
        if not month.start <= d <= month.end or d in days:
            raise ConfigError(f"{p}: row {n}, column date: {d} is {'repeated' if d in days else 'not in ' + p.stem}")
        try:
            v = decimal.Decimal((r["gmv_target"] or "").strip().replace(",", ""))
        except decimal.InvalidOperation:
            v = None
        if v is None or not v.is_finite() or v < 0 or v != v.quantize(decimal.Decimal("0.01")):
            raise ConfigError(f"{p}: row {n}, column gmv_target: expected an amount ≥ 0 with at most 2 decimals, "
                              f"found {r['gmv_target']!r}")
        days[d] = v
    missing = [d for d in month.dates() if d not in days]
    if missing:
        raise ConfigError(f"{p}: no row for {', '.join(f'{d:%m-%d}' for d in missing[:5])}"
                          f"{' …' if len(missing) > 5 else ''}: a plan covers every day of its month")
    return {month.start: pd.Series([days[d] for d in month.dates()], index=month.dates())}


def make(cfg: Config, month: _dt.date, total: decimal.Decimal | None = None, force: bool = False) -> Path:
    """Write the plan file of ``month``: ``total`` (default: the month target of the warehouse's
    ``targets`` table) split into days by seasonal weight (metrics.plan), to the cent. A file that
    exists is the GM's to edit: it is replaced only with ``force``."""
    from storeops import warehouse
    from storeops.metrics import plan

    start = month.replace(day=1)
    p = path(cfg, start)
    if p.exists() and not force:
        raise ConfigError(f"{p} exists (it may hold your edits): give --force to write it again")
    con = warehouse.connect(cfg, read_only=True)
    try:
        t = warehouse.Tables(con)
        total = total if total is not None else plan.month_target(t, start)
        if total is None:
            raise ConfigError(f"no target for {start:%Y-%m}: give --target, or load the month's target into the "
                              f"targets table")
        return write(cfg, start, plan.split(total, plan.seasonal_weights(t, start, festivals(cfg), cfg.calendar)))
    finally:
        con.disconnect()


def make_quarter(cfg: Config, quarter: str, total: decimal.Decimal, force: bool = False) -> list[Path]:
    """A quarter's target (``2027-Q1``) into its months (metrics.plan.quarter_split), each month's
    plan file as :func:`make` writes it."""
    from storeops import warehouse
    from storeops.metrics import plan

    try:
        year, q = quarter.upper().split("-Q")
        first = _dt.date(int(year), 3 * int(q) - 2, 1)
        if not 1 <= int(q) <= 4:
            raise ValueError
    except ValueError:
        raise ConfigError(f"{quarter!r} is no quarter: expected e.g. 2027-Q1") from None
    con = warehouse.connect(cfg, read_only=True)
    try:
        months = plan.quarter_split(warehouse.Tables(con), first, total, cfg.calendar)
    finally:
        con.disconnect()
    taken = [path(cfg, m) for m in months if path(cfg, m).exists()]
    if taken and not force:
        raise ConfigError(f"{taken[0]} exists (it may hold your edits): give --force to write it again")
    return [make(cfg, m, v, force=True) for m, v in months.items()]


def _date(text: str) -> _dt.date | None:
    """A date as a person or Excel writes it back: 2026-11-05, 2026/11/5, 2026.11.5."""
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
