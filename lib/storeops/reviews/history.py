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
from storeops.present.tables import Col, Html
from storeops.reviews.context import ReviewContext

MONTHS = 12


def _months(ctx: ReviewContext) -> list[Period]:
    """The period and the 11 before it that the data covers, oldest first."""
    ps = [ctx.period, *ctx.period.before(MONTHS - 1)]
    return sorted((p for p in ps if ctx.covered(p) or p == ctx.period), key=lambda p: p.start)


def costs(ctx: ReviewContext) -> Html:
    """运营成本与投产: ad spend by channel, discounts, free-shipping cost, marketing cost ratio and
    store ROAS, month by month."""
    lang = ctx.lang
    out = tables.section("costs", lang, "costs", ctx.kind)
    months = _months(ctx)
    c = _ads.costs(ctx.t, months)
    now = c.iloc[-1]
    ctx.show("marketing_cost_ratio", now.marketing_cost_ratio)
    for k in ("store_roas", "ad_cost"):
        ctx.explain(k)
    out += tables.data_table("costs", c, [Col("period", "col.month"), Col("ad_cost", "ad_cost", "money"),
                                          Col("discounts", "col.discounts", "money"),
                                          Col("free_shipping", "col.free_shipping", "money"),
                                          Col("paid_amount", "paid_amount", "money"),
                                          Col("marketing_cost_ratio", "marketing_cost_ratio", "rate"),
                                          Col("store_roas", "store_roas", "ratio")], lang)
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
    dsr = pd.DataFrame([_svc.dsr_change(ctx.t, p).set_index("score").now for p in months])
    for k in _svc.DSR:
        df[k] = dsr[k].to_numpy() if k in dsr else None
    cols = [Col("period", "col.month")] + [Col(k, f"dsr.{k}", "ratio") for k in _svc.DSR]
    cols += [Col("refund_rate", "refund_rate", "rate")]
    if ctx.tracks("tickets"):
        cols.append(Col("ticket_sla", "ticket_sla", "rate"))
    ctx.explain("dsr")
    ctx.explain("refund_rate")
    ctx.show("refund_rate", df.refund_rate.iloc[-1])
    return out + tables.data_table("service_quality", df, cols, lang) + ctx.gaps("tickets", "refund_lines")
