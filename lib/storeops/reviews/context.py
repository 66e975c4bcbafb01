"""The review context: the period under review (a day, an ISO week or a month), the warehouse,
the language, and what the sections have shown (for summary.json and the glossary).

>>> ctx = storeops.daily.context("2026-11-26", lang="en")   # doctest: +SKIP
>>> ctx.period, ctx.kind
(Period(2026-11-26, 2026-11-26, 'day'), 'daily')
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import ibis
import pandas as pd

from storeops import config as _config
from storeops import targets, warehouse
from storeops.metrics import ads as _ads
from storeops.metrics import anomalies, coverage, inventory, plan
from storeops.metrics import products as _prod
from storeops.metrics import registry, sales
from storeops.metrics.base import Days, evaluate, in_period, on_days
from storeops.periods import ALWAYS_OPEN, Calendar, Period
from storeops.present import tables
from storeops.present.i18n import Lang, text
from storeops.present.tables import Html
from storeops.reviews import compare
from storeops.reviews.kinds import refuse_closed, resolve

#: the review a period makes when none is named
_REVIEW_OF = {"day": "daily", "week": "weekly", "month": "monthly"}

#: the headline KPIs, in the order the table shows them
KPI_IDS = ["order_amount", "orders", "ordering_buyers", "paid_amount", "paid_orders", "paying_buyers",
           "payment_rate", "uv", "pv", "conversion", "atv", "aov", "uv_value", "ad_cost", "store_roas",
           "refund_amount"]
#: tables without which there is no daily review; the others may be empty
REQUIRED = ("orders", "traffic")
ANOMALY_MARGIN = 0.10


def kpi_exprs(t: warehouse.Tables, p: Period | Days) -> dict[str, Any]:
    """The headline KPIs of ``p`` as expressions, for :func:`evaluate`."""
    exprs = {k: sales.BLOCK[k](t, p) for k in KPI_IDS if k in sales.BLOCK}
    exprs["ad_cost"] = _ads.ad_cost(t, p)
    exprs["store_roas"] = _ads.store_roas(t, p)
    return exprs


def kpi_values(t: warehouse.Tables, p: Period) -> dict[str, Any]:
    """The headline KPIs for one period, in one query, built once per connection for every period a
    review compares (metrics.base.on_days)."""
    return on_days(t, "kpis", lambda q: kpi_exprs(t, q), p)


def missing_tables(con: ibis.BaseBackend, period: Period, names=REQUIRED, always=("orders",),
                   calendar: Calendar = ALWAYS_OPEN) -> dict[str, list[_dt.date]]:
    """{table: the trading days of ``period`` it has no rows for}, for the tables among ``names`` that
    need them. Those in ``always`` are always needed; another table only if the store tracks it (rows
    in the 30 days before the period): a store that never loads traffic has no visitor figures
    (metrics.coverage), one whose traffic stopped is stale. Days the store ``calendar`` closes need
    no data."""
    from storeops import schema

    out = {}
    for name in names:
        t = con.table(name)
        col = t[schema.table(name).date_column]
        have = set(pd.to_datetime(t.filter(in_period(col, period)).select(d=col.cast("date")).distinct()
                                  .d.execute()).dt.date)
        gaps = [d for d in calendar.trading_days(period) if d not in have]
        if not gaps:
            continue
        before = Period.day(period.start - _dt.timedelta(days=1)).trailing(coverage.WINDOW_DAYS)
        if name in always or t.filter(in_period(col, before)).count().execute():
            out[name] = gaps
    return out


class Records:
    """What a review's context keeps of what it showed: the figures for summary.json, the glossary's
    metrics (``shown`` and ``glossary_ids`` are the context's own fields)."""

    shown: dict[str, Any]
    glossary_ids: list[str]

    def show(self, metric_id: str, value: Any, glossary: str | None = None) -> None:
        """Record a figure the report shows: it goes into summary.json, its definition into the glossary."""
        self.shown[metric_id] = value
        self.explain(glossary or metric_id)

    def explain(self, metric_id: str) -> None:
        if metric_id in registry.METRICS and metric_id not in self.glossary_ids:
            self.glossary_ids.append(metric_id)


@dataclass
class ReviewContext(Records):
    """Everything a section needs: settings, warehouse, the period, the language, what was shown."""

    cfg: _config.Config
    con: ibis.BaseBackend
    period: Period
    lang: Lang
    incomplete: dict[str, list[_dt.date]] = field(default_factory=dict)  # table → days without rows
    shown: dict[str, Any] = field(default_factory=dict)
    glossary_ids: list[str] = field(default_factory=list)
    computed: dict = field(default_factory=dict, repr=False)
    #: relative changes of the headline KPIs per comparison (reviews.compare): {"dod": {id: change}, …}
    comparisons: dict[str, dict[str, float | None]] = field(default_factory=dict)
    #: short lists the mail digest shows (the replenishment table's order per supplier), as summary.json keeps them
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: the review (reviews.kinds.PERIOD_KIND); empty: the one the period makes (a day → daily)
    review: str = ""

    @property
    def kind(self) -> str:
        """daily, weekly, monthly or replenishment: the review being made."""
        return self.review or _REVIEW_OF[self.period.kind]

    @property
    def day(self) -> _dt.date:
        """The period's last day: stock, open orders and tickets are as of its end."""
        return self.period.end

    @property
    def cutoff(self) -> _dt.datetime:
        """The end of the period: everything is as of this moment."""
        return _dt.datetime.combine(self.period.end_exclusive, _dt.time())

    @cached_property
    def colours(self) -> str:
        """How changes are coloured (present.tables.colours): 红涨绿跌 in zh unless the store says otherwise."""
        return tables.colours(self.cfg.raw, self.lang)

    @property
    def margin(self) -> float:
        return float(self.cfg.thresholds.get("anomaly_margin", ANOMALY_MARGIN))

    @cached_property
    def t(self) -> warehouse.Tables:
        return warehouse.Tables(self.con)

    def values(self, p: Period) -> dict[str, Any]:
        """The headline KPIs of ``p``, computed once per period."""
        key = (p.start, p.end)
        if key not in self.computed:
            self.computed[key] = kpi_values(self.t, p)
        return self.computed[key]

    @cached_property
    def first_day(self) -> _dt.date | None:
        """The first day the warehouse has a paid order: the store's data begins there."""
        v = self.t.orders.paid_at.min().execute()
        return None if v is None or pd.isna(v) else pd.Timestamp(v).date()

    @cached_property
    def order_days(self) -> frozenset[_dt.date]:
        """The days with orders (by the day they were created, as the freshness guard reads them), in
        the 500 days before the period's end: as far back as any review compares (a year, and the
        ordinary weeks a year before that give the trend an anomaly is scaled by)."""
        o = self.t.orders
        since = Period(self.period.end - _dt.timedelta(days=500), self.period.end, "custom")
        days = o.filter(in_period(o.created_at, since)).select(d=o.created_at.cast("date")).distinct().d.execute()
        return frozenset(pd.to_datetime(days).dt.date)

    @property
    def calendar(self) -> Calendar:
        return self.cfg.calendar

    def covered(self, p: Period) -> bool:
        """Whether the data covers ``p``: orders on every day of it the store trades (METRICS.md,
        comparisons). A period before the store's data began, or with a hole in it, is not compared
        with: its change is "—" wherever it would be shown."""
        days = self.calendar.trading_days(p)
        return bool(days) and all(d in self.order_days for d in days)

    def bases(self) -> dict[str, list[Period]]:
        """{comparison key: the periods it is the mean of}, only those the data covers; a mean of
        fewer than 2 where several are named is no mean (reviews.compare.held)."""
        if "bases" not in self.computed:
            self.computed["bases"] = compare.held(self.period, self.covered, self.calendar)
        return self.computed["bases"]

    def headline(self) -> Period | None:
        """The period the overview, bridge and drivers compare with (compare.headline), if the data
        covers it; None: there is no change to explain."""
        return (self.bases()[compare.HEADLINE[self.period.kind]] or [None])[0]

    @cached_property
    def coverage(self) -> dict[str, bool]:
        """Which kinds of data the store tracks around the report day (metrics.coverage)."""
        return coverage.tracked(self.t, self.period)

    @cached_property
    def untracked(self) -> set[str]:
        """Metric ids the data cannot support: shown as "—", left out of summary.json."""
        return coverage.untracked_metrics(self.coverage)

    def gaps(self, *keys: str) -> Html:
        """One line per coverage rule among ``keys`` whose data is not tracked, and what to load, in the
        reader's words (``storeops check`` names the tables, columns and presets)."""
        out = Html("")
        for k in keys:
            if not self.coverage[k]:
                out += tables.note(text(f"coverage.{k}", self.lang, load=text(f"load.{k}", self.lang)), "so-gap")
        return out

    def tracks(self, *keys: str) -> bool:
        """Whether the data of every coverage rule among ``keys`` is tracked (a misspelt rule fails)."""
        return all(self.coverage[k] for k in keys)

    @cached_property
    def festivals(self) -> dict | None:
        return targets.festivals(self.cfg)

    @cached_property
    def plans(self) -> dict:
        """The plan files (storeops.targets): daily targets the GM may have edited, by month."""
        return targets.load(self.cfg)

    @cached_property
    def target(self) -> float | None:
        return plan.target(self.t, self.period, self.festivals, self.plans, self.calendar)

    @cached_property
    def reference(self) -> anomalies.Reference:
        return anomalies.reference(self.day, self.festivals, self.t.campaigns.execute(), self.calendar)

    @cached_property
    def period_reference(self) -> anomalies.PeriodReference:
        """What a week or a month is judged against (anomalies.period_reference: festival, campaign
        and season aware)."""
        return anomalies.period_reference(self.period, self.festivals, self.t.campaigns.execute())

    @cached_property
    def flags(self) -> dict[str, str | None]:
        """Anomaly flags: a day against comparable days (anomalies.reference), a week against the
        ordinary weeks before it or its last like event, a month against the same month last year
        scaled by the trend (anomalies.period_reference); only periods the data covers count."""
        now = self.values(self.period)
        if self.period.kind == "day":
            refs = [self.values(Period.day(d)) for d in self.reference.days if self.covered(Period.day(d))]
        else:
            ref = self.period_reference
            pairs = [(self.values(a), self.values(b)) for a, b in ref.trend if self.covered(a) and self.covered(b)]
            refs = []
            for p, year_back in zip(ref.periods, ref.scaled):
                if self.covered(p) and (not year_back or pairs):  # a year back counts only as scaled by the trend
                    refs += anomalies.scaled([self.values(p)], pairs, KPI_IDS) if year_back else [self.values(p)]
            if ref.basis == "weeks" and len(refs) < 2:  # a range of one week is no range
                refs = []
        return {k: None if k in self.untracked else anomalies.flag(now[k], [r[k] for r in refs], self.margin)
                for k in KPI_IDS}

    @cached_property
    def stock(self) -> pd.DataFrame:
        # the Thursday table is made in the morning of its stock count: sales to the day before
        before = self.day - _dt.timedelta(days=1) if self.kind == "replenishment" else None
        return inventory.stock_status(self.t, self.day, before)

    @cached_property
    def awaiting(self) -> pd.DataFrame:
        """The orders awaiting shipment at the cut-off (fulfilment.awaiting_orders), fetched once for
        the actions and the fulfilment section."""
        from storeops.metrics import fulfilment

        return fulfilment.awaiting_orders(self.t, self.cutoff)

    @cached_property
    def product_perf(self) -> pd.DataFrame:
        perf = _prod.performance(self.t, self.period)
        no_sku = perf.product_id == _prod.NO_SKU
        perf.loc[no_sku, "title"] = text("products.no_sku", self.lang)
        return perf

    @cached_property
    def ad_table(self) -> pd.DataFrame:
        return _ads.by_campaign(self.t, self.period)

    @property
    def margin_period(self) -> Period:
        """Whose sales give the gross margin when store.yaml sets none: the period under review."""
        return self.period

    @cached_property
    def breakeven(self) -> tuple[float | None, float | None]:
        """(break-even ROAS, gross margin rate): the margin from store.yaml if set, else from sales."""
        margin = self.cfg.thresholds.get("gross_margin_rate")
        if margin is None:
            margin = evaluate({"m": _ads.gross_margin_rate(self.t, self.margin_period)})["m"]
        margin = float(margin) if margin is not None else None
        return _ads.breakeven_roas(margin), margin


def open_context(kind: str, period: str | _dt.date | Period | None = None, config: str | None = None,
                 lang: Lang | None = None, allow_incomplete: bool = False) -> ReviewContext:
    """Open the warehouse read-only and fix the period: a label (``2026-11-26``, ``2026-W47``,
    ``2026-11``) or, by default, the last complete one in store time.

    Without ``allow_incomplete``, a period missing orders or traffic on any day is refused here
    too, so a notebook run by hand behaves like ``storeops run``.
    """
    from storeops.errors import ReportError

    cfg = _config.load(config or None)
    p = resolve(kind, cfg, period)
    refuse_closed(cfg, kind, p)
    con = warehouse.connect(cfg, read_only=True)
    missing = missing_for(kind, con, p, cfg.calendar)
    if missing and not allow_incomplete:
        con.disconnect()
        raise ReportError(incomplete_message(missing, p))
    return ReviewContext(cfg, con, p, lang or cfg.language, incomplete=missing, review=kind)


def missing_for(kind: str, con: ibis.BaseBackend, p: Period,
                calendar: Calendar = ALWAYS_OPEN) -> dict[str, list[_dt.date]]:
    """What a ``kind`` review of ``p`` lacks. A review needs orders (and traffic, where tracked) on
    every trading day of its period; the replenishment table needs the day's stock count, and
    orders to the last trading day before (the day itself may still be under way)."""
    if kind != "replenishment":
        return missing_tables(con, p, calendar=calendar)
    before = (calendar.trading_before(p.start) or [p.start - _dt.timedelta(days=1)])[0]
    return {**missing_tables(con, p, ("inventory",), always=("inventory",)),
            **missing_tables(con, Period.day(before), ("orders",), calendar=calendar)}


def incomplete_message(missing: dict[str, list[_dt.date]], period: Period) -> str:
    return (f"no data for {period.label} in {_listed(missing, period, 'en')}: load it first, "
            f"or run with --allow-incomplete to publish with a warning banner")


def _listed(missing: dict[str, list[_dt.date]], period: Period, lang: Lang = "en") -> str:
    """``orders, traffic`` for a day; ``orders (11-18, 11-19), traffic (11-18)`` for a longer period;
    in zh the tables' Chinese names (订单（11-18）)."""
    from storeops import schema

    def name(t: str) -> str:
        return getattr(schema.table(t), lang) if lang == "zh" else t

    sep, (o, c) = ("、", "（）") if lang == "zh" else (", ", "()")
    if period.days == 1 and all(days == [period.start] for days in missing.values()):
        return sep.join(name(t) for t in missing)
    return sep.join(f"{name(t)}{' ' if lang == 'en' else ''}{o}{', '.join(f'{d:%m-%d}' for d in days)}{c}"
                    for t, days in missing.items())
