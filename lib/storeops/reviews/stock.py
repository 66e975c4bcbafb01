"""The stock sections: inventory health for a week or a month, and the parts of the Thursday
replenishment table (the table, its summary, the stock ledger).
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from storeops.metrics import inventory as _inv
from storeops.metrics import replenishment as _rep
from storeops.present import formats, tables
from storeops.present.i18n import text
from storeops.present.tables import Col, Html
from storeops.reviews.context import ReviewContext

ARRIVING_DAYS = 14


def _classes(df: pd.DataFrame, lang: str, col: str = "sales_class") -> pd.DataFrame:
    return df.assign(**{col: df[col].map(lambda c: text(f"class.{c}", lang))})


def inventory(ctx: ReviewContext) -> Html:
    """库存: SKUs by class with their warnings, stock-out SKU-days in the period, slow movers to clear,
    purchase orders due in the next 14 days."""
    lang = ctx.lang
    out = tables.section("inventory", lang, "inventory", ctx.kind)
    if not ctx.tracks("inventory"):
        return out + ctx.gaps("inventory")
    for k in ("sales_class", "days_cover", "stockout_rate"):
        ctx.explain(k)
    out += tables.subheading(text("inventory.by_class", lang)) + tables.data_table(
        "by_class", _classes(_inv.by_class(ctx.stock, _rep.Settings.from_config(ctx.cfg.raw).overstock_days), lang),
        [Col("sales_class", "col.class"), Col("skus", "col.skus", "count"), Col("on_hand", "col.on_hand", "count"),
         Col("stock_value", "col.stock_value", "money"), Col("out_of_stock", "col.out_of_stock", "count"),
         Col("short", "col.short", "count"), Col("overstock", "col.overstock", "count")], lang)
    days = _inv.stockout_days(ctx.t, ctx.period)
    out_days, all_days = int(days.out_days.sum()), int(days.days.sum())
    rate = out_days / all_days if all_days else None
    ctx.show("stockout_rate", rate)
    out += tables.subheading(text("inventory.stockouts", lang))
    out += tables.note(text("inventory.stockout_rate", lang, value=formats.pct(rate), out=out_days, days=all_days))
    hit = days[days.out_days > 0]
    out += tables.data_table("stockouts", hit.head(20), [
        Col("sku", "col.sku"), Col("title", "col.product"), Col("out_days", "col.out_days", "count"),
        Col("days", "col.days", "count"), Col("stockout_rate", "stockout_rate", "rate")], lang) \
        if not hit.empty else tables.note(text("inventory.stockouts_none", lang))
    slow = _inv.slow_movers(ctx.stock, ctx.day)
    out += tables.subheading(text("inventory.slow", lang))
    out += tables.data_table("slow_movers", slow.head(20), [
        Col("sku", "col.sku"), Col("title", "col.product"), Col("on_hand", "col.on_hand", "count"),
        Col("stock_value", "col.stock_value", "money"), Col("launched_on", "col.launched", "date")], lang) \
        if not slow.empty else tables.note(text("inventory.slow_none", lang))
    return out + tables.subheading(text("inventory.arriving", lang)) + arriving(ctx)


def arriving(ctx: ReviewContext, days: int = ARRIVING_DAYS) -> Html:
    """Open purchase orders due in the ``days`` days after the period, and those already overdue
    (marked): one row per order, with its supplier, SKUs and units."""
    pos = _rep.on_order(ctx.t, ctx.day)
    if pos.empty and not ctx.t.purchase_orders.count().execute():
        return tables.note(text("inventory.no_pos", ctx.lang), "so-gap")
    last = ctx.day + _dt.timedelta(days=days)
    due = pos[pos.expected_on.map(lambda d: d is not None and d == d and d <= last)]
    if due.empty:
        return tables.note(text("inventory.arriving_none", ctx.lang))
    due = due.join(ctx.stock.set_index("sku")[["supplier"]], on="sku")
    per_po = due.groupby(["expected_on", "po_id"], as_index=False).agg(
        supplier=("supplier", "first"), skus=("sku", "size"), qty=("qty", "sum"))
    late = per_po.expected_on <= ctx.day
    return tables.data_table("arriving", per_po, [
        Col("expected_on", "col.expected_on", "date"), Col("po_id", "col.po"), Col("supplier", "col.supplier"),
        Col("skus", "col.skus", "count"), Col("qty", "col.qty", "count")], ctx.lang,
        row_class=late.map({True: "so-bad-row", False: ""})) + (
        tables.note(text("inventory.overdue", ctx.lang, n=int(late.sum()))) if late.any() else Html(""))
