"""Customers and members (会员): new and returning buyers, repeat rate, RFM segments, cohort
retention. METRICS.md#customers-and-members.

A buyer is ``sales.buyer``: the buyer id, or an order of its own where the data has none.
"""

from __future__ import annotations

import datetime as _dt

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from storeops.metrics.base import evaluate, scalar
from storeops.metrics.sales import buyer, paid, paid_in
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


def buyers(t: Tables, p: Period) -> dict[str, float | int | None]:
    """paying buyers; new_buyers (first paid order ever in ``p``); returning_share (paid before ``p``
    ÷ paying buyers); repeat_rate (≥ 2 paid orders in ``p`` ÷ paying buyers)."""
    o = t.orders
    now = paid_in(o, p)
    now = now.group_by(b=buyer(now)).aggregate(n=now.count())
    before = o.filter(paid(o) & (o.paid_at < p.start))
    before = before.select(b=buyer(before))
    v = evaluate({"buyers": scalar(now.count()), "repeat": scalar(now.filter(now.n >= 2).count()),
                  "returning": scalar(now.semi_join(before, "b").count())})
    n = v["buyers"]
    return {"paying_buyers": n, "new_buyers": n - v["returning"],
            "returning_share": v["returning"] / n if n else None, "repeat_rate": v["repeat"] / n if n else None}


