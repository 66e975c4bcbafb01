"""Store settings from ``params/store.yaml``: what a store changes without touching code."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml

from storeops.errors import ConfigError
from storeops.periods import ALWAYS_OPEN, Calendar

Lang = Literal["zh", "en"]
DEFAULT_CONFIG = Path("params/store.yaml")


@dataclass(frozen=True)
class Config:
    path: Path
    root: Path
    store_name: str
    store_name_en: str
    currency: str
    timezone: str
    language: Lang
    warehouse_url: str
    reports_dir: Path
    thresholds: dict[str, Any] = field(default_factory=dict)
    #: the trading calendar: closed weekdays and dates (periods.Calendar)
    calendar: Calendar = ALWAYS_OPEN
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def load_url(self) -> str:
        """Where ingest loads: ``warehouse.load`` where the reports read a warehouse it cannot write
        (storeops.spark), else the warehouse itself."""
        return (self.raw.get("warehouse") or {}).get("load", self.warehouse_url)

    def name(self, lang: Lang) -> str:
        return self.store_name if lang == "zh" else self.store_name_en

    def today(self) -> _dt.date:
        """Today in the store's timezone (cron may run in UTC)."""
        return _dt.datetime.now(ZoneInfo(self.timezone)).date()

    def yesterday(self) -> _dt.date:
        return self.today() - _dt.timedelta(days=1)

    def resolve(self, p: str | Path) -> Path:
        p = Path(p)
        return p if p.is_absolute() else self.root / p


def read_yaml(p: Path, what: str) -> dict[str, Any]:
    """A settings file as a dict, or a ConfigError naming the file and the problem."""
    if not p.is_file():
        raise ConfigError(f"{p}: {what} not found")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        # where the problem starts (an unclosed quote's line, not the end of the file it ran to)
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        what = " ".join(str(x) for x in (getattr(e, "context", None), getattr(e, "problem", None)) if x)
        raise ConfigError(f"{p}:{mark.line + 1 if mark else '?'}: not valid YAML: {what or e}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{p}: expected a mapping of settings, found {type(raw).__name__}")
    return raw


def find_config(start: Path | None = None, rel: Path = DEFAULT_CONFIG, hint: str = "") -> Path:
    """The nearest ``params/store.yaml`` (or ``rel``) from ``start`` upwards (a notebook runs in notebooks/)."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / rel).is_file():
            return d / rel
    raise ConfigError(f"no {rel} found in {here} or any folder above it{hint}")


def load(path: str | Path | None = None) -> Config:
    """Read the store settings.

    Relative paths inside the file (warehouse, reports) resolve against the
    project root: the folder that holds ``params/``, so cron can run from anywhere.
    Loading a store's settings makes its currency the one money is written in
    (present.formats: one store per process, whether it runs a review, a mail or the archive).

    >>> cfg = load("params/store.yaml")  # doctest: +SKIP
    >>> cfg.warehouse_url
    'duckdb://data/warehouse.duckdb'
    """
    from storeops import settings

    p = Path(path) if path else find_config()
    raw = read_yaml(p, "config file")
    settings.check(raw, settings.StoreSettings, p)
    p = p.resolve()
    root = p.parent.parent if p.parent.name == "params" else p.parent
    store = raw.get("store") or {}
    lang = store.get("language", "zh")
    if lang not in ("zh", "en"):
        raise ConfigError(f"{p}: store.language must be zh or en, not {lang!r}")
    tz = store.get("timezone", "Asia/Shanghai")
    try:
        ZoneInfo(tz)
    except Exception:
        raise ConfigError(f"{p}: store.timezone {tz!r} is not an IANA timezone") from None
    reports = Path((raw.get("reports") or {}).get("dir", "reports"))
    from storeops.present import formats

    try:
        currency = formats.check_currency(store.get("currency", "CNY"))
    except ValueError as e:
        raise ConfigError(f"{p}: store.currency {e}") from None
    try:
        calendar = Calendar.parse((raw.get("calendar") or {}))
    except ValueError as e:
        raise ConfigError(f"{p}: {e}") from None
    formats.set_currency(currency)  # once the settings are whole: a refused file changes nothing
    return Config(
        path=p,
        root=root,
        store_name=store.get("name", "storeops"),
        store_name_en=store.get("name_en", store.get("name", "storeops")),
        currency=currency,
        timezone=tz,
        language=lang,
        warehouse_url=(raw.get("warehouse") or {}).get("url", "duckdb://data/warehouse.duckdb"),
        reports_dir=reports if reports.is_absolute() else root / reports,
        thresholds=raw.get("thresholds") or {},
        calendar=calendar,
        raw=raw,
    )
