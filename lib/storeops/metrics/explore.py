"""The analyst's way in (notebooks/explore.ipynb): any period metric for any list of periods as one
DataFrame, and a period against another by traffic source or by category.

>>> ctx = storeops.weekly.context("2026-W47")                                     # doctest: +SKIP
>>> storeops.metrics.frame(ctx.t, ["paid_amount", "conversion"], ctx.period.before(8))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from decimal import Decimal

import ibis.expr.types as ir
import pandas as pd

from storeops.metrics import ads, sales, service, traffic
from storeops.metrics.base import in_period, on_days
from storeops.periods import Period
from storeops.warehouse import Tables

#: every metric that is one figure for a period, by its METRICS.md id
SCALARS: dict[str, Callable[[Tables, Period], ir.Scalar]] = {
    **sales.BLOCK, "ad_cost": ads.ad_cost, "store_roas": ads.store_roas, "gross_margin_rate": ads.gross_margin_rate,
    **{f.__name__: f for f in (service.consultations, service.consult_conversion, service.first_response,
                               service.response_3min, service.ticket_sla)},
}


def frame(t: Tables, ids: list[str], periods: Iterable[Period | _dt.date | str]) -> pd.DataFrame:
    """One row per period (oldest first; a date or a label such as ``2026-W47`` is read as its period),
    one column per metric id, typed by what it counts (registry units): counts as whole numbers
    (nullable Int64, never 51707.0), money as floats to the cent, rates, ratios and seconds as
    floats; ``period`` is the row's label, and ``.attrs["labels"]`` names each column in zh and en."""
    from storeops.metrics import registry

    unknown = [i for i in ids if i not in SCALARS]
    if unknown:
        raise KeyError(f"no period metric {', '.join(unknown)}; known: {', '.join(sorted(SCALARS))}")
    ps = sorted((_period(p) for p in periods), key=lambda p: p.start)
    rows = []
    for p in ps:
        v = on_days(t, ("explore.frame", tuple(ids)), lambda q: {i: SCALARS[i](t, q) for i in ids}, p)
        rows.append({"period": p.label, "start": p.start, "end": p.end,
                     **{i: None if v[i] is None else float(v[i]) for i in ids}})
    df = pd.DataFrame(rows, columns=["period", "start", "end", *ids])
    known = {i: registry.METRICS[i] for i in ids if i in registry.METRICS}  # gross_margin_rate: a setting's helper
    for i in ids:
        unit = known[i].unit if i in known else "ratio"
        df[i] = df[i].round().astype("Int64") if unit == "count" else \
            df[i].astype(float).round(2) if unit == "money" else df[i].astype(float)
    df.attrs["labels"] = {i: {"zh": m.label("zh"), "en": m.label("en")} for i, m in known.items()}
    return df


def _period(p: Period | _dt.date | str) -> Period:
    if isinstance(p, Period):
        return p
    return Period.day(p) if isinstance(p, _dt.date) else Period.parse(p)


#: the category of lines without one (a SKU without a category, or unknown to products)
NO_CATEGORY = "#no-category"


def by_category(t: Tables, p: Period) -> pd.DataFrame:
    """Per product category: paid amount (Σ line amounts of orders paid in ``p``), units, paying buyers
    (distinct within the category), visitors (Σ of its products' visitors: one who saw two of its
    products counts twice, as 生意参谋's product figures add up) and conversion = buyers ÷ visitors."""
    o = sales.paid_in(t.orders, p)
    o = o.select("order_id", buyer_id=sales.buyer(o))
    cat = t.products.select("sku", category=t.products.category.coalesce(NO_CATEGORY))
    # a line whose SKU has no category, or is not in products at all, is sold under NO_CATEGORY
    lines = t.order_items.join(o, "order_id").left_join(cat, "sku")
    lines = lines.mutate(category=lines.category.coalesce(NO_CATEGORY))
    sold = lines.group_by("category").aggregate(paid_amount=lines.amount.sum(), units=lines.qty.sum(),
                                                 buyers=lines.buyer_id.nunique())
    pt = t.product_traffic.filter(in_period(t.product_traffic.date, p))
    spu = t.products.group_by("product_id").aggregate(
        category=t.products.category.max().coalesce(NO_CATEGORY))
    seen = pt.join(spu, "product_id").group_by("category").aggregate(uv=pt.uv.sum())
    df = sold.outer_join(seen, "category").execute()
    df["category"] = df.category.fillna(df.pop("category_right"))
    df["paid_amount"] = df.paid_amount.fillna(0).astype(float)
    df[["units", "buyers", "uv"]] = df[["units", "buyers", "uv"]].fillna(0).astype(int)
    df["conversion"] = df.buyers / df.uv.where(df.uv > 0)
    return df.sort_values(["paid_amount", "category"], ascending=[False, True]).reset_index(drop=True)


def against(now: pd.DataFrame, before: pd.DataFrame, key: str) -> pd.DataFrame:
    """Two periods' tables side by side on ``key``: each figure now, before and its change."""
    both = now.merge(before, on=key, how="outer", suffixes=("", "_before"), sort=False)  # in ``now``'s order
    gone = ~both[key].isin(now[key])  # sold or seen before, not now: 0 now, not unknown
    for c in ("uv", "pv", "paid_amount", "units", "buyers", "paying_buyers"):
        if c in now:
            both.loc[gone, c] = 0
    for c in ("uv", "paid_amount", "conversion"):
        if c in now and f"{c}_before" in both:
            was = both[f"{c}_before"].astype(float)
            both[f"{c}_change"] = both[c].astype(float) / was.where(was != 0) - 1
    return both


def change_by_source(t: Tables, p: Period, before: Period) -> pd.DataFrame:
    """Traffic by source (metrics.traffic.by_source) in ``p`` against ``before``."""
    return against(traffic.by_source(t, p), traffic.by_source(t, before), "source")


def change_by_category(t: Tables, p: Period, before: Period) -> pd.DataFrame:
    """Sales and conversion by category in ``p`` against ``before``."""
    return against(by_category(t, p), by_category(t, before), "category")


#: the row that makes contributions add up to the store's change: what no category or source carries
OTHER = "#other"


def contributions(now: pd.DataFrame, before: pd.DataFrame, key: str, total_change: Decimal) -> pd.DataFrame:
    """Each ``key``'s part in the change of paid amount: its paid amount now, before, and the
    difference, largest rise first; then a row ``OTHER`` with what the parts leave of
    ``total_change`` (shipping, order-level discounts, sales no category or source carries, sources
    that overlap), so the column adds up to the store's change to the cent."""
    def cents(df: pd.DataFrame) -> pd.Series:  # a source without a paid amount sold nothing it could show
        return df.set_index(key).paid_amount.map(
            lambda v: Decimal(0) if v is None or pd.isna(v) else Decimal(str(round(float(v), 2))))

    a, b = cents(now), cents(before)
    keys = list(dict.fromkeys([*a.index, *b.index]))
    rows = [{key: k, "now": a.get(k, Decimal(0)), "before": b.get(k, Decimal(0))} for k in keys]
    for r in rows:
        r["change"] = r["now"] - r["before"]
    rows.sort(key=lambda r: (-r["change"], str(r[key])))
    rows.append({key: OTHER, "now": None, "before": None,
                 "change": total_change - sum((r["change"] for r in rows), Decimal(0))})
    return pd.DataFrame(rows, columns=[key, "now", "before", "change"])
