"""Inventory (库存): velocity, sales class, days of cover. METRICS.md#inventory-and-replenishment."""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

from storeops.metrics.base import in_period
from storeops.periods import Period
from storeops.warehouse import Tables

HOT, STEADY = 0.80, 0.95
#: a slow SKU with more days of cover than this is overstock (METRICS.md stock_warning)
OVERSTOCK_DAYS = 90
#: a SKU launched this recently has had no time to sell: neither a slow mover nor overstock for lack of sales
NEW_DAYS = 30
#: the longer window a SKU out of stock for all of the last 28 days takes its sales rate from
LONG_DAYS = 90


def _units_by_day(t: Tables, p: Period) -> pd.DataFrame:
    """Units and amount paid per SKU and day."""
    o = t.orders.filter(in_period(t.orders.paid_at, p)).select("order_id", "paid_at")
    lines = t.order_items.join(o, "order_id")
    g = lines.group_by(["sku", lines.paid_at.date().name("date")]).aggregate(
        units=lines.qty.sum().cast("int64"), amount=lines.amount.sum())
    # through Arrow: the amounts arrive as exact decimals, without ibis's per-value normalising (a
    # quarter second for the 90 days of a big store)
    return g.to_pyarrow().to_pandas()


def sales_class(amount_30: pd.Series) -> pd.Series:
    """热销/常销/滞销 from each SKU's paid amount over 30 days.

    Ranked by amount: the SKUs that make up the first 80 % of sales are hot, up
    to 95 % steady, the rest slow; no sale in 30 days is slow. The SKU that
    crosses a line belongs to the class below it (as in ABC analysis): read
    literally, "cumulative share ≤ 80 %" would leave a store whose best seller
    makes 85 % of sales with no hot SKU at all.

    >>> sales_class(pd.Series({"a": 50, "b": 30, "c": 15, "d": 5, "e": 0})).tolist()
    ['hot', 'hot', 'steady', 'slow', 'slow']
    """
    a = amount_30.astype(float).sort_values(ascending=False, kind="stable")
    total = a.sum()
    before = (a.cumsum() - a) / total if total > 0 else a * 0 + 1
    cls = np.where(a <= 0, "slow", np.where(before < HOT - 1e-12, "hot",
                                            np.where(before < STEADY - 1e-12, "steady", "slow")))
    return pd.Series(cls, index=a.index).reindex(amount_30.index)


def stock_status(t: Tables, day: _dt.date, sales_to: _dt.date | None = None) -> pd.DataFrame:
    """Per SKU on sale: on hand at the end of ``day``, velocity, σ of daily units, class, days of
    cover, and the product's purchasing settings (supplier, unit cost, lead time, MOQ, case pack).
    Sales are counted to ``sales_to`` (default ``day``; the Thursday table counts to the day before
    the morning's stock count).

    velocity = units paid over the 28 days ÷ days in stock among them; a day counts as in stock
    when it ended with stock or the SKU sold that day (a SKU that sold out in the afternoon was
    on sale that day). A SKU out of stock on all 28 days takes its rate from the in-stock days of
    the last 90 (``velocity_days``): a best seller stuck at zero is not a SKU without demand.
    σ is the sample standard deviation of the units paid on the in-stock days of the 28 (0 with
    fewer than two).
    """
    end = sales_to or day
    w28, w30, w90 = (Period.day(end).trailing(n) for n in (28, 30, LONG_DAYS))
    sold = _units_by_day(t, w90)
    inv = t.inventory.filter(in_period(t.inventory.date, Period(w90.start, max(day, end), "custom"))).execute()
    prods = t.products.filter(t.products.status == "on_sale").select(
        "sku", "product_id", "title", "category", "color", "size", "supplier", "unit_cost", "launched_on",
        "lead_time_days", "moq", "case_pack").execute().set_index("sku")
    sold["date"] = pd.to_datetime(sold["date"]).dt.date
    inv["date"] = pd.to_datetime(inv["date"]).dt.date

    def in_stock(w: Period) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
        """Units paid, days in stock, and units on each in-stock day, per SKU over ``w``."""
        s = sold[(sold.date >= w.start) & (sold.date <= w.end)]
        i = inv[(inv.date >= w.start) & (inv.date <= w.end)]
        days_in = pd.concat([i[i.on_hand > 0][["sku", "date"]], s[s.units > 0][["sku", "date"]]]).drop_duplicates()
        daily = days_in.merge(s[["sku", "date", "units"]], on=["sku", "date"], how="left").fillna({"units": 0})
        return s.groupby("sku").units.sum(), days_in.groupby("sku").size(), daily

    units_28, days_28, daily = in_stock(w28)
    units_90, days_90, _ = in_stock(w90)
    out = prods.copy()
    out["on_hand"] = inv[inv.date == day].set_index("sku").on_hand.reindex(out.index)
    out["units_28"] = units_28.reindex(out.index).fillna(0).astype(int)
    out["in_stock_days"] = days_28.reindex(out.index).fillna(0).astype(int)
    long = units_90.reindex(out.index).fillna(0) / days_90.reindex(out.index).replace(0, np.nan)
    out["velocity"] = (out.units_28 / out.in_stock_days.replace(0, np.nan)).fillna(long.where(out.in_stock_days == 0))
    out["velocity_days"] = np.where(out.in_stock_days > 0, 28, np.where(out.velocity.notna(), LONG_DAYS, 0))
    out["sigma"] = daily.groupby("sku").units.std(ddof=1).reindex(out.index).fillna(0.0)
    s30 = sold[sold.date >= w30.start]
    out["amount_30"] = s30.groupby("sku").amount.sum().astype(float).reindex(out.index).fillna(0)
    out["sales_class"] = sales_class(out.amount_30)
    out["days_cover"] = out.on_hand / out.velocity.replace(0, np.nan)
    return out.reset_index()


