"""What the sections every review is made of share, for any period (a day, an ISO week, a month):
the header, the glossary and summary, a section's heading, and the figures two sections both use,
worked out once per review. The sections themselves live by topic: reviews.actions (action list
and overview), reviews.kpis (KPIs, day by day, bridge, drivers, trends), reviews.operations
(traffic, service, fulfilment, ads, products), reviews.catalogue (categories, campaigns),
reviews.stock, reviews.plan, reviews.history, reviews.customers, reviews.market.

Each section returns HTML (heading, the question it answers, tables and charts) and
records the figures it shows with ``ctx.show`` so that summary.json and the glossary hold
exactly what the reader saw. A review (daily.py, weekly.py) says which sections, in what order.

>>> ctx = storeops.daily.context("2026-11-26", lang="en")  # doctest: +SKIP
>>> storeops.daily.kpis(ctx)                                # the KPI table
"""

from __future__ import annotations

import pandas as pd

from storeops.metrics import campaigns as _camp
from storeops.metrics import explore as _explore
from storeops.metrics import registry
from storeops.present import tables
from storeops.present.i18n import text, weekday
from storeops.present.tables import Html
from storeops.periods import Period
from storeops.publish import summary as _summary
from storeops.reviews.context import ReviewContext, _listed

TOP_ROWS = 3  # rows of each action item shown in the list


def _section(ctx: ReviewContext, key: str) -> Html:
    """A section's heading and question; the question as the review's kind words it, where it differs."""
    return tables.section(key, ctx.lang, key, ctx.kind)


def header(ctx: ReviewContext) -> Html:
    p = ctx.period
    title = text(f"{ctx.kind}.title", ctx.lang, store=ctx.cfg.name(ctx.lang), date=p.label)
    sub = text(f"{ctx.kind}.subtitle", ctx.lang, weekday=weekday(p.end, ctx.lang), date=p.end.isoformat(),
               start=p.start.isoformat(), end=p.end.isoformat(), tz=ctx.cfg.timezone)
    banner = tables.banner(text("banner.incomplete", ctx.lang, tables=_listed(ctx.incomplete, p, ctx.lang),
                                date=p.label)) \
        if ctx.incomplete else ""
    return Html(f'<header class="so-header"><h1>{tables.esc(title)}</h1><p class="so-sub">{tables.esc(sub)}</p>'
                f"{banner}</header>")


def _campaigns(ctx: ReviewContext) -> pd.DataFrame:
    """The period's campaign results (metrics.campaigns.results), worked out once per review: the
    highlights and the campaigns section both use them."""
    if "campaigns" not in ctx.computed:
        ctx.computed["campaigns"] = _camp.results(ctx.t, ctx.period, ctx.festivals, ctx.calendar)
    return ctx.computed["campaigns"]


def category_sales(ctx: ReviewContext, p: Period) -> pd.DataFrame:
    """Sales by category in ``p`` (metrics.explore.by_category), once per period: a week's drivers and
    its categories both compare it with last week."""
    key = ("by_category", p.start, p.end)
    if key not in ctx.computed:
        ctx.computed[key] = _explore.by_category(ctx.t, p)
    return ctx.computed[key]


def glossary(ctx: ReviewContext) -> Html:
    """指标说明: the registry's definition of every metric shown above."""
    return _section(ctx, "glossary") + tables.glossary(
        [registry.get(m) for m in ctx.glossary_ids], ctx.lang)


def summary(ctx: ReviewContext) -> None:
    """Hand the shown figures to the runner, which writes them to summary.json."""
    _summary.emit(ctx.kind, ctx.period, ctx.lang, ctx.shown, ctx.comparisons, ctx.lists)
