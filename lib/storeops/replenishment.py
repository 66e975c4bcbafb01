"""The Thursday replenishment table (补货需求表): what notebooks/replenishment.ipynb calls.

Per SKU on sale, as counted on the report day: what to order, how much, from whom and how
urgently (metrics.replenishment), with last week's stock ledger (进销存). The runner also
writes the table as an Excel workbook for purchasing (:func:`workbook`).

>>> ctx = storeops.replenishment.context("2026-11-26", lang="en")  # doctest: +SKIP
>>> storeops.replenishment.table(ctx).data["replenishment"]        # the whole table
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from storeops import config as _config
from storeops.metrics import replenishment as _rep
from storeops.periods import Period
from storeops.present import formats, tables, workbook as _wb
from storeops.present.i18n import Lang, text
from storeops.present.tables import KEY, Col, Html
from storeops.reviews import stock
from storeops.reviews.context import ReviewContext, open_context
from storeops.reviews.sections import glossary, header, summary

__all__ = ["context", "header", "overview", "table", "ledger", "glossary", "summary", "workbook"]

#: the columns of the table, in the report and in the workbook
COLUMNS = [Col("sku", "col.sku"), Col("title", "col.product", "product", KEY), Col("color", "col.color"), Col("size", "col.size"),
           Col("supplier", "col.supplier"), Col("sales_class", "col.class"), Col("state", "col.status", priority=KEY),
           Col("velocity", "velocity", "ratio"), Col("sigma", "col.sigma", "ratio"),
           Col("on_hand", "col.on_hand", "count"), Col("on_order", "on_order", "count"),
           Col("arrivals", "col.arrivals"), Col("lead_time_days", "col.lead_time", "count"),
           # whole units and days for the reader; the precise values stay in .data and summary.json
           Col("safety_stock", "safety_stock", "units"), Col("reorder_point", "reorder_point", "units"),
           Col("days_cover", "days_cover", "days"), Col("stockout_date", "col.stockout_date", "date", KEY),
           Col("moq", "col.moq", "count"), Col("case_pack", "col.case_pack", "count"),
           Col("suggested_qty", "suggested_qty", "count", KEY), Col("unit_cost", "col.unit_cost", "money"),
           Col("order_value", "col.order_value", "money")]
SUMS = ("on_hand", "on_order", "suggested_qty", "order_value")
#: a supplier's sheet: what to order, when and for how much first; the rest of what purchasing checks after
SUPPLIER_COLUMNS = [
    Col("sku", "col.sku"), Col("title", "col.product", "product"), Col("color", "col.color"), Col("size", "col.size"),
    Col("suggested_qty", "suggested_qty", "units"), Col("order_by", "col.order_by", "date"),
    Col("delivery", "col.delivery", "date"), Col("unit_cost", "col.unit_cost", "money"),
    Col("order_value", "col.order_value", "money"), Col("state", "col.status"), Col("sales_class", "col.class"),
    Col("on_hand", "col.on_hand", "units"), Col("on_order", "on_order", "units"), Col("arrivals", "col.arrivals"),
    Col("days_cover", "days_cover", "days"), Col("stockout_date", "col.stockout_date", "date"),
    Col("lead_time_days", "col.lead_time", "days"), Col("safety_stock", "safety_stock", "units"),
    Col("reorder_point", "reorder_point", "units"), Col("moq", "col.moq", "units"),
    Col("case_pack", "col.case_pack", "units")]
CHASE_COLUMNS = [Col("supplier", "col.supplier"), Col("po_id", "col.po"), Col("sku", "col.sku"),
                 Col("title", "col.product", "product", KEY), Col("qty", "col.qty", "units"),
                 Col("expected_on", "col.expected_on", "date"), Col("days_overdue", "col.days_overdue", "days", KEY),
                 Col("stockout_date", "col.stockout_date", "date", KEY)]


def context(report_date: str | _dt.date | None = None, config: str | None = None, lang: Lang | None = None,
            allow_incomplete: bool = False) -> ReviewContext:
    """The stock as counted on ``report_date`` (default: today, store time); a day without a stock
    count, or without orders the day before, is refused unless ``allow_incomplete``."""
    return open_context("replenishment", report_date, config, lang, allow_incomplete)


def plan(ctx: ReviewContext) -> pd.DataFrame:
    """The replenishment table (metrics.replenishment.table), worked out once per report."""
    return stock.plan(ctx)


def _shown(df: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The table as a reader sees it: class and status in words, urgent SKUs marked."""
    state = [text(f"status.{s}", lang) + (" · " + text("status.urgent", lang) if u else "")
             for s, u in zip(df.status, df.urgent)]
    return stock.worded(df.drop(columns="status"), lang).assign(status=df.status, state=state)


