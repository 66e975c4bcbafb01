"""The schema of every settings file (store.yaml, email.yaml): what keys a file may hold, of what
type. A key the schema does not know is a typo until proven otherwise (``timezne: Europe/London``
silently running reports in Shanghai time is the failure this prevents): it is refused with the
file, the line and the closest known key. The README's settings reference is generated from
here (:func:`reference`; a test keeps them in step).

The values' own rules (an IANA timezone, an ISO 4217 currency, a calendar's dates) stay with the
code that reads them (config.load, periods.Calendar, metrics.replenishment.Settings); this says
what may be there at all.
"""

from __future__ import annotations

import difflib
import typing
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, ValidationError

from storeops.errors import ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Scalar = Union[str, int, float]


class Store(_Strict):
    name: str = Field("storeops", description="The store's name in zh reports")
    name_en: str | None = Field(None, description="The store's name in en reports (default: name)")
    platform: str | None = Field(None, description="tmall, taobao, jd, shopify …: for the reader, not read by code")
    currency: str = Field("CNY", description="ISO 4217: the symbol and decimals of every amount")
    timezone: str = Field("Asia/Shanghai", description="IANA timezone: report days are its calendar days")
    language: Literal["zh", "en"] = Field("zh", description="The default report language")


class Spark(_Strict):
    master: str | None = Field(None, description="local[2], spark://host:7077, yarn …")
    tables: str | None = Field(None, description="The Parquet folder ingest publishes the tables to")
    database: str | None = Field(None, description="Or: a catalog database your own pipeline keeps")
    conf: dict[str, Any] = Field({}, description="Any Spark setting, given at session build")


class Warehouse(_Strict):
    url: str = Field("duckdb://data/warehouse.duckdb", description="Any ibis URL the reports read")
    load: str | None = Field(None, description="Where ingest loads, where the reports read Spark")
    spark: Spark | None = Field(None, description="The Spark session (url: pyspark://)")
    backup: str | None = Field(None, description="Where your backup keeps copies of the DuckDB file (a file or "
                                                 "a folder): named, newest whole one first, if it is ever damaged")
    memory_limit: str = Field("1GB", pattern=r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
                              description="The most memory DuckDB takes for a review or a load; past it, work "
                                          "spills to temp_directory instead of failing (1GB: a monthly of 8 million "
                                          "buyers in 1.5 GB, a tenth slower than with 4GB; more on a big machine)")
    temp_directory: str = Field("data/tmp", description="Where DuckDB spills what does not fit (relative to the "
                                                        "store folder)")


class Present(_Strict):
    colours: Literal["market", "outcome"] | None = Field(
        None, description="market: 红涨绿跌; outcome: green when good for the store (default: market in zh)")


class Reports(_Strict):
    dir: str = Field("reports", description="Where reports are published")
    timeout_s: int | dict[str, int] = Field(600, description="The longest one cell may run, or per kind")


class Thresholds(_Strict):
    gross_margin_rate: float | None = Field(None, description="For break-even ROAS (default: from sales)")
    anomaly_margin: float = Field(0.10, description="A KPI is flagged this far beyond its like periods")


class Replenishment(_Strict):
    service_level: dict[Literal["hot", "steady", "slow"], float] = Field(
        {}, description="Per class, for the safety stock's z")
    cover_days: dict[Literal["hot", "steady", "slow"], float] = Field(
        {}, description="Per class, stock to order beyond the lead time")
    lead_time_days: int = Field(15, description="For products without one")
    moq: int = Field(1, description="Minimum order, for products without one")
    case_pack: int = Field(1, description="Units per case, for products without one")
    overstock_days: float = Field(90, description="Slow SKUs with more days of cover are overstock")
    stock_falls_at: Literal["payment", "shipment"] = Field("payment", description="When on_hand falls")
    trust_overdue: bool = Field(False, description="Count overdue purchase orders as stock to come")


class Calendar(_Strict):
    festivals: dict[str, Scalar | list[Any]] = Field(
        {}, description="Name: MM-DD every year, or a list of dates")
    closed_weekdays: list[Scalar] | Scalar | None = Field(None, description="mon … sun, or ISO 1 … 7")
    closed: list[Any] | Any = Field(None, description="Dates and ranges; MM-DD..MM-DD every year")
    hours: tuple[int, int] = Field((9, 23), description="The first and last hour of a trading day `run due "
                                                       "--hourly` checks the pace (store time)")

    @field_validator("hours")
    @classmethod
    def _hours(cls, v: tuple[int, int]) -> tuple[int, int]:
        if not 1 <= v[0] <= v[1] <= 24:
            raise ValueError("the first and last hour, 1 ≤ first ≤ last ≤ 24 (a check at 14 reads to 14:00)")
        return v


class Service(_Strict):
    complaint_kinds: list[str] = Field(["投诉", "质量问题", "complaint"],
                                       description="Ticket kinds (or severities) the pace check treats as serious "
                                                   "complaints")


