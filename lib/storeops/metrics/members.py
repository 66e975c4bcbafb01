"""Customers and members (会员): new and returning buyers, repeat rate, RFM segments, cohort
retention. METRICS.md#customers-and-members.

A buyer is ``sales.buyer``: the buyer id, or an order of its own where the data has none.
"""

from __future__ import annotations

import datetime as _dt
import math

import numpy as np
import pandas as pd

from storeops.metrics.base import in_period
from storeops.metrics.sales import buyer
from storeops.periods import Period
from storeops.warehouse import Tables

#: RFM segments from R and FM = ⌊(F + M) / 2⌋, each scored 1–5: (segment, R scores, FM scores)
SEGMENTS = (
    ("champions", (4, 5), (4, 5)),
    ("loyal", (3, 4, 5), (3,)),
    ("loyal", (3,), (4, 5)),
    ("potential_loyalist", (4, 5), (2,)),
    ("new_customers", (5,), (1,)),
    ("promising", (4,), (1,)),
    ("needs_attention", (3,), (1, 2)),
    ("about_to_sleep", (2,), (1, 2)),
    ("at_risk", (2,), (3, 4, 5)),
    ("cannot_lose", (1,), (4, 5)),
    ("hibernating", (1,), (2, 3)),
    ("dormant", (1,), (1,)),
)
SEGMENT_ORDER = tuple(dict.fromkeys(s for s, _, _ in SEGMENTS))
RFM_DAYS = 365


def paid_orders(t: Tables, p: Period) -> pd.DataFrame:
    """Paid orders of ``p``: buyer, paid_at (a date), paid amount."""
    o = t.orders.filter(in_period(t.orders.paid_at, p))
    df = o.select(buyer=buyer(o), day=o.paid_at.date(), amount=o.paid_amount).execute()
    df["day"] = pd.to_datetime(df.day).dt.date
    df["amount"] = df.amount.astype(float)
    return df


def buyers(t: Tables, p: Period) -> dict[str, float | int | None]:
    """paying buyers; new_buyers (first paid order ever in ``p``); returning_share (paid before ``p``
    ÷ paying buyers); repeat_rate (≥ 2 paid orders in ``p`` ÷ paying buyers)."""
    now = paid_orders(t, p)
    o = t.orders
    seen = o.filter(o.paid_at < p.start).select(b=buyer(o)).distinct().execute().b
    who = now.groupby("buyer").size()
    n = len(who)
    returning = int(who.index.isin(set(seen)).sum())
    return {"paying_buyers": n, "new_buyers": n - returning,
            "returning_share": returning / n if n else None, "repeat_rate": int((who >= 2).sum()) / n if n else None}


def _score(x: pd.Series) -> pd.Series:
    """1–5 by quintile of rank; equal values share a score (the mean of their ranks)."""
    pct = x.rank(method="average") / len(x)
    return pct.map(lambda v: min(5, max(1, math.ceil(v * 5 - 1e-9))))


