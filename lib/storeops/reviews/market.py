"""The competitors section (竞品) of the monthly review."""

from __future__ import annotations

from storeops.metrics import competitors as _comp
from storeops.present import tables
from storeops.present.i18n import text
from storeops.present.tables import KEY, Col, Html
from storeops.reviews.context import ReviewContext


def competitors(ctx: ReviewContext) -> Html:
    """Per competitor: items tracked, new items this period, estimated sales; their best sellers;
    a price index against ours by category."""
    lang, p = ctx.lang, ctx.period
    out = tables.section("competitors", lang, "competitors", ctx.kind)
    s = _comp.summary(ctx.t, p)
    if s.empty:
        return out + tables.note(text("competitors.none", lang), "so-gap")
    out += tables.data_table("competitors", s, [Col("competitor", "col.competitor"), Col("items", "col.items", "count"),
                                                Col("new_items", "col.new_items", "count"),
                                                Col("est_sales", "col.est_sales", "money")], lang)
    out += tables.subheading(text("competitors.top", lang)) + tables.data_table(
        "competitor_top_items", _comp.top_items(ctx.t, p), [
            Col("competitor", "col.competitor"), Col("title", "col.product", priority=KEY), Col("category", "col.category"),
            Col("price", "col.price", "money", KEY), Col("monthly_sales", "col.monthly_sales", "count"),
            Col("est_sales", "col.est_sales", "money")], lang)
    ctx.explain("price_index")
    pi = _comp.price_index(ctx.t, p)
    out += tables.subheading(text("competitors.price_index", lang))
    if pi.empty:
        return out + tables.note(text("competitors.no_overlap", lang))
    return out + tables.data_table("price_index", pi, [Col("category", "col.category"),
                                                       Col("their_median", "col.their_median", "money"),
                                                       Col("our_median", "col.our_median", "money"),
                                                       Col("price_index", "price_index", "ratio")], lang)
