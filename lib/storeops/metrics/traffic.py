"""Traffic (流量): visitors by source. METRICS.md#sales-and-conversion (uv, pv)."""

from __future__ import annotations

import pandas as pd

from storeops.metrics.base import evaluate, in_period
from storeops.metrics.sales import uv
from storeops.periods import Period
from storeops.warehouse import Tables


def by_source(t: Tables, p: Period) -> pd.DataFrame:
    """UV and PV per source, each source's UV as a share of the *store total* UV, and where
    the data has them (生意参谋), paying buyers, paid amount and conversion per source.

    Shares add up to more than 100 %: a visitor who came by search and again by
    the cart counts under both sources, once in the store total. Over several days,
    a source's paying buyers are the sum of its daily figures (the export is daily).
    """
    s = t.traffic_by_source.filter(in_period(t.traffic_by_source.date, p))
    aggs = {"uv": s.uv.sum(), "pv": s.pv.sum()}
    if "paid_amount" in s.columns:  # a warehouse from before these columns has none
        aggs |= {"paying_buyers": s.paying_buyers.sum(), "paid_amount": s.paid_amount.sum()}
    df = s.group_by("source").aggregate(**aggs).order_by([s.uv.sum().desc(), "source"]).execute()
    total = evaluate({"uv": uv(t, p)})["uv"]
    df["share"] = df.uv / total if total else None
    if "paid_amount" in df:
        df["conversion"] = df.paying_buyers / df.uv.where(df.uv > 0)
    return df
