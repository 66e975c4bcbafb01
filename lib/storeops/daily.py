"""The daily review (日报): what notebooks/daily.ipynb calls, one function per section.

>>> ctx = storeops.daily.context("2026-11-26", lang="en")  # doctest: +SKIP
>>> storeops.daily.kpis(ctx)                                # the KPI table
"""

from __future__ import annotations

import datetime as _dt
import html
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import ibis

from storeops import config as _config
from storeops import warehouse
from storeops.metrics import plan, registry, sales
from storeops.periods import Period
from storeops.present import charts, formats, tables
from storeops.present.i18n import Lang, text, weekday
from storeops.publish import summary as _summary

#: the KPI table's rows, in order
KPI_IDS = list(sales.BLOCK)


@dataclass
class DailyContext:
    """Everything a daily section needs: settings, warehouse, the day, the language, what was shown."""

    cfg: _config.Config
    con: ibis.BaseBackend
    period: Period
    lang: Lang
    shown: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def t(self) -> warehouse.Tables:
        return warehouse.Tables(self.con)

    @cached_property
    def day(self) -> dict[str, Any]:
        return sales.block(self.t, self.period)

    @cached_property
    def previous_day(self) -> dict[str, Any]:
        return sales.block(self.t, self.period.previous())

    @cached_property
    def same_day_last_week(self) -> dict[str, Any]:
        return sales.block(self.t, self.period.same_weekday_last_week())

    @cached_property
    def target(self) -> float | None:
        return plan.target(self.t, self.period)

    def show(self, metric_id: str, value: Any) -> None:
        """Record a figure the report shows: it goes into summary.json and the glossary."""
        self.shown[metric_id] = value


def context(report_date: str | _dt.date | None = None, config: str | None = None,
            lang: Lang | None = None) -> DailyContext:
    """Open the warehouse read-only and fix the report day (default: yesterday, store time)."""
    cfg = _config.load(config or None)
    day = report_date or cfg.yesterday()
    period = Period.day(day if isinstance(day, _dt.date) else _dt.date.fromisoformat(str(day)))
    return DailyContext(cfg, warehouse.connect(cfg, read_only=True), period, lang or cfg.language)


def header(ctx: DailyContext) -> tables.Html:
    d = ctx.period.start
    title = text("daily.title", ctx.lang, store=ctx.cfg.name(ctx.lang), date=d.isoformat())
    sub = text("daily.subtitle", ctx.lang, weekday=weekday(d, ctx.lang), date=d.isoformat(), tz=ctx.cfg.timezone)
    return tables.Html(f'<header class="so-header"><h1>{html.escape(title)}</h1>'
                       f'<p class="so-sub">{html.escape(sub)}</p></header>')


def kpis(ctx: DailyContext) -> tables.Html:
    """核心指标: each sales metric with 环比, 同比 (same weekday last week) and, for GMV, the target."""
    rows = []
    for mid in KPI_IDS:
        now = ctx.day[mid]
        row = tables.KpiRow(
            registry.get(mid), now,
            formats.relative_change(now, ctx.previous_day[mid]),
            formats.relative_change(now, ctx.same_day_last_week[mid]),
        )
        ctx.show(mid, now)
        if mid == "paid_amount":
            att = plan.attainment(now, ctx.target)
            row = tables.KpiRow(row.metric, now, row.dod, row.wow, ctx.target, att)
            ctx.show("target", ctx.target)
            ctx.show("attainment", att)
        rows.append(row)
    return tables.Html(str(tables.section("kpis", ctx.lang, "kpis")) + str(tables.kpi_table(rows, ctx.lang)))


def trend(ctx: DailyContext) -> tables.Html:
    """近28天趋势: paid amount per day over the 28 days ending on the report day."""
    series = plan.daily_paid(ctx.t, ctx.period.trailing(28))
    chart = charts.daily_trend(series, ctx.period.end, ctx.lang, text("chart.paid_amount", ctx.lang),
                               text("chart.ma7", ctx.lang))
    return tables.Html(str(tables.section("trend", ctx.lang, "trend")) + chart._repr_html_())


def glossary(ctx: DailyContext) -> tables.Html:
    """指标说明: the registry's definition of every metric shown above."""
    return tables.Html(str(tables.section("glossary", ctx.lang, "glossary"))
                       + str(tables.glossary([registry.get(m) for m in ctx.shown], ctx.lang)))


def summary(ctx: DailyContext) -> None:
    """Hand the shown figures to the runner, which writes them to summary.json."""
    _summary.emit("daily", ctx.period, ctx.lang, ctx.shown)