class Plan(_Strict):
    company_sales: dict[str, float] = Field({}, description="The company's sales by month, for the online share")


class Ingest(_Strict):
    earliest: Any = Field("2000-01-01", description="A date before this is refused")
    latest_days_ahead: int = Field(366, description="A date further ahead than this is refused")


class StoreSettings(_Strict):
    """params/store.yaml"""

    store: Store = Store()
    warehouse: Warehouse = Warehouse()
    present: Present = Present()
    reports: Reports = Reports()
    thresholds: Thresholds = Thresholds()
    replenishment: Replenishment = Replenishment()
    calendar: Calendar = Calendar()
    service: Service = Service()
    plan: Plan = Plan()
    ingest: Ingest = Ingest()


class Group(_Strict):
    name: str = Field("storeops", description="The group's name in zh reports")
    name_en: str | None = Field(None, description="The group's name in en reports (default: name)")
    currency: str = Field("CNY", description="ISO 4217: the reporting currency every store's money is converted to")
    timezone: str = Field("Asia/Shanghai", description="IANA timezone of the group's schedule (each store keeps "
                                                       "its own business day)")
    language: Literal["zh", "en"] = Field("zh", description="The default report language")


class Member(_Strict):
    folder: str = Field(description="A store folder (storeops init), relative to the group folder")
    platform: str | None = Field(None, description="tmall, jd, shopify …: how the drivers group stores "
                                                   "(default: the store's store.platform)")


class GroupSettings(_Strict):
    """params/group.yaml"""

    group: Group = Group()
    stores: list[Member] = Field(description="The stores the group adds up, each a folder with its own settings")
    rates: dict[str, float] = Field({}, description="Units of the reporting currency for 1 unit of a store's "
                                                    "currency, for every month ({USD: 7.12})")
    rates_file: str | None = Field(None, description="Or by month: a CSV of month,currency,rate (2026-11,USD,7.12); "
                                                     "a month's row wins over rates")
    plan: Plan = Plan()
    reports: Reports = Reports()


class Smtp(_Strict):
    host: str = Field("localhost", description="The SMTP server")
    port: int = Field(25, description="Its port")
    tls: Literal["none", "starttls", "ssl"] = Field("none", description="none, starttls or ssl")
    user: str | None = Field(None, description="Login user, if the server wants one")
    password_env: str = Field("STOREOPS_SMTP_PASSWORD", description="The environment variable with the password")


class Retry(_Strict):
    attempts: int = Field(3, description="Tries per send")
    wait_s: float = Field(5, description="Seconds before the second try, doubling after")


class EmailSettings(_Strict):
    """params/email.yaml"""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    smtp: Smtp = Smtp()
    sender: str | None = Field(None, alias="from", description="The sender address (required to send)")
    recipients: dict[Literal["daily", "weekly", "replenishment", "monthly", "group-daily", "group-weekly",
                             "group-monthly"], list[str] | None] = Field(
        {}, description="Per review, who gets it")
    ops: list[str] = Field([], description="Who hears of a failed run")
    retry: Retry = Retry()


class AlertRules(_Strict):
    below_interval: bool = Field(True, description="The projected day below the weakest like day's total")
    sell_out: Literal["hot", "any", "off"] = Field("hot", description="A SKU of this class selling out today")
    ad_pace_pct: float | None = Field(30, ge=0, description="Ad spend this many % over or under its pace")
    roas_min_spend: float | None = Field(200, ge=0, description="A campaign below break-even ROAS after this "
                                                                "spend today")
    complaint_hours: float | None = Field(2, ge=0, description="A serious complaint open this many hours")
    ticket_hours_left: float = Field(4, ge=0, description="Tickets this close to 24 h are shown as nearing it")
    ship_hours: float | None = Field(6, ge=0, description="Orders this close to missing 72 h")

    @field_validator("sell_out", mode="before")
    @classmethod
    def _off(cls, v: Any) -> Any:
        return "off" if v is False else v  # YAML reads an unquoted off as false


class AlertRetry(_Strict):
    tries: int = Field(3, ge=1, description="Posts per alert and channel")
    wait_s: float = Field(1, ge=0, description="Seconds before the second post, doubling after")


class AlertSettings(_Strict):
    """params/alerts.yaml"""

    rules: AlertRules = AlertRules()
    retry: AlertRetry = AlertRetry()
    channels: list[dict[str, Any]] = Field([], description="Chat robots: [{kind: wecom, dingtalk, feishu or slack, "
                                                           "url_env: …, secret_env: …}]")
    mail: list[str] = Field([], description="Who gets alerts by mail (params/email.yaml's server)")
    link: str | None = Field(None, description="The pace report's address for a reader of an alert (default: "
                                               "its path); {path} is the path under the reports folder")


