"""Products (商品): what sold, and what drew visitors without selling."""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from storeops.metrics.base import in_period
from storeops.metrics.inventory import is_new
from storeops.metrics.sales import buyer, paid_in
from storeops.periods import Period
from storeops.warehouse import Tables


#: the product_id under which lines without a SKU are grouped
NO_SKU = "#no-sku"
#: prefix of the product_id of a SKU the products table does not know
UNKNOWN = "#sku:"


def performance(t: Tables, p: Period) -> pd.DataFrame:
    """Per product (SPU): paid amount (Σ line amounts of orders paid), units, paying buyers,
    visitors, and conversion = paying buyers ÷ visitors."""
    o = paid_in(t.orders, p)
    o = o.select("order_id", buyer_id=buyer(o))
    lines = t.order_items.join(o, "order_id").left_join(t.products.select("sku", "product_id"), "sku")
    # lines without a SKU (tips, gift cards, custom items) are sales too: one row of their own;
    # a SKU the products table lacks is a row of its own, titled by the SKU
    own_row = lines.sku.isnull().ifelse(NO_SKU, UNKNOWN + lines.sku)
    lines = lines.mutate(product_id=lines.product_id.coalesce(own_row))
    sales = lines.group_by("product_id").aggregate(
        paid_amount=lines.amount.sum(), units=lines.qty.sum(), buyers=lines.buyer_id.nunique())
    pt = t.product_traffic.filter(in_period(t.product_traffic.date, p))
    visits = pt.group_by("product_id").aggregate(uv=pt.uv.sum())
    titles = t.products.group_by("product_id").aggregate(title=t.products.title.max())
    df = (sales.outer_join(visits, "product_id").execute())
    df["product_id"] = df.product_id.fillna(df.pop("product_id_right"))
    df = df.merge(titles.execute(), on="product_id", how="left")
    unknown = df.product_id.str.startswith(UNKNOWN)
    df.loc[unknown, "title"] = df.product_id[unknown].str[len(UNKNOWN):]
    df["paid_amount"] = df.paid_amount.fillna(0).astype(float)
    df[["units", "buyers", "uv"]] = df[["units", "buyers", "uv"]].fillna(0).astype(int)
    df["conversion"] = df.buyers / df.uv.where(df.uv > 0)
    return df.sort_values(["paid_amount", "product_id"], ascending=[False, True]).reset_index(drop=True)


def top(perf: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n products with the highest paid amount."""
    return perf[perf.paid_amount > 0].head(n)


def high_uv_low_conversion(perf: pd.DataFrame, store_conversion: float | None) -> pd.DataFrame:
    """Candidates to move off prime display slots: among the top quarter of products by
    visitors, those converting at under half the store's conversion."""
    if not store_conversion or perf.empty:
        return perf.iloc[0:0]
    seen = perf[perf.uv > 0]
    busy = seen[seen.uv >= seen.uv.quantile(0.75)]
    return busy[busy.conversion.fillna(0) < 0.5 * store_conversion].sort_values(["uv", "product_id"],
                                                                                ascending=[False, True])


def on_sale(t: Tables) -> pd.DataFrame:
    """Products (SPU) with a SKU on sale: product_id, title, the earliest launch date."""
    p = t.products.filter(t.products.status == "on_sale")
    df = p.group_by("product_id").aggregate(title=p.title.max(), launched_on=p.launched_on.min()).execute()
    df["launched_on"] = pd.to_datetime(df.launched_on).dt.date
    return df


def bottom(perf: pd.DataFrame, shelf: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n products on sale that sold least (nothing at all counts), most visited first among equals."""
    df = _with_sales(shelf, perf)
    return df.sort_values(["paid_amount", "uv", "product_id"], ascending=[True, False, True]).head(n)


def _with_sales(shelf: pd.DataFrame, perf: pd.DataFrame) -> pd.DataFrame:
    """Products of ``shelf`` with their figures from ``perf``; one that neither sold nor was seen has 0s."""
    df = shelf.merge(perf.drop(columns="title"), on="product_id", how="left")
    df["paid_amount"] = df.paid_amount.fillna(0.0)
    df[["units", "buyers", "uv"]] = df[["units", "buyers", "uv"]].fillna(0).astype(int)
    return df


def new_products(perf: pd.DataFrame, shelf: pd.DataFrame, day: _dt.date) -> pd.DataFrame:
    """Products on sale launched in the 30 days to ``day`` (inventory.NEW_DAYS), with how they sold; newest first."""
    new = shelf[is_new(shelf.launched_on, day) & shelf.launched_on.map(lambda d: d is not None and d == d and d <= day)]
    df = _with_sales(new, perf)
    df["days_on_sale"] = df.launched_on.map(lambda d: (day - d).days + 1)
    return df.sort_values(["launched_on", "product_id"], ascending=[False, True]).reset_index(drop=True)
