"""Traffic (流量): visitors by source. METRICS.md#sales-and-conversion (uv, pv)."""

from __future__ import annotations

import pandas as pd

from storeops.metrics.base import evaluate, in_period
from storeops.metrics.sales import uv
from storeops.periods import Period
from storeops.warehouse import Tables


def by_source(t: Tables, p: Period) -> pd.DataFrame:
    """UV and PV per source, and each source's UV as a share of the *store total* UV.

    Shares add up to more than 100 %: a visitor who came by search and again by
    the cart counts under both sources, once in the store total.
    """
    s = t.traffic_by_source.filter(in_period(t.traffic_by_source.date, p))
    df = s.group_by("source").aggregate(uv=s.uv.sum(), pv=s.pv.sum()).order_by([s.uv.sum().desc(), "source"]).execute()
    total = evaluate({"uv": uv(t, p)})["uv"]
    df["share"] = df.uv / total if total else None
    return df
