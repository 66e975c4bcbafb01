"""The group's settings, ``params/group.yaml`` in a group folder: which store folders it adds up, the
reporting currency and the exchange rates to it, and the company's sales for the online share.

A group folder is laid out like a store folder (params/, reports/) and its :class:`GroupConfig` is a
:class:`~storeops.config.Config`, so the runner, the mail and the archive serve it as they serve a
store; it has no warehouse of its own: each store keeps its own, read in place.

>>> cfg = load("group/params/group.yaml")   # doctest: +SKIP
>>> [m.cfg.currency for m in cfg.members], cfg.rates.rate("USD", date(2026, 11, 1))
(['CNY', 'CNY', 'USD'], Decimal('7.12'))
"""

from __future__ import annotations

import csv
import datetime as _dt
import decimal
from dataclasses import dataclass, field
from pathlib import Path

from storeops import config as _config
from storeops.config import Config
from storeops.errors import ConfigError

DEFAULT = Path("params/group.yaml")


@dataclass(frozen=True)
class Member:
    """A store of the group: its folder's settings, and the platform the drivers group it under."""

    cfg: Config
    platform: str

    @property
    def key(self) -> str:
        """The store's folder name: how the group's tables and summary name it."""
        return self.cfg.root.name


@dataclass(frozen=True)
class Rates:
    """Exchange rates to the reporting currency: by month (the rates file) or one per currency."""

    currency: str
    fixed: dict[str, decimal.Decimal] = field(default_factory=dict)
    monthly: dict[tuple[str, str], decimal.Decimal] = field(default_factory=dict)  # (YYYY-MM, currency) → rate
    source: str = ""

    def rate(self, currency: str, month: _dt.date) -> decimal.Decimal:
        """Units of the reporting currency for one ``currency`` in ``month``; none stated is refused,
        naming the currency and month (a figure converted at a guessed rate is a wrong figure)."""
        if currency == self.currency:
            return decimal.Decimal(1)
        found = self.monthly.get((f"{month:%Y-%m}", currency), self.fixed.get(currency))
        if found is None:
            raise ConfigError(f"{self.source}: no exchange rate for {currency} in {month:%Y-%m}: add "
                              f"{month:%Y-%m},{currency},<rate> to the rates file or rates.{currency} to group.yaml")
        return found


@dataclass(frozen=True)
class GroupConfig(Config):
    members: tuple[Member, ...] = ()
    rates: Rates = Rates("CNY")

    def today(self) -> _dt.date:
        """The group's today: the earliest of its stores' (a store behind in time has not finished
        the day a store ahead has: the group's yesterday is a day every store has ended)."""
        return min(m.cfg.today() for m in self.members)


def find(start: Path | None = None) -> Path:
    """The nearest ``params/group.yaml`` from ``start`` upwards."""
    return _config.find_config(start, DEFAULT, ": give --group DIR")


def path_of(where: str | Path | None) -> Path:
    """group.yaml from a group folder, the file itself, or (None) the nearest one."""
    if where is None:
        return find()
    p = Path(where)
    return p / DEFAULT if p.is_dir() else p


def load(where: str | Path | None = None) -> GroupConfig:
    """Read a group's settings and each of its stores' (a store's settings refused stops the group,
    naming the store's file). Money is written in the reporting currency from here on."""
    from storeops import settings
    from storeops.present import formats

    p = path_of(where)
    raw = _config.read_yaml(p, "group settings")
    settings.check(raw, settings.GroupSettings, p)
    p = p.resolve()
    root = p.parent.parent if p.parent.name == "params" else p.parent
    g = raw.get("group") or {}
    try:
        currency = formats.check_currency(g.get("currency", "CNY"))
    except ValueError as e:
        raise ConfigError(f"{p}: group.currency {e}") from None
    tz = g.get("timezone", "Asia/Shanghai")
    try:
        _config.ZoneInfo(tz)
    except Exception:
        raise ConfigError(f"{p}: group.timezone {tz!r} is not an IANA timezone") from None
    members, seen = [], {}
    for i, m in enumerate(raw["stores"]):
        folder = Path(m["folder"])
        folder = (folder if folder.is_absolute() else root / folder).resolve()
        cfg = _config.load(folder / "params" / "store.yaml")
        if cfg.warehouse_url.startswith("pyspark"):  # one Spark session a process: no two stores side by side yet
            raise ConfigError(f"{p}: stores[{i}] ({folder}) reads Spark; the group review reads DuckDB and other "
                              f"ibis warehouses, not Spark yet")
        if cfg.root.name in seen:
            raise ConfigError(f"{p}: stores[{i}] ({folder}) has the folder name of {seen[cfg.root.name]}: the group "
                              f"names a store by its folder, so each must be different")
        seen[cfg.root.name] = folder
        members.append(Member(cfg, m.get("platform") or (cfg.raw.get("store") or {}).get("platform") or "—"))
    if not members:
        raise ConfigError(f"{p}: stores lists no store folder")
    rates = Rates(currency, {c.upper(): _rate(v, p, f"rates.{c}") for c, v in (raw.get("rates") or {}).items()},
                  source=str(p))
    if raw.get("rates_file"):
        rates = Rates(currency, rates.fixed, _rates_file(root / raw["rates_file"]), f"{p} ({raw['rates_file']})")
    formats.set_currency(currency)  # the stores' settings set theirs: the group writes money in its own
    reports = Path((raw.get("reports") or {}).get("dir", "reports"))
    return GroupConfig(
        path=p, root=root, store_name=g.get("name", "storeops"), store_name_en=g.get("name_en", g.get("name", "storeops")),
        currency=currency, timezone=tz, language=g.get("language", "zh"), warehouse_url="",
        reports_dir=reports if reports.is_absolute() else root / reports, raw=raw,
        members=tuple(members), rates=rates)


def _rate(v, p: Path, where: str) -> decimal.Decimal:
    try:
        r = decimal.Decimal(str(v).strip())
    except decimal.InvalidOperation:
        r = decimal.Decimal(-1)
    if not r.is_finite() or r <= 0:
        raise ConfigError(f"{p}: {where}: expected a rate above 0, not {v!r}")
    return r


def _rates_file(p: Path) -> dict[tuple[str, str], decimal.Decimal]:
    """month,currency,rate rows; a bad row is refused naming its line."""
    if not p.is_file():
        raise ConfigError(f"{p}: rates file not found")
    out = {}
    with p.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        head = [h.strip().lower() for h in next(rows, [])]
        if head != ["month", "currency", "rate"]:
            raise ConfigError(f"{p}:1: expected the header month,currency,rate, found {','.join(head)}")
        for line, row in enumerate(rows, start=2):
            if not any(c.strip() for c in row):
                continue
            if len(row) != 3:
                raise ConfigError(f"{p}:{line}: expected month,currency,rate, found {len(row)} values")
            month, cur, rate = (c.strip() for c in row)
            try:
                _dt.datetime.strptime(month, "%Y-%m")
            except ValueError:
                raise ConfigError(f"{p}:{line}: month: expected YYYY-MM, not {month!r}") from None
            out[(month, cur.upper())] = _rate(rate, p, f"line {line}: rate")
    return out