def rfm(t: Tables, day: _dt.date) -> pd.DataFrame:
    """Per buyer of the 365 days to ``day``: recency (days since the last paid order), frequency
    (paid orders), monetary (paid amount), their 1–5 scores (recent, frequent, big is 5), FM and
    the segment."""
    df = paid_orders(t, Period.day(day).trailing(RFM_DAYS))
    if df.empty:
        return pd.DataFrame(columns=["buyer", "recency", "frequency", "monetary", "r", "f", "m", "fm", "segment"])
    g = df.groupby("buyer").agg(last=("day", "max"), frequency=("day", "size"), monetary=("amount", "sum"))
    g["recency"] = [(day - d).days for d in g["last"]]
    g["r"] = _score(-g.recency)
    g["f"] = _score(g.frequency)
    g["m"] = _score(g.monetary)
    g["fm"] = ((g.f + g.m) // 2).astype(int)
    g["segment"] = [segment(r, fm) for r, fm in zip(g.r, g.fm)]
    return g.drop(columns="last").reset_index()


def segment(r: int, fm: int) -> str:
    return next(s for s, rs, fms in SEGMENTS if r in rs and fm in fms)


def segments(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Per segment: buyers, their paid amount, and how many of them were in another segment before
    (moved in) or have left it since (moved out), among buyers scored both times."""
    both = now.merge(before[["buyer", "segment"]], on="buyer", how="inner", suffixes=("", "_before"))
    moved = both[both.segment != both.segment_before]
    g = now.groupby("segment").agg(buyers=("buyer", "size"), monetary=("monetary", "sum"))
    g["moved_in"] = moved.groupby("segment").size()
    g["moved_out"] = moved.groupby("segment_before").size()
    g = g.reindex(SEGMENT_ORDER).fillna(0)
    g[["buyers", "moved_in", "moved_out"]] = g[["buyers", "moved_in", "moved_out"]].astype(int)
    g["share"] = g.buyers / g.buyers.sum() if g.buyers.sum() else np.nan
    return g.rename_axis("segment").reset_index()


def cohorts(t: Tables, last_month: Period, n: int = 12) -> pd.DataFrame:
    """Cohort retention: buyers grouped by the month of their first paid order, for the ``n`` months
    to ``last_month``; ``size`` and, per following month k = 1 … , the share who paid again in it
    (NaN for months not over yet)."""
    o = t.orders
    df = o.filter(o.paid_at.notnull() & (o.paid_at < last_month.end_exclusive)).select(
        b=buyer(o), m=o.paid_at.truncate("M").date()).distinct().execute()
    df["m"] = pd.to_datetime(df.m).dt.date
    first = df.groupby("b").m.min().rename("cohort")
    df = df.join(first, on="b")
    months = [p.start for p in reversed(last_month.before(n - 1))] + [last_month.start]  # oldest first
    df = df[df.cohort.isin(months)]
    df["k"] = [(m.year - c.year) * 12 + m.month - c.month for m, c in zip(df.m, df.cohort)]
    size = df[df.k == 0].groupby("cohort").size().reindex(months).fillna(0).astype(int)
    out = pd.DataFrame({"cohort": months, "size": size.to_numpy()})
    for k in range(1, n):
        back = df[df.k == k].groupby("cohort").size().reindex(months).fillna(0)
        share = back / size.replace(0, np.nan)
        over = [(last_month.start.year - c.year) * 12 + last_month.start.month - c.month >= k for c in months]
        out[k] = np.where(over, share.to_numpy(), np.nan)
    return out


#: the level of a paying buyer who is not a member
NON_MEMBER = "#non-member"


def by_level(t: Tables, p: Period) -> pd.DataFrame:
    """Per membership level (``members`` table; buyers not in it are ``NON_MEMBER``): paying buyers,
    paid amount, its share, amount per buyer and repeat rate (≥ 2 paid orders in ``p``)."""
    now = paid_orders(t, p)
    levels = t.members.select("buyer_id", "level").execute().set_index("buyer_id").level
    g = now.groupby("buyer").agg(orders=("day", "size"), amount=("amount", "sum"))
    g["level"] = levels.reindex(g.index).fillna(NON_MEMBER).to_numpy()
    out = g.groupby("level").agg(buyers=("orders", "size"), paid_amount=("amount", "sum"),
                                 repeaters=("orders", lambda x: int((x >= 2).sum())))
    out["share"] = out.paid_amount / out.paid_amount.sum() if out.paid_amount.sum() else np.nan
    out["per_buyer"] = out.paid_amount / out.buyers
    out["repeat_rate"] = out.repeaters / out.buyers
    order = sorted(k for k in out.index if k != NON_MEMBER) + ([NON_MEMBER] if NON_MEMBER in out.index else [])
    return out.reindex(order).drop(columns="repeaters").rename_axis("level").reset_index()