def check(raw: dict[str, Any], model: type[BaseModel], path: Path, quote: bool = True) -> None:
    """Refuse ``raw`` (the settings read from ``path``) where the schema does not know a key or a
    value is of the wrong type: one line naming the file, the line, the key and what was expected,
    with the closest known key for a typo; ``quote=False`` for a file that may hold a secret (a
    webhook's key): the wrong value is not repeated."""
    try:
        model.model_validate(_set(raw))
    except ValidationError as e:
        err = e.errors()[0]
        loc, annotation = _path(model, _set(raw), err["loc"])
        line = _line(path.read_text(encoding="utf-8"), tuple(loc))
        where = f"{path}:{line}" if line else str(path)
        key = ".".join(loc)
        if err["type"] == "extra_forbidden":
            raise ConfigError(f"{where}: {key} is no setting{_hint(loc[-1], _fields(model, loc[:-1]))}") from None
        said = (f"expected {_type(annotation)}" if err["type"].endswith(("_type", "_parsing")) and annotation
                else err["msg"].lower())
        raise ConfigError(f"{where}: {key}: {said}" + (f", not {err.get('input')!r}" if quote else "")) from None


def _path(model: type[BaseModel] | None, raw: Any, loc: tuple) -> tuple[list[str], Any]:
    """The keys of an error's location as the file has them (pydantic adds the member of a union a
    value was tried as, and [key] for a mapping's key), and the annotation of the setting there."""
    out, annotation = [], None
    for part in loc:
        if model is not None:
            field = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
            if field is None:
                if isinstance(part, str) and part != "[key]":
                    out.append(part)  # a key the model does not know: the error is about it
                break
            out.append(str(part))
            annotation, model = field.annotation, _model_of(field.annotation)
            raw = raw.get(part) if isinstance(raw, dict) else None
        elif isinstance(raw, dict) and part in raw:  # a mapping's own key: the error is about its value
            out.append(str(part))
            raw = raw[part]
            args = typing.get_args(annotation) if typing.get_origin(annotation) is dict else ()
            annotation = args[1] if len(args) == 2 else annotation
    return out, annotation


def known_keys(raw: dict[str, Any], known, path: Path) -> None:
    """Refuse a top-level key of ``raw`` (read from ``path``) that is not among ``known``: for files
    whose schema is code of its own (presets)."""
    for key in raw:
        if key not in known:
            line = _line(path.read_text(encoding="utf-8"), (key,))
            raise ConfigError(f"{path}:{line}: {key} is no setting{_hint(str(key), sorted(known))}")


def _hint(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else f"; known: {', '.join(known)}"


def _set(raw: Any) -> Any:
    """``raw`` without the keys left empty (``present:`` with all its lines commented out): unset, as
    the code that reads them takes them."""
    if isinstance(raw, dict):
        return {k: _set(v) for k, v in raw.items() if v is not None}
    return raw


def _fields(model: type[BaseModel], loc: list[str]) -> list[str]:
    """The keys known at ``loc`` in ``model``."""
    for part in loc:
        field = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None)
        sub = _model_of(field.annotation) if field else None
        if sub is None:
            return []
        model = sub
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _line(text: str, loc: tuple) -> int | None:
    """The line (1-based) of the key at ``loc`` in the YAML ``text``, or of its deepest parent found."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == str(part):
                    line, node = k.start_mark.line + 1, v
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def reference() -> str:
    """The settings reference as README tables: every file, every key, its type, default and meaning."""
    out = []
    for title, model in (("params/store.yaml", StoreSettings), ("params/email.yaml", EmailSettings),
                         ("params/alerts.yaml", AlertSettings), ("params/group.yaml", GroupSettings)):
        out += [f"**`{title}`**", "", "| key | type | default | what |", "|---|---|---|---|"]
        for name, f in model.model_fields.items():
            sub = _model_of(f.annotation)
            many = "[]" if typing.get_origin(f.annotation) is list else ""  # stores[].folder: each in a list
            for key, g in (sub.model_fields.items() if sub else [(None, f)]):
                full = f"{f.alias or name}{many}.{g.alias or key}" if key else (f.alias or name)
                shown = str(g.default).lower() if isinstance(g.default, bool) else g.default
                default = ("required" if g.is_required() else "" if g.default in (None, {}, [])
                           else f"`{shown}`")
                out.append(f"| `{full}` | {_type(g.annotation)} | {default} | {g.description or ''} |")
        out.append("")
    return "\n".join(out)


def _type(annotation: Any) -> str:
    """A type as a reader says it: ``zh`` or ``en``, a number, a mapping, a list."""
    import types
    import typing

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return " or ".join(f"`{a}`" for a in args)
    if origin in (Union, types.UnionType):
        return " or ".join(dict.fromkeys(_type(a) for a in args if a is not type(None)))
    if origin is dict:
        return "a mapping"
    if origin is list:
        return "a list"
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    if annotation in names:
        return names[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a mapping"
    return "any"