def _totals(p: pd.DataFrame, by: str, lang: Lang) -> pd.DataFrame:
    """metrics.replenishment.totals with the status or class in words."""
    return stock.worded(_rep.totals(p, by), lang)


def overview(ctx: ReviewContext) -> Html:
    """概览: counts and value at cost by status and by class; what runs out even if ordered today;
    the hot SKUs' arrivals from open purchase orders."""
    lang, p = ctx.lang, plan(ctx)
    for k in ("stock_warning", "suggested_qty", "on_order", "sales_class"):
        ctx.explain(k)
    urgent = p[p.urgent]
    counts = p.status.value_counts()
    for s in _rep.STATUSES:
        ctx.shown[f"skus_{s}"] = int(counts.get(s, 0))
    late = stock.overdue(ctx)
    ctx.shown.update(skus_urgent=len(urgent), action_replenish_urgent=len(urgent),
                     action_po_overdue=len(late), action_hot_out=len(stock.hot_out(ctx)),
                     action_replenish_reorder=int(counts.get("reorder", 0)),
                     suggested_qty=int(p.suggested_qty.sum()), order_value=round(float(p.order_value.sum()), 2),
                     stock_value=round(float(p.stock_value.sum()), 2))
    ctx.lists["suppliers"] = _to_order(p, lang)
    cols = [Col("skus", "col.skus", "count"), Col("on_hand", "col.on_hand", "count"),
            Col("stock_value", "col.stock_value", "money"), Col("suggested_qty", "suggested_qty", "count"),
            Col("order_value", "col.order_value", "money")]
    by_status, by_class = _totals(p, "status", lang), _totals(p, "sales_class", lang)
    out = tables.section("replenishment_overview", lang, "overview", ctx.kind)
    out += tables.note(text("replenishment.totals", lang, skus=len(p), units=formats.count(p.suggested_qty.sum(), lang),
                            value=formats.money(p.order_value.sum(), lang)))
    out += tables.data_table("by_status", by_status, [Col("status", "col.status"), *cols], lang)
    out += tables.data_table("by_class", by_class, [Col("sales_class", "col.class"), *cols], lang)
    out += tables.subheading(text("replenishment.urgent", lang))
    out += tables.data_table("urgent", _shown(urgent, lang), [
        Col("sku", "col.sku"), Col("title", "col.product", "product", KEY), Col("supplier", "col.supplier"),
        Col("on_hand", "col.on_hand", "count"), Col("on_order", "on_order", "count"),
        Col("days_cover", "days_cover", "days"), Col("stockout_date", "col.stockout_date", "date", KEY),
        Col("lead_time_days", "col.lead_time", "count"), Col("suggested_qty", "suggested_qty", "count", KEY)], lang) \
        if not urgent.empty else tables.note(text("replenishment.urgent_none", lang))
    hot = p[(p.sales_class == "hot") & (p.on_order > 0)].sort_values(["next_arrival", "sku"])
    ctx.shown["skus_overdue"] = int((p.overdue > 0).sum())
    out += stock.chase(ctx)
    out += tables.subheading(text("replenishment.hot_arrivals", lang))
    out += tables.data_table("hot_arrivals", hot, [  # what purchasing reads first, first
        Col("sku", "col.sku"), Col("arrivals", "col.arrivals"), Col("on_order", "on_order", "count"),
        Col("on_hand", "col.on_hand", "count"), Col("days_cover", "days_cover", "days"),
        Col("title", "col.product", "product", KEY), Col("supplier", "col.supplier")], lang) \
        if not hot.empty else tables.note(text("replenishment.hot_arrivals_none", lang))
    return out


