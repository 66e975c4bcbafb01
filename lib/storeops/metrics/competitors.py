"""Competitors (竞品): METRICS.md#competitors, from the ``competitor_products`` snapshots."""

from __future__ import annotations

import pandas as pd

from storeops.metrics.base import in_period
from storeops.periods import Period
from storeops.warehouse import Tables


def latest(t: Tables, p: Period) -> pd.DataFrame:
    """Each tracked item as last seen in ``p``, with its estimated sales = price × monthly_sales."""
    c = t.competitor_products.filter(in_period(t.competitor_products.date, p)).execute()
    if c.empty:
        return c.assign(est_sales=pd.Series(dtype=float))
    cp = t.competitor_products  # where first_seen is empty: the item's first snapshot ever
    seen = cp.group_by(["competitor", "item_id"]).aggregate(seen=cp.date.min()).execute()
    c = c.merge(seen, on=["competitor", "item_id"], how="left")
    c["first_seen"] = c.first_seen.fillna(c.pop("seen"))
    c = c.sort_values("date").drop_duplicates(["competitor", "item_id"], keep="last")  # one snapshot whole
    c["price"] = c.price.astype(float)
    c["est_sales"] = c.price * c.monthly_sales.fillna(0)
    c["first_seen"] = pd.to_datetime(c.first_seen).dt.date
    return c


def summary(t: Tables, p: Period) -> pd.DataFrame:
    """Per competitor: items tracked in ``p``, items first seen in ``p``, estimated sales."""
    c = latest(t, p)
    if c.empty:
        return pd.DataFrame(columns=["competitor", "items", "new_items", "est_sales"])
    c["new"] = c.first_seen.map(lambda d: d is not None and d == d and p.start <= d <= p.end)
    g = c.groupby("competitor").agg(items=("item_id", "size"), new_items=("new", "sum"), est_sales=("est_sales", "sum"))
    g["new_items"] = g.new_items.astype(int)
    return g.sort_values(["est_sales", "competitor"], ascending=[False, True]).reset_index()


def top_items(t: Tables, p: Period, n: int = 3) -> pd.DataFrame:
    """Each competitor's ``n`` items with the highest estimated sales."""
    c = latest(t, p)
    if c.empty:
        return c
    c = c.sort_values(["competitor", "est_sales", "item_id"], ascending=[True, False, True])
    return c.groupby("competitor").head(n).reset_index(drop=True)


def price_index(t: Tables, p: Period) -> pd.DataFrame:
    """Per category both sides sell: the median competitor price ÷ our median price (on sale)."""
    c = latest(t, p)
    ours = t.products.filter(t.products.status == "on_sale").select("category", "price").execute()
    ours = ours.dropna().assign(price=lambda d: d.price.astype(float)).groupby("category").price.median()
    theirs = c.dropna(subset=["category", "price"]).groupby("category").price.median() if not c.empty else pd.Series(
        dtype=float)
    both = pd.DataFrame({"their_median": theirs, "our_median": ours}).dropna()
    both["price_index"] = both.their_median / both.our_median.where(both.our_median > 0)
    return both.rename_axis("category").reset_index()