def _scored(t: Tables, day: _dt.date) -> ir.Table:
    """The RFM of every buyer of the 365 days to ``day``, as one query (millions of buyers stay in the
    warehouse): recency, frequency, monetary; their 1–5 scores by quintile of the buyers' order —
    ⌈5 × position ÷ buyers⌉ — with ties broken by the other measure (R by frequency, F by money, M by
    frequency), then by buyer; FM = ⌊(F + M) / 2⌋ and the segment."""
    o = paid_in(t.orders, Period.day(day).trailing(RFM_DAYS))
    o = o.mutate(b=buyer(o))
    g = o.group_by("b").aggregate(last=o.paid_at.max().date(), frequency=o.count(), money=o.paid_amount.sum())
    g = g.mutate(recency=(ibis.literal(day) - g["last"]).cast("int64"))
    n = g.count().as_scalar()
    g = _score(g, "r", n, ("recency", True), ("frequency", False))
    g = _score(g, "f", n, ("frequency", False), ("money", False))
    g = _score(g, "m", n, ("money", False), ("frequency", False))
    g = g.mutate(fm=((g.f + g.m) // 2).cast("int64"), monetary=g.money.cast("float64"))
    cases = [((g.r.isin(rs) & g.fm.isin(fms)), name) for name, rs, fms in SEGMENTS]
    return g.mutate(segment=ibis.cases(*cases)).drop("money").rename(buyer="b")


def _score(g: ir.Table, name: str, n: ir.IntegerScalar, *keys: tuple[str, bool]) -> ir.Table:
    """``g`` with column ``name``: each buyer's quintile ⌈5 × position ÷ n⌉ in the order of ``keys``
    ((column, descending), …) and then of buyer id.

    Ranking millions of buyers one by one is a sort and a single-threaded window over all of them.
    Buyers with the same keys hold consecutive positions, so the groups of equal keys are ranked
    instead (far fewer: days × orders, amounts that repeat); only a buyer of the few groups that
    straddle a quintile's edge needs its place within its group, by buyer id. The same scores."""
    cols = [k for k, _ in keys]
    grp = g.group_by(cols).aggregate(size=g.count())
    order = [grp[k].desc() if desc else grp[k] for k, desc in keys]
    grp = grp.mutate(before=grp.size.sum().over(ibis.window(order_by=order, rows=(None, -1))).fill_null(0))
    grp = grp.mutate(lo=((5 * (grp.before + 1) + n - 1) // n).cast("int64"),
                     hi=((5 * (grp.before + grp.size) + n - 1) // n).cast("int64"))
    j = g.join(grp.select(*cols, "before", "lo", "hi"), cols)
    whole = j.filter(j.lo == j.hi).mutate(**{name: j.lo})
    edge = j.filter(j.lo != j.hi)
    pos = edge.before + ibis.row_number().over(ibis.window(group_by=[edge[k] for k in cols], order_by=edge.b)) + 1
    edge = edge.mutate(**{name: ((5 * pos + n - 1) // n).cast("int64")})
    return whole.union(edge).drop("before", "lo", "hi")


def rfm(t: Tables, day: _dt.date) -> pd.DataFrame:
    """Per buyer of the 365 days to ``day``: recency (days since the last paid order), frequency
    (paid orders), monetary (paid amount), r, f, m (1–5, recent, frequent and big is 5), fm and the
    segment (see :func:`_scored`), by buyer. Every buyer: for an analyst's next cell; the report
    takes :func:`segments`."""
    cols = ["buyer", "recency", "frequency", "monetary", "r", "f", "m", "fm", "segment"]
    return _scored(t, day).select(cols).order_by("buyer").execute()


def segments(t: Tables, day: _dt.date, before: _dt.date) -> pd.DataFrame:
    """Per segment at ``day``: buyers, their paid amount over the 365 days, and how many of them were
    in another segment at ``before`` (moved in) or have left it since (moved out), among buyers
    scored both times."""
    now, was = _scored(t, day), _scored(t, before)
    # one query, each scoring once: (segment now, segment before) pairs with their buyers and money
    j = now.select("buyer", "segment", "monetary").left_join(was.select("buyer", was_segment=was.segment), "buyer")
    pairs = j.group_by(["segment", "was_segment"]).aggregate(n=j.count(), monetary=j.monetary.sum()).execute()
    moved = pairs[pairs.was_segment.notna() & (pairs.segment != pairs.was_segment)]
    g = pairs.groupby("segment").agg(buyers=("n", "sum"), monetary=("monetary", "sum"))
    g["moved_in"] = moved.groupby("segment").n.sum()
    g["moved_out"] = moved.groupby("was_segment").n.sum()
    g = g.reindex(SEGMENT_ORDER).fillna(0)
    g[["buyers", "moved_in", "moved_out"]] = g[["buyers", "moved_in", "moved_out"]].astype(int)
    g["share"] = g.buyers / g.buyers.sum() if g.buyers.sum() else np.nan
    return g.rename_axis("segment").reset_index()


def cohorts(t: Tables, last_month: Period, n: int = 12) -> pd.DataFrame:
    """Cohort retention: buyers grouped by the month of their first paid order, for the ``n`` months
    to ``last_month``; ``size`` and, per following month k = 1 … , the share who paid again in it
    (NaN for months not over yet)."""
    months = [p.start for p in reversed(last_month.before(n - 1))] + [last_month.start]  # oldest first
    o = t.orders.filter(paid(t.orders) & (t.orders.paid_at < last_month.end_exclusive))
    bm = o.select(b=buyer(o), m=o.paid_at.truncate("M").date()).distinct()
    first = bm.group_by("b").aggregate(cohort=bm.m.min())
    j = bm.join(first, "b")
    j = j.filter(j.cohort >= months[0])
    df = j.group_by(["cohort", "m"]).aggregate(buyers=j.count()).execute()
    df["cohort"] = pd.to_datetime(df.cohort).dt.date
    c, m = pd.to_datetime(df.cohort), pd.to_datetime(df.m)
    df["k"] = (m.dt.year - c.dt.year) * 12 + m.dt.month - c.dt.month
    size = df[df.k == 0].groupby("cohort").buyers.sum().reindex(months).fillna(0).astype(int)
    out = pd.DataFrame({"cohort": months, "size": size.to_numpy()})
    for k in range(1, n):
        back = df[df.k == k].groupby("cohort").buyers.sum().reindex(months).fillna(0)
        share = back / size.replace(0, np.nan)
        over = [(last_month.start.year - c.year) * 12 + last_month.start.month - c.month >= k for c in months]
        out[k] = np.where(over, share.to_numpy(), np.nan)
    return out


#: the level of a paying buyer who is not a member
NON_MEMBER = "#non-member"


def by_level(t: Tables, p: Period) -> pd.DataFrame:
    """Per membership level (``members`` table; buyers not in it are ``NON_MEMBER``): paying buyers,
    paid amount, its share, amount per buyer and repeat rate (≥ 2 paid orders in ``p``)."""
    o = paid_in(t.orders, p)
    per = o.group_by(buyer_id=buyer(o)).aggregate(orders=o.count(), amount=o.paid_amount.sum().cast("float64"))
    j = per.left_join(t.members.select("buyer_id", "level"), "buyer_id")
    j = j.mutate(level=j.level.fill_null(NON_MEMBER))
    out = j.group_by("level").aggregate(buyers=j.count(), paid_amount=j.amount.sum(),
                                        repeaters=(j.orders >= 2).sum()).execute().set_index("level")
    out["share"] = out.paid_amount / out.paid_amount.sum() if out.paid_amount.sum() else np.nan
    out["per_buyer"] = out.paid_amount / out.buyers
    out["repeat_rate"] = out.repeaters / out.buyers
    order = sorted(k for k in out.index if k != NON_MEMBER) + ([NON_MEMBER] if NON_MEMBER in out.index else [])
    return out.reindex(order).drop(columns="repeaters").rename_axis("level").reset_index()
