"""The stock sections: inventory health for a week or a month, and the parts of the Thursday
replenishment table (the table, its summary, the stock ledger).
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from storeops.metrics import inventory as _inv
from storeops.metrics import registry
from storeops.metrics import replenishment as _rep
from storeops.present import formats, tables
from storeops.present.i18n import text
from storeops.present.tables import KEY, Col, Html
from storeops.reviews.context import ReviewContext

ARRIVING_DAYS = 14


#: columns whose values are words in the catalog: sales class and replenishment status
WORDED = {"sales_class": "class", "status": "status"}


def worded(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``df`` with its sales class and status (where it has them) in the reader's words."""
    return df.assign(**{c: df[c].map(lambda v, k=k: text(f"{k}.{v}", lang)) for c, k in WORDED.items() if c in df})


def settings(ctx: ReviewContext) -> _rep.Settings:
    """The store's ``replenishment:`` settings (metrics.replenishment.Settings), read once per review."""
    if "replenishment_settings" not in ctx.computed:
        ctx.computed["replenishment_settings"] = _rep.Settings.from_config(ctx.cfg.raw, str(ctx.cfg.path))
    return ctx.computed["replenishment_settings"]


def _by_class(ctx: ReviewContext) -> Html:
    """SKUs, stock and warnings per sales class (inventory.by_class)."""
    return tables.subheading(text("inventory.by_class", ctx.lang)) + tables.data_table(
        "by_class", worded(_inv.by_class(ctx.stock, settings(ctx).overstock_days), ctx.lang),
        [Col("sales_class", "col.class"), Col("skus", "col.skus", "count"), Col("on_hand", "col.on_hand", "count"),
         Col("stock_value", "col.stock_value", "money"), Col("out_of_stock", "col.out_of_stock", "count"),
         Col("short", "col.short", "count"), Col("overstock", "col.overstock", "count")], ctx.lang)


def inventory(ctx: ReviewContext) -> Html:
    """库存: SKUs by class with their warnings, stock-out SKU-days in the period, slow movers to clear,
    purchase orders due in the next 14 days."""
    lang = ctx.lang
    out = tables.section("inventory", lang, "inventory", ctx.kind)
    if not ctx.tracks("inventory"):
        return out + ctx.gaps("inventory")
    for k in ("sales_class", "days_cover", "stockout_rate"):
        ctx.explain(k)
    out += _by_class(ctx)
    days = _inv.stockout_days(ctx.t, ctx.period)
    out_days, all_days = int(days.out_days.sum()), int(days.days.sum())
    rate = out_days / all_days if all_days else None
    ctx.show("stockout_rate", rate)
    out += tables.subheading(text("inventory.stockouts", lang))
    out += tables.note(text("inventory.stockout_rate", lang, value=formats.pct(rate), out=out_days, days=all_days))
    hit = days[days.out_days > 0]
    out += tables.data_table("stockouts", hit.head(20), [
        Col("sku", "col.sku"), Col("title", "col.product", "product", KEY), Col("out_days", "col.out_days", "count"),
        Col("days", "col.days", "count"), Col("stockout_rate", "stockout_rate", "rate")], lang) \
        if not hit.empty else tables.note(text("inventory.stockouts_none", lang))
    slow = _inv.slow_movers(ctx.stock, ctx.day)
    out += tables.subheading(text("inventory.slow", lang))
    out += tables.data_table("slow_movers", slow.head(20), [
        Col("sku", "col.sku"), Col("title", "col.product", "product", KEY), Col("on_hand", "col.on_hand", "count"),
        Col("stock_value", "col.stock_value", "money"), Col("launched_on", "col.launched", "date")], lang) \
        if not slow.empty else tables.note(text("inventory.slow_none", lang))
    return out + tables.subheading(text("inventory.arriving", lang)) + arriving(ctx)


def plan(ctx: ReviewContext) -> pd.DataFrame:
    """The replenishment table (metrics.replenishment.table) as of the review's last day, worked out
    once per review: the Thursday table shows it, and the daily and weekly take from it the overdue
    purchase orders and the hot SKUs out of stock."""
    if "plan" not in ctx.computed:
        ctx.computed["plan"] = _rep.table(ctx.stock, _pos(ctx), settings(ctx), ctx.day)
    return ctx.computed["plan"]


def _pos(ctx: ReviewContext) -> pd.DataFrame:
    if "on_order" not in ctx.computed:
        ctx.computed["on_order"] = _rep.on_order(ctx.t, ctx.day)
    return ctx.computed["on_order"]


def overdue(ctx: ReviewContext) -> pd.DataFrame:
    """The purchase-order lines to chase (metrics.replenishment.overdue_orders), soonest stock-out first."""
    if "overdue" not in ctx.computed:
        ctx.computed["overdue"] = _rep.overdue_orders(_pos(ctx), plan(ctx), ctx.day)
    return ctx.computed["overdue"]


def hot_out(ctx: ReviewContext) -> pd.DataFrame:
    """Hot SKUs with nothing on hand at the end of the review's last day: on the first screen, always."""
    s = ctx.stock
    return s[(s.sales_class == "hot") & (s.on_hand <= 0)].sort_values(["amount_30", "sku"], ascending=[False, True])