def hot_short(status: pd.DataFrame) -> pd.DataFrame:
    """Hot SKUs that will run out before a new order lands: days of cover < lead time."""
    s = status[(status.sales_class == "hot") & (status.days_cover < status.lead_time_days)]
    return s.sort_values(["days_cover", "sku"])  # ties by SKU: the same list on every engine


def out_of_stock_with_visitors(t: Tables, day: _dt.date, status: pd.DataFrame) -> pd.DataFrame:
    """SKUs with nothing on hand at the end of ``day`` whose product had visitors that day."""
    pt = t.product_traffic
    uv = pt.filter(pt.date == day).select("product_id", "uv").execute()
    oos = status[status.on_hand == 0].merge(uv, on="product_id", how="inner")
    return oos[oos.uv > 0].sort_values(["uv", "sku"], ascending=[False, True])


def stockout_days(t: Tables, p: Period) -> pd.DataFrame:
    """Per SKU on sale with a stock count in ``p``: days counted, days that ended with nothing on hand,
    and the stock-out rate (缺货率 = stock-out SKU-days ÷ SKU-days on sale); SKUs with a stock-out first."""
    on_sale = t.products.filter(t.products.status == "on_sale").select("sku", "title")
    inv = t.inventory.filter(in_period(t.inventory.date, p)).join(on_sale, "sku")
    g = inv.group_by(["sku", "title"]).aggregate(days=inv.count(), out_days=(inv.on_hand <= 0).sum()).execute()
    g["out_days"] = g.out_days.fillna(0).astype(int)
    g["stockout_rate"] = g.out_days / g.days
    return g.sort_values(["out_days", "sku"], ascending=[False, True]).reset_index(drop=True)


def is_new(launched_on: pd.Series, day: _dt.date) -> pd.Series:
    """Launched in the ``NEW_DAYS`` days to ``day``, or later (no launch date: not new). A report of
    a past day sees today's products: one launched after that day had had no time to sell."""
    return launched_on.map(lambda d: d is not None and d == d and (day - pd.Timestamp(d).date()).days < NEW_DAYS)


def slow_movers(status: pd.DataFrame, day: _dt.date) -> pd.DataFrame:
    """Clearance candidates: SKUs on sale with stock, no sale in 30 days and launched before that,
    most stock value first."""
    s = status[(status.amount_30 <= 0) & (status.on_hand > 0) & ~is_new(status.launched_on, day)].copy()
    s["stock_value"] = (s.on_hand * s.unit_cost.astype(float)).round(2)
    return s.sort_values(["stock_value", "sku"], ascending=[False, True])


def by_class(status: pd.DataFrame, overstock_days: float = OVERSTOCK_DAYS) -> pd.DataFrame:
    """Per sales class: SKUs, units on hand, stock value at cost, and how many are out of stock,
    will run out before a new order lands (days of cover < lead time) or are overstock (slow, > 90 days)."""
    s = status.assign(stock=status.on_hand.fillna(0).clip(lower=0))
    s["value"] = s.stock * s.unit_cost.astype(float)
    s["out"] = s.on_hand.fillna(1) <= 0
    s["short"] = s.days_cover < s.lead_time_days
    s["over"] = (s.sales_class == "slow") & (s.days_cover > overstock_days)
    g = s.groupby("sales_class").agg(skus=("sku", "size"), on_hand=("stock", "sum"), stock_value=("value", "sum"),
                                     out_of_stock=("out", "sum"), short=("short", "sum"), overstock=("over", "sum"))
    g = g.reindex([c for c in ("hot", "steady", "slow") if c in g.index]).reset_index()
    g["stock_value"] = g.stock_value.round(2)
    return g


