"""Categories and products against the period before, and the campaigns that ran (week, month)."""

from __future__ import annotations

from storeops.metrics import campaigns as _camp
from storeops.metrics import explore as _explore
from storeops.metrics import products as _prod
from storeops.metrics import sales
from storeops.metrics.base import evaluate
from storeops.present import formats, tables
from storeops.present.i18n import text
from storeops.present.tables import KEY, Col, Html
from storeops.reviews.context import ReviewContext
from storeops.reviews.sections import _campaigns, _section, category_sales


def categories(ctx: ReviewContext) -> Html:
    """类目与商品: by category against the period before; top and bottom 10 products; new products; 动销率."""
    p, lang = ctx.period, ctx.lang
    out = _section(ctx, "categories") + tables.subheading(text("categories.by_category", lang))
    cat = _explore.against(category_sales(ctx, p), category_sales(ctx, p.previous()), "category")
    if not ctx.covered(p.previous()):  # no change against a period the data does not hold
        cat[[c for c in cat.columns if c.endswith("_change")]] = None
    cat["category"] = cat.category.replace({_explore.NO_CATEGORY: text("drivers.none", lang)})
    cols = [Col("category", "col.category"), Col("paid_amount", "paid_amount", "money"),
            Col("paid_amount_change", "col.paid_change", "change"), Col("units", "col.units", "count")]
    if ctx.tracks("product_traffic", "buyers"):
        cols += [Col("uv", "uv", "count"), Col("conversion", "product_conversion", "rate"),
                 Col("conversion_change", "col.conversion_change", "change")]
        ctx.explain("product_conversion")
    out += tables.data_table("by_category", cat, cols, lang)
    perf, shelf = ctx.product_perf, _prod.on_sale(ctx.t)
    prod_cols = [Col("title", "col.product", "product"), Col("paid_amount", "paid_amount", "money"),
                 Col("units", "col.units", "count")]
    if ctx.tracks("product_traffic"):
        prod_cols.append(Col("uv", "uv", "count"))
    top = _prod.top(perf)
    out += tables.subheading(text("categories.top", lang))
    out += tables.data_table("top_products", top, prod_cols, lang) if not top.empty else tables.note(
        text("categories.none", lang))
    out += tables.subheading(text("categories.bottom", lang))
    out += tables.data_table("bottom_products", _prod.bottom(perf, shelf), prod_cols, lang)
    new = _prod.new_products(perf, shelf, ctx.day)
    out += tables.subheading(text("categories.new", lang))
    if not ctx.tracks("launch_dates"):  # no launch date is no launch known, not "nothing launched"
        out += ctx.gaps("launch_dates")
    else:
        out += tables.data_table("new_products", new, [Col("title", "col.product", "product"), Col("launched_on", "col.launched", "date"),
                                                   Col("days_on_sale", "col.days_on_sale", "count"), *prod_cols[1:]],
                             lang) if not new.empty else tables.note(text("categories.new_none", lang))
    ratio = evaluate({"r": sales.sell_ratio(ctx.t, p)})["r"]
    ctx.show("sell_ratio", ratio)
    return out + tables.note(text("categories.sell_ratio", lang, value=formats.pct(ratio)))


def campaigns(ctx: ReviewContext) -> Html:
    """活动: the campaigns of the period with cost, ROI and lift, and those starting in the next 7 days."""
    lang = ctx.lang
    out = _section(ctx, "campaigns") + tables.subheading(text("campaigns.ran", lang))
    ran = _campaigns(ctx)
    if ctx.period.kind == "month":  # the month's evaluation: what each yuan added, best first
        ran = ran.sort_values("lift_per_yuan", ascending=False, na_position="last", kind="stable")
    if ran.empty:
        out += tables.note(text("campaigns.none", lang))
    else:
        ctx.explain("campaign_roi")
        ctx.explain("campaign_lift")
        shown = ran.assign(state=ran.running.map({True: text("campaigns.running", lang),
                                                  False: text("campaigns.ended", lang)}))
        out += tables.data_table("campaigns_ran", shown, [
            Col("theme", "col.theme"), Col("start_date", "col.start", "date"), Col("end_date", "col.end", "date"),
            Col("state", "col.status"), Col("cost", "col.cost", "money"), Col("uv", "uv", "count"),
            Col("conversion", "conversion", "rate"), Col("paid_amount", "paid_amount", "money", KEY),
            Col("roi", "campaign_roi", "ratio", KEY), Col("baseline", "col.baseline", "money"),
            Col("lift", "campaign_lift", "money", KEY), Col("lift_per_yuan", "col.lift_per_yuan", "ratio")], lang)
    out += tables.subheading(text("campaigns.next", lang))
    soon = _camp.starting(ctx.t, ctx.day)
    if soon.empty:
        return out + tables.note(text("campaigns.next_none", lang))
    return out + tables.data_table("campaigns_next", soon, [Col("theme", "col.theme"), Col("kind", "col.kind"),
                                                            Col("start_date", "col.start", "date"),
                                                            Col("end_date", "col.end", "date"),
                                                            Col("fixed_cost", "col.cost", "money")], lang)
