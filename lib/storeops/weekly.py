"""The weekly review (周报): what notebooks/weekly.ipynb calls.

An ISO week (Monday to Sunday, store time) against the previous week, the same ISO week last
year and the 4 weeks before (reviews.compare); the sections are those every review shares
(reviews.sections), plus the week's day-by-day table.

>>> ctx = storeops.weekly.context("2026-W47", lang="en")  # doctest: +SKIP
>>> storeops.weekly.days(ctx)                               # the 7 days
"""

from __future__ import annotations

from storeops.metrics import registry, sales
from storeops.periods import Period
from storeops.present import charts, tables
from storeops.present.i18n import Lang, text, weekday
from storeops.present.tables import Col, Html
from storeops.reviews.context import ReviewContext, open_context
from storeops.reviews.sections import (actions, ads, bridge, campaigns, categories, drivers, fulfilment, glossary,
                                       header, kpis, overview, service, summary, traffic)
from storeops.reviews.stock import inventory

__all__ = ["context", "header", "overview", "actions", "kpis", "days", "bridge", "drivers", "categories", "traffic",
           "ads", "campaigns", "service", "fulfilment", "inventory", "glossary", "summary"]


def context(week: str | Period | None = None, config: str | None = None, lang: Lang | None = None,
            allow_incomplete: bool = False) -> ReviewContext:
    """The ISO week ``week`` (``2026-W47``; default: the last complete week, store time); a week
    missing orders or traffic on any day is refused unless ``allow_incomplete``."""
    return open_context("weekly", week, config, lang, allow_incomplete)


def days(ctx: ReviewContext) -> Html:
    """逐日: the week's 7 days — paid amount, visitors, conversion — as a table and a chart."""
    df = sales.by_day(ctx.t, ctx.period)
    shown = df.assign(date=[f"{d:%m-%d}" for d in df.day], weekday=[weekday(d, ctx.lang) for d in df.day])
    labels = {k: text(f"chart.{k}", ctx.lang) for k in ("paid_amount", "uv", "conversion", "ma7")}
    panels = [k for k in ("uv", "conversion") if k not in ctx.untracked]
    cols = [Col("date", "col.date"), Col("weekday", "col.weekday"), Col("paid_amount", "paid_amount", "money")]
    cols += [Col(k, k, registry.get(k).unit) for k in panels]
    # no day stands out in a week: nothing is drawn in the accent colour
    return (tables.section("days", ctx.lang, "days", ctx.kind) + charts.trends(df, None, ctx.lang, labels, panels, mean=False)
            + tables.data_table("days", shown, cols, ctx.lang) + ctx.gaps("buyers", "traffic"))
