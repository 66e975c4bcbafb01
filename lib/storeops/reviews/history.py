"""Sections that look back over the last 12 months (the monthly review): operating cost and ROI,
and service quality."""

from __future__ import annotations

import pandas as pd

from storeops.metrics import ads as _ads
from storeops.metrics import explore as _explore
from storeops.metrics import service as _svc
from storeops.periods import Period
from storeops.present import tables
from storeops.present.i18n import text
from storeops.present.tables import KEY, Col, Html
from storeops.reviews.context import ReviewContext

MONTHS = 12
#: the operating costs the 12-month chart draws (the table beside it gives paid amount and ratios too)
COSTS = ("ad_cost", "discounts", "free_shipping")


def _months(ctx: ReviewContext) -> list[Period]:
    """The period and the 11 before it since the store's data began, oldest first (a trend keeps a
    month with a quiet day in it; only a comparison needs a period whole)."""
    ps = [ctx.period, *ctx.period.before(MONTHS - 1)]
    first = ctx.first_day
    return sorted((p for p in ps if (first and p.start >= first) or p == ctx.period), key=lambda p: p.start)


def costs(ctx: ReviewContext) -> Html:
    """运营成本与投产: ad spend by channel, discounts, free-shipping cost, marketing cost ratio and
    store ROAS, month by month."""
    lang = ctx.lang
    out = tables.section("costs", lang, "costs", ctx.kind)
    months = _months(ctx)
    c = _ads.costs(ctx.t, months)
    now = c.iloc[-1]
    ads = ctx.tracks("ads")  # untracked ads are left out of cost and ROI, not counted as ¥0
    ctx.show("marketing_cost_ratio", now.marketing_cost_ratio)
    cols = [Col("period", "col.month"), Col("ad_cost", "ad_cost", "money"), Col("discounts", "col.discounts", "money"),
            Col("free_shipping", "col.free_shipping", "money"), Col("paid_amount", "paid_amount", "money"),
            Col("marketing_cost_ratio", "marketing_cost_ratio", "rate", KEY), Col("store_roas", "store_roas", "ratio")]
    if not ads:
        cols = [col for col in cols if col.name not in ("ad_cost", "store_roas")]
    chart = _trend(c, [col for col in cols if col.name in COSTS], "money", lang)
    out += chart + tables.data_table("costs", c, cols, lang)
    if not ads:
        return out + ctx.gaps("ads")
    for k in ("store_roas", "ad_cost"):
        ctx.explain(k)
    ch = _ads.spend_by_channel(ctx.t, months)
    if ch.empty or len(ch.columns) < 2:
        return out + ctx.gaps("ads")
    out += tables.subheading(text("costs.by_channel", lang))
    return out + tables.data_table("spend_by_channel", ch, [Col("channel", "col.channel"),
                                                            *[Col(p.label, f"#{p.label}", "money") for p in months]],
                                   lang)


def service_quality(ctx: ReviewContext) -> Html:
    """服务质量: the DSR scores at each month's end, the refund rate and 24 h ticket compliance,
    month by month."""
    lang = ctx.lang
    out = tables.section("service_quality", lang, "service_quality", ctx.kind)
    months = _months(ctx)
    df = _explore.frame(ctx.t, ["refund_rate", "ticket_sla"], months)
    dsr = _svc.dsr_at(ctx.t, [p.end for p in months])
    for k in _svc.DSR:
        df[k] = dsr[k].to_numpy()
    cols = [Col("period", "col.month")] + [Col(k, f"dsr.{k}", "ratio") for k in _svc.DSR]
    if ctx.tracks("refund_lines"):
        cols.append(Col("refund_rate", "refund_rate", "rate"))
        ctx.explain("refund_rate")
        ctx.show("refund_rate", df.refund_rate.iloc[-1])
    if ctx.tracks("tickets"):
        cols.append(Col("ticket_sla", "ticket_sla", "rate"))
    ctx.explain("dsr")
    return (out + _trend(df, [col for col in cols if col.name in _svc.DSR], "ratio", lang)
            + tables.data_table("service_quality", df, cols, lang) + ctx.gaps("tickets", "refund_lines"))


def _trend(df: pd.DataFrame, cols: list[Col], unit: str, lang) -> Html:
    """The months of ``cols`` as a chart above their table, where there is a trend to see (2 months or more)."""
    from storeops.present import charts  # matplotlib loads with a review's first chart, not before
    shown = [c for c in cols if c.name in df and pd.to_numeric(df[c.name], errors="coerce").notna().any()]
    if len(df) < 2 or not shown:
        return Html("")
    return Html(charts.lines(df, "period", {c.name: c.label(lang) for c in shown}, unit, lang)._repr_html_())