def health(t: Tables, p: Period) -> dict[str, float | None]:
    """库存健康 over ``p``: cogs (Σ qty × unit_cost of the lines paid), mean daily stock value at cost
    (Σ on hand × unit_cost per counted day, a negative count as 0), turnover = cogs ÷ that mean,
    days_inventory = days ÷ turnover, sell_through = units sold ÷ (on hand the day before ``p`` +
    units received in ``p``)."""
    cost = t.products.select("sku", "unit_cost")
    o = t.orders.filter(in_period(t.orders.paid_at, p)).select("order_id")
    lines = t.order_items.semi_join(o, "order_id").join(cost, "sku")
    sold = lines.aggregate(cogs=(lines.qty * lines.unit_cost).sum(), units=lines.qty.sum()).execute().iloc[0]
    inv = t.inventory.filter(in_period(t.inventory.date, p)).join(cost, "sku")
    daily = inv.group_by("date").aggregate(value=(inv.on_hand.clip(lower=0) * inv.unit_cost).sum()).execute()
    before = p.start - _dt.timedelta(days=1)
    opening = t.inventory.filter(t.inventory.date == before).on_hand.clip(lower=0).sum().execute()
    po = t.purchase_orders
    received = po.filter(in_period(po.received_on, p)).qty_received.sum().execute()
    cogs = float(sold.cogs or 0)
    mean_value = float(daily.value.astype(float).mean()) if len(daily) else None
    turnover = cogs / mean_value if mean_value else None
    base = None if opening is None or pd.isna(opening) else float(opening) + float(received or 0)
    units = float(sold.units or 0)
    return {"cogs": cogs, "stock_value_mean": mean_value, "turnover": turnover,
            "days_inventory": p.days / turnover if turnover else None,
            "sell_through": units / base if base else None}


AGE_BUCKETS = (30, 60, 90)


def aged_stock(t: Tables, day: _dt.date, status: pd.DataFrame) -> pd.DataFrame:
    """库龄: SKUs with stock at the end of ``day`` by days without a paid sale — 30–59, 60–89, 90 or
    more — with units and value at cost per bucket. A SKU never sold counts from its launch or from
    the first day of the store's data, whichever is later: what the data cannot see is not aged.

    Only the last sale of the 90 days to ``day`` is looked up (a report reads those days' row groups);
    a SKU with none there but a sale before is 90 or more days idle, whenever that sale was."""
    cutoff = _dt.datetime.combine(day + _dt.timedelta(days=1), _dt.time())
    start = _dt.datetime.combine(day - _dt.timedelta(days=AGE_BUCKETS[-1] - 1), _dt.time())
    o = t.orders.filter(t.orders.paid_at < cutoff)
    first = o.paid_at.min().execute()
    first = None if first is None or pd.isna(first) else pd.Timestamp(first).date()
    recent = o.filter(o.paid_at >= start)
    lines = t.order_items.join(recent.select("order_id", "paid_at"), "order_id")
    last = lines.group_by("sku").aggregate(last=lines.paid_at.max()).execute().set_index("sku")["last"]
    idle = [sku for sku in status.sku[status.on_hand > 0] if sku not in last.index]
    if idle:  # sold before the 90 days: idle 90 days or more, which is all the buckets need to know
        before = t.order_items.filter(t.order_items.sku.isin(idle)).semi_join(
            o.filter(o.paid_at < start).select("order_id"), "order_id").select("sku").distinct().execute()
        last = pd.concat([last, pd.Series(pd.Timestamp(start - _dt.timedelta(days=1)), index=before.sku)])
    s = status[status.on_hand > 0].copy()
    since = []
    for sku, launched in zip(s.sku, s.launched_on):
        sold = last.get(sku)
        if sold is not None and not pd.isna(sold):
            since.append(pd.Timestamp(sold).date())
        else:
            known = [d for d in (first, None if launched is None or pd.isna(launched) else pd.Timestamp(launched).date())
                     if d is not None]
            since.append(max(known) if known else day)
    s["idle_days"] = [(day - d).days for d in since]
    s["value"] = s.on_hand * s.unit_cost.astype(float)
    rows = []
    for lo, hi in zip(AGE_BUCKETS, (*AGE_BUCKETS[1:], None)):
        b = s[(s.idle_days >= lo) & ((s.idle_days < hi) if hi else True)]
        rows.append({"bucket": f"{lo}+" if hi is None else f"{lo}-{hi - 1}", "skus": len(b),
                     "units": int(b.on_hand.sum()), "value": round(float(b.value.sum()), 2)})
    return pd.DataFrame(rows)