def _by_supplier(p: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """What to order from each supplier, by supplier: SKUs to order, the urgent ones among them,
    units and cost (the workbook's first sheet, the digest's list)."""
    ordering = p[p.suggested_qty > 0].assign(supplier=lambda d: d.supplier.fillna(text("workbook.no_supplier", lang)))
    return ordering.groupby("supplier", sort=True).agg(
        skus=("sku", "size"), urgent=("urgent", "sum"), suggested_qty=("suggested_qty", "sum"),
        order_value=("order_value", "sum")).reset_index()


def _to_order(p: pd.DataFrame, lang: Lang) -> list[dict]:
    """:func:`_by_supplier` as the digest lists it: the supplier with the most urgent first, then by cost."""
    g = _by_supplier(p, lang).sort_values(["urgent", "order_value", "supplier"], ascending=[False, False, True])
    return [{"supplier": r.supplier, "skus": int(r.skus), "urgent": int(r.urgent), "units": int(r.suggested_qty),
             "value": round(float(r.order_value), 2)} for r in g.itertuples()]


def table(ctx: ReviewContext) -> Html:
    """补货需求表: every SKU with a suggested order or a warning (all SKUs in the workbook), most urgent first;
    the products without a lead time, and stock counts below zero, each named in a line."""
    lang, p = ctx.lang, plan(ctx)
    for k in ("velocity", "safety_stock", "reorder_point", "days_cover"):
        ctx.explain(k)
    default_lead = stock.settings(ctx).lead_time_days
    decide = p[(p.status != "ok") | p.urgent | (p.suggested_qty > 0)]
    out = tables.section("replenishment_table", lang, "table", ctx.kind)
    out += tables.note(text("replenishment.shown", lang, n=len(decide), total=len(p)))
    unset = p[~p.lead_time_set]
    if len(unset):
        out += tables.note(text("replenishment.no_lead_time", lang, n=len(unset), days=default_lead,
                                skus=_few(unset.sku)), "so-gap")
    negative = p[p.on_hand < 0]
    if len(negative):
        out += tables.note(text("replenishment.negative", lang, n=len(negative), skus=_few(negative.sku)), "so-gap")
    no_cost = p[p.unit_cost.isna()]
    if len(no_cost):
        out += tables.note(text("replenishment.no_cost", lang, n=len(no_cost), skus=_few(no_cost.sku)), "so-gap")
    if p.status.eq("no_count").any():
        out += tables.note(text("replenishment.no_count", lang, n=int(p.status.eq("no_count").sum())), "so-gap")
    rows = _shown(decide, lang)
    marks = pd.Series(["so-bad-row" if urgent else "so-warn" if status == "reorder" else ""
                       for urgent, status in zip(rows.urgent, rows.status)])
    return out + tables.data_table("replenishment", rows, COLUMNS, lang, row_class=marks)


def _few(skus: pd.Series, n: int = 10) -> str:
    listed = ", ".join(skus.head(n))
    return listed + (f" … (+{len(skus) - n})" if len(skus) > n else "")


def ledger_period(day: _dt.date) -> Period:
    """The last complete ISO week before ``day``: the ledger the table shows."""
    return Period.week_of(day - _dt.timedelta(days=day.weekday() + 1))


def ledger(ctx: ReviewContext) -> Html:
    """进销存: last week's stock ledger by category, and the SKUs whose count differs most from it."""
    p = ledger_period(ctx.day)
    return (tables.section("ledger", ctx.lang, "ledger", ctx.kind)
            + tables.note(text("ledger.period", ctx.lang, week=p.label, start=p.start.isoformat(), end=p.end.isoformat()))
            + stock.ledger_tables(ctx, p, stock.settings(ctx).stock_falls_at))


def workbook(ctx: ReviewContext) -> bytes:
    """补货需求表.xlsx, the order a clerk sends each supplier as it is: a summary sheet (each supplier's
    SKUs, units and cost to order, and the overdue purchase orders to chase), sheets by status and by
    class, then one sheet per supplier that opens with what to order — reorder now, then watch, with
    the last day to order and the delivery — and lists its other SKUs after a gap; totals follow the
    filters; printed landscape, one page wide, with supplier, date and store in the page header."""
    lang, p = ctx.lang, plan(ctx)
    rows = _shown(p, lang)
    rows["supplier"] = rows.supplier.fillna(text("workbook.no_supplier", lang))
    sums = [Col("skus", "col.skus", "count"), Col("on_hand", "col.on_hand", "units"),
            Col("stock_value", "col.stock_value", "money"), Col("suggested_qty", "suggested_qty", "units"),
            Col("order_value", "col.order_value", "money")]
    by = {k: _totals(p, k, lang) for k in ("status", "sales_class")}
    to_order = _by_supplier(p, lang)
    chase = stock.overdue(ctx).assign(supplier=lambda d: d.supplier.fillna(text("workbook.no_supplier", lang)))
    store, day = ctx.cfg.name(lang), ctx.day.isoformat()
    summary_cols = [Col("supplier", "col.supplier"), Col("skus", "col.skus_to_order", "count"),
                    Col("suggested_qty", "suggested_qty", "units"), Col("order_value", "col.order_value", "money")]
    sheets = [_wb.Sheet(text("workbook.summary", lang), to_order, summary_cols,
                        sums=["skus", "suggested_qty", "order_value"], highlight="suggested_qty",
                        more=[_wb.Block(text("replenishment.overdue", lang), chase, CHASE_COLUMNS)] if len(chase) else (),
                        header=f"{store} · {text('workbook.summary', lang)} · {day}"),
              _wb.Sheet(text("workbook.by_status", lang), by["status"], [Col("status", "col.status"), *sums],
                        sums=[c.name for c in sums]),
              _wb.Sheet(text("workbook.by_class", lang), by["sales_class"], [Col("sales_class", "col.class"), *sums],
                        sums=[c.name for c in sums])]
    order = {"reorder": 0, "watch": 1}
    for name, df in rows.groupby("supplier", sort=True):
        first = df[df.suggested_qty > 0]
        first = first.assign(_o=first.status.map(order).fillna(2), _u=~first.urgent).sort_values(
            ["_u", "_o", "order_by", "sku"]).drop(columns=["_o", "_u"])
        rest = df[df.suggested_qty <= 0]
        sheets.append(_wb.Sheet(name, first, SUPPLIER_COLUMNS, sums=("suggested_qty", "order_value"),
                                highlight="suggested_qty",
                                more=[_wb.Block(text("workbook.rest", lang), rest, SUPPLIER_COLUMNS)] if len(rest) else (),
                                header=text("workbook.header", lang, supplier=name, store=store, date=day)))
    return _wb.build(sheets, lang)


def workbook_for(cfg: _config.Config, day: _dt.date, lang: Lang, allow_incomplete: bool) -> bytes:
    """The workbook for ``day`` as the runner writes it beside the report."""
    ctx = open_context("replenishment", day, str(cfg.path), lang, allow_incomplete)
    try:
        return workbook(ctx)
    finally:
        ctx.con.disconnect()
