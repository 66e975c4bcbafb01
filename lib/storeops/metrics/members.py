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

from storeops.metrics.base import evaluate, in_period, scalar
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


def _measures(t: Tables, days: tuple[_dt.date, ...]) -> ir.Table:
    """Per buyer ``b`` who paid in the 365 days to any of ``days``, for the i-th day: ``recency{i}``
    (days since the last paid order), ``frequency{i}`` (paid orders, 0 for none) and ``money{i}``
    (paid amount): one pass over the orders for every day, no join of one day's buyers to another's."""
    windows = [Period.day(d).trailing(RFM_DAYS) for d in days]
    o = paid_in(t.orders, Period(min(w.start for w in windows), max(w.end for w in windows), "custom"))
    o = o.mutate(b=buyer(o))
    aggs = {}
    for i, w in enumerate(windows):
        inside = in_period(o.paid_at, w)
        aggs |= {f"last{i}": o.paid_at.max(where=inside).date(), f"frequency{i}": o.count(where=inside),
                 f"money{i}": o.paid_amount.sum(where=inside)}
    g = o.group_by("b").aggregate(**aggs)
    g = g.mutate(**{f"recency{i}": (ibis.literal(d) - g[f"last{i}"]).cast("int64") for i, d in enumerate(days)})
    return g.drop(*(f"last{i}" for i in range(len(days))))


def _scored(g: ir.Table, days: int) -> ir.Table:
    """``g`` (:func:`_measures` of ``days`` days) with the RFM of each day i: each buyer's 1–5 scores
    ``r{i}``, ``f{i}``, ``m{i}`` by quintile of the buyers' order — ⌈5 × position ÷ buyers⌉ — with ties
    broken by the other measure (R by frequency, F by money, M by frequency), then by buyer; ``fm{i}``
    = ⌊(F + M) / 2⌋ and ``segment{i}``. NULL for a buyer who did not buy in that day's 365 days.

    Every ranking is worked out in small tables from ``g`` and joined to it once: the buyers' table,
    millions of rows, is never rebuilt between scores. ``g`` is read several times: give it cached
    (``Table.cache``), or the warehouse may work it out from the orders each time."""
    out, scores = g, {}
    for i in range(days):
        r, f, m = f"recency{i}", f"frequency{i}", f"money{i}"
        n = g.filter(g[f] > 0).count().as_scalar()
        for keys in ({f"r{i}": ((r, True), (f, False))},
                     {f"f{i}": ((f, False), (m, False)), f"m{i}": ((m, False), (f, False))}):
            cols, groups, places = _ranks(g, f, n, **keys)
            out = out.left_join(groups, cols).drop(*(f"{c}_right" for c in cols))
            out = out.left_join(places, "b").drop("b_right")
            place = out[places.columns[-1]]
            for s in keys:  # a whole group's score is its own; an edge group's, by each buyer's place
                lo, before = out[f"_lo_{s}"], out[f"_before_{s}"]
                scores[s] = place.isnull().ifelse(lo, ((5 * (before + place) + n - 1) // n)).cast("int64")
    out = out.mutate(**scores)
    out = out.mutate(**{f"fm{i}": ((out[f"f{i}"] + out[f"m{i}"]) // 2).cast("int64") for i in range(days)})
    out = out.mutate(**{f"segment{i}": ibis.cases(*((out[f"r{i}"].isin(rs) & out[f"fm{i}"].isin(fms), name)
                                                    for name, rs, fms in SEGMENTS)) for i in range(days)})
    return out.drop(*(c for c in out.columns if c.startswith("_")))


def _ranks(g: ir.Table, counted: str, n: ir.IntegerScalar, **scores: tuple[tuple[str, bool], ...]
           ) -> tuple[list[str], ir.Table, ir.Table]:
    """How to score the buyers of ``g`` with ``counted`` orders > 0, ``n`` of them, by each of
    ``scores``: a buyer's quintile ⌈5 × position ÷ n⌉ in the order of the score's keys ((column,
    descending), …), then of buyer id. All scores of one call order by the same columns.

    Ranking millions of buyers one by one is a sort and a single-threaded window over all of them.
    Buyers with the same keys hold consecutive positions, so the groups of equal keys are ranked
    instead (far fewer: days × orders, amounts that repeat); only a buyer of the few groups that
    straddle a quintile's edge needs its place within its group, by buyer id, and that place is the
    same for every score of the call. Returns (the key columns, per group of equal keys the positions
    before it ``_before_*`` and the scores of its first and last place ``_lo_*``, ``_hi_*``, and per
    buyer of an edge group its place in it ``_place_*``)."""
    cols = list(dict.fromkeys(k for keys in scores.values() for k, _ in keys))
    live = g.filter(g[counted] > 0)
    groups = live.group_by(cols).aggregate(_size=live.count())
    for s, keys in scores.items():
        order = [groups[k].desc() if desc else groups[k] for k, desc in keys]
        groups = groups.mutate(**{f"_before_{s}": groups._size.sum().over(
            ibis.window(order_by=order, rows=(None, -1))).fill_null(0)})
        before = groups[f"_before_{s}"]
        groups = groups.mutate(**{f"_lo_{s}": ((5 * (before + 1) + n - 1) // n).cast("int64"),
                                  f"_hi_{s}": ((5 * (before + groups._size) + n - 1) // n).cast("int64")})
    edges = groups.filter(ibis.or_(*(groups[f"_lo_{s}"] != groups[f"_hi_{s}"] for s in scores))).select(*cols)
    e = live.select("b", *cols).join(edges, cols)
    places = e.select("b", **{f"_place_{next(iter(scores))}": ibis.row_number().over(
        ibis.window(group_by=[e[k] for k in cols], order_by=e.b)) + 1})
    return cols, groups.drop("_size"), places


def rfm(t: Tables, day: _dt.date) -> pd.DataFrame:
    """Per buyer of the 365 days to ``day``: recency (days since the last paid order), frequency
    (paid orders), monetary (paid amount), r, f, m (1–5, recent, frequent and big is 5), fm and the
    segment (see :func:`_scored`), by buyer. Every buyer: for an analyst's next cell; the report
    takes :func:`segments`."""
    with _measures(t, (day,)).cache() as measured:
        g = _scored(measured, 1)
        return g.select(buyer="b", recency="recency0", frequency="frequency0", monetary=g.money0.cast("float64"),
                        r="r0", f="f0", m="m0", fm="fm0", segment="segment0").order_by("buyer").execute()


def segments(t: Tables, day: _dt.date, before: _dt.date) -> pd.DataFrame:
    """Per segment at ``day``: buyers, their paid amount over the 365 days, and how many of them were
    in another segment at ``before`` (moved in) or have left it since (moved out), among buyers
    scored both times."""
    with _measures(t, (day, before)).cache() as measured:  # one pass over the orders for both days
        g = _scored(measured, 2)
        now = g.filter(g.frequency0 > 0)
        pairs = now.group_by(segment=now.segment0, was_segment=now.segment1).aggregate(
            n=now.count(), monetary=now.money0.sum().cast("float64")).execute()
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
    recent, older = o.filter(o.paid_at >= months[0]), o.filter(o.paid_at < months[0])
    bm = recent.select(b=buyer(recent), m=recent.paid_at.truncate("M").date()).distinct()
    # a buyer who paid before the first cohort's month is of an older cohort: the (buyer, month) pairs
    # and first months are worked out for the window's buyers only, not for every buyer ever
    first = bm.group_by("b").aggregate(cohort=bm.m.min()).anti_join(older.select(b=buyer(older)), "b")
    j = bm.join(first, "b")
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