def chase(ctx: ReviewContext) -> Html:
    """逾期采购单: the overdue purchase-order lines to chase, with supplier, units, days overdue and the
    stock-out they cause; and whether they still count as stock to come (``trust_overdue``)."""
    lang, late = ctx.lang, overdue(ctx)
    out = tables.subheading(text("replenishment.overdue", lang))
    if late.empty:
        return out + tables.note(text("replenishment.overdue_none", lang))
    units = int(late.qty.sum())
    key = "replenishment.overdue_counted" if settings(ctx).trust_overdue else "replenishment.overdue_left_out"
    return out + tables.data_table("overdue_orders", late, [
        Col("supplier", "col.supplier"), Col("po_id", "col.po"), Col("sku", "col.sku"), Col("title", "col.product", "product", KEY),
        Col("qty", "col.qty", "count"), Col("expected_on", "col.expected_on", "date"),
        Col("days_overdue", "col.days_overdue", "count", KEY), Col("stockout_date", "col.stockout_date", "date", KEY)], lang,
        row_class=late.urgent.map({True: "so-bad-row", False: ""}).reset_index(drop=True)) + tables.note(
        text(key, lang, units=formats.count(units, lang)), "so-gap")


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
    late = per_po.expected_on < ctx.day
    return tables.data_table("arriving", per_po, [
        Col("expected_on", "col.expected_on", "date"), Col("po_id", "col.po"), Col("supplier", "col.supplier"),
        Col("skus", "col.skus", "count"), Col("qty", "col.qty", "count")], ctx.lang,
        row_class=late.map({True: "so-bad-row", False: ""})) + (
        tables.note(text("inventory.overdue", ctx.lang, n=int(late.sum()))) if late.any() else Html(""))


def ledger_tables(ctx: ReviewContext, p, stock_falls_at: str = "payment") -> Html:
    """The stock ledger of ``p`` by category with a total row, and the SKUs whose count differs most."""
    lang = ctx.lang
    led = _rep.ledger(ctx.t, p, stock_falls_at)
    ctx.explain("ledger")
    out = Html("")
    by_cat = _rep.ledger_totals(led)
    whole = by_cat[[*_rep.LEDGER, *(f"{c}_value" for c in _rep.LEDGER), "skus", "uncounted"]].sum()
    ctx.shown.update(ledger_difference=int(whole["difference"]), ledger_difference_value=round(whole["difference_value"], 2),
                     ledger_uncounted=int(whole["uncounted"]))
    total = pd.DataFrame([{"category": text("workbook.total", lang), **whole.to_dict()}])
    shown = pd.concat([by_cat, total], ignore_index=True)
    units = [Col(c, f"ledger.{c}", "int") for c in _rep.LEDGER]
    out += tables.data_table("ledger_by_category", shown, [Col("category", "col.category"), *units,
                                                            Col("difference_value", "col.difference_value", "money", KEY),
                                                            Col("uncounted", "col.uncounted", "count")], lang)
    if whole["uncounted"]:
        out += tables.note(text("ledger.uncounted", lang, n=int(whole["uncounted"])), "so-gap")
    diff = led[led.difference.fillna(0) != 0].assign(size=lambda d: d.difference_value.abs())
    diff = diff.sort_values(["size", "sku"], ascending=[False, True]).head(20)
    out += tables.subheading(text("ledger.largest", lang))
    if diff.empty:  # "no difference" only where something was counted at both ends
        return out + (tables.note(text("ledger.none", lang)) if whole["skus"] else Html(""))
    return out + tables.data_table("ledger_differences", diff, [Col("sku", "col.sku"), Col("title", "col.product", "product", KEY),
                                                                *units, Col("difference_value", "col.difference_value",
                                                                            "money", KEY)], lang)




def health(ctx: ReviewContext) -> Html:
    """库存健康: turnover, days of inventory, stock-out rate, sell-through, aged stock at cost, the
    class mix, and the period's stock ledger (进销存) with its largest differences."""
    lang, p = ctx.lang, ctx.period
    out = tables.section("health", lang, "health", ctx.kind)
    if not ctx.tracks("inventory"):
        return out + ctx.gaps("inventory")
    h = _inv.health(ctx.t, p)
    days = _inv.stockout_days(ctx.t, p)
    rate = days.out_days.sum() / days.days.sum() if days.days.sum() else None
    figures = {"turnover": h["turnover"], "days_inventory": h["days_inventory"], "stockout_rate": rate,
               "sell_through": h["sell_through"]}
    for k, v in figures.items():
        ctx.show(k, v)
    df = pd.DataFrame({"metric": [registry.get(k).label(lang) for k in figures],
                       "value": [formats.value(v, registry.get(k).unit, lang) for k, v in figures.items()]})
    out += tables.data_table("inventory_health", df, [Col("metric", "col.metric"), Col("value", "col.value")], lang)
    aged = _inv.aged_stock(ctx.t, ctx.day, ctx.stock)
    ctx.explain("aged_stock")
    ctx.shown["aged_stock_90"] = float(aged.value.iloc[-1])
    out += tables.subheading(text("health.aged", lang)) + tables.data_table("aged_stock", aged, [
        Col("bucket", "col.idle_days"), Col("skus", "col.skus", "count"), Col("units", "col.units", "count"),
        Col("value", "col.stock_value", "money")], lang)
    ctx.explain("sales_class")
    out += _by_class(ctx)
    return out + tables.subheading(text("health.ledger", lang)) + ledger_tables(ctx, p, settings(ctx).stock_falls_at)
