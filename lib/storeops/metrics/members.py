"""Customers and members (会员): new and returning buyers, repeat rate, RFM segments, cohort
retention. METRICS.md#customers-and-members.

A buyer is ``sales.buyer``: the buyer id, or an order of its own where the data has none.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from storeops.metrics.base import evaluate, in_period, python_value, scalar
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
    (paid amount, in the paid column's type): one pass over the orders for every day, no join of one
    day's buyers to another's."""
    windows = [Period.day(d).trailing(RFM_DAYS) for d in days]
    o = paid_in(t.orders, Period(min(w.start for w in windows), max(w.end for w in windows), "custom"))
    o = o.mutate(b=buyer(o))
    aggs = {}
    for i, w in enumerate(windows):
        inside = in_period(o.paid_at, w)
        aggs |= {f"last{i}": o.paid_at.max(where=inside).date(), f"frequency{i}": o.count(where=inside),
                 # the sum back in the column's type (DuckDB's is 128-bit, far slower to compare and rank)
                 f"money{i}": o.paid_amount.sum(where=inside).cast(o.paid_amount.type())}
    g = o.group_by("b").aggregate(**aggs)
    g = g.mutate(**{f"recency{i}": (ibis.literal(d) - g[f"last{i}"]).cast("int64") for i, d in enumerate(days)})
    return g.drop(*(f"last{i}" for i in range(len(days))))


def _scored(g: ir.Table, days: int) -> ir.Table:
    """``g`` (:func:`_measures` of ``days`` days) with the RFM of each day i: each buyer's 1–5 scores
    ``r{i}``, ``f{i}``, ``m{i}`` by quintile of the buyers' order — ⌈5 × position ÷ buyers⌉ — with ties
    broken by the other measure (R by frequency, F by money, M by frequency), then by buyer; ``fm{i}``
    = ⌊(F + M) / 2⌋ and ``segment{i}``. NULL for a buyer who did not buy in that day's 365 days.

    ⌈5 × position ÷ n⌉ is 1 + the number of cuts ⌊j × n ÷ 5⌋ (j = 1 … 4) the position is past, and a
    buyer is past a cut when it comes after the buyer at the cut. So only the 4 buyers at the cuts
    are looked for, in small tables (:func:`_cuts`), and every buyer is scored by comparing its keys
    with theirs: the buyers' table, millions of rows, is neither sorted nor joined but to the one row
    of the cut buyers' ids. ``g`` is read several times: give it cached (``Table.cache``), or the
    warehouse may work it out from the orders each time."""
    found = {}  # score → (its day, its keys, its cuts)
    for i in range(days):
        r, f, m = f"recency{i}", f"frequency{i}", f"money{i}"
        for orders in ({f"r{i}": ((r, True), (f, False))},
                       {f"f{i}": ((f, False), (m, False)), f"m{i}": ((m, False), (f, False))}):
            found |= {s: (i, orders[s], cuts) for s, cuts in _cuts(g.filter(g[f] > 0), orders).items()}
    # the cut buyers' ids come as a table of one row, not as SQL text: an id may hold what no SQL
    # literal can (a NUL)
    named = {b: f"_cut{k}" for k, b in enumerate(dict.fromkeys(
        c[1] for _, _, cuts in found.values() for c in cuts if c and c[1] is not None))}
    out = g.cross_join(ibis.memtable({v: [b] for b, v in named.items()}, schema=dict.fromkeys(named.values(), "string"))
                       ) if named else g
    scores = {}
    for s, (i, keys, cuts) in found.items():
        # past a cut, past every cut before it: the first from the last that is passed gives the score
        score = ibis.cases(*((ibis.literal(True) if c is None else
                              _past(out, keys, c[0], None if c[1] is None else out[named[c[1]]]), j + 2)
                             for j, c in reversed(list(enumerate(cuts)))), else_=1)
        scores[s] = ibis.cases((out[f"frequency{i}"] > 0, score.cast("int64")))
    out = out.mutate(**scores).drop(*named.values())
    out = out.mutate(**{f"fm{i}": ((out[f"f{i}"] + out[f"m{i}"]) // 2).cast("int64") for i in range(days)})
    return out.mutate(**{f"segment{i}": ibis.cases(*((out[f"r{i}"].isin(rs) & out[f"fm{i}"].isin(fms), name)
                                                     for name, rs, fms in SEGMENTS)) for i in range(days)})


def _cuts(live: ir.Table, orders: dict[str, tuple[tuple[str, bool], ...]]
          ) -> dict[str, list[tuple[dict[str, Any], str | None] | None]]:
    """For each score of ``orders`` ({score: ((column, descending), …)}, all of the same columns), the
    buyers of ``live`` at its cuts ⌊j × n ÷ 5⌋, j = 1 … 4, in the order of the columns and then of
    buyer id: ({column: the buyer's value}, its buyer id). None for a cut at position 0 (fewer than 5
    buyers), which every buyer is past; a buyer id None when the cut is the last buyer of its keys,
    so that no buyer of the same keys is past it.

    Buyers with the same keys hold consecutive positions: the groups of equal keys (far fewer: days ×
    orders, amounts that repeat) say which group each cut falls in and where, and only in such a
    group are buyers ranked by id."""
    cols = list(dict.fromkeys(k for keys in orders.values() for k, _ in keys))
    groups = live.group_by(cols).aggregate(_size=live.count()).execute()
    n = int(groups._size.sum())
    at: dict[str, list] = {}  # score → per cut: (the group's keys, the cut's place in it, its size) or None
    for s, keys in orders.items():
        o = groups.sort_values([k for k, _ in keys], ascending=[not d for _, d in keys], ignore_index=True)
        end = o._size.cumsum().to_numpy()
        at[s] = []
        for cut in (j * n // 5 for j in range(1, 5)):
            if not cut:
                at[s].append(None)
                continue
            row = int(np.searchsorted(end, cut))  # the first group ending at or past the cut
            size = int(o._size.iat[row])
            at[s].append((tuple(python_value(o[c].iat[row]) for c in cols), cut - int(end[row]) + size, size))
    inside = {(keys, place) for cuts in at.values() for keys, place, size in filter(None, cuts) if place < size}
    ids = {}
    if inside:
        def same(t: ir.Table, keys: tuple) -> ir.BooleanValue:
            return ibis.and_(*(t[c] == ibis.literal(v, type=t[c].type()) for c, v in zip(cols, keys)))

        e = live.filter(ibis.or_(*(same(live, keys) for keys, _ in inside)))
        e = e.select(*cols, "b", _place=ibis.row_number().over(ibis.window(group_by=cols, order_by="b")) + 1)
        e = e.filter(ibis.or_(*(same(e, keys) & (e._place == place) for keys, place in inside))).execute()
        ids = {(tuple(python_value(v) for v in row[cols]), int(row._place)): row.b for _, row in e.iterrows()}
    return {s: [c and (dict(zip(cols, c[0])), ids[c[:2]] if c[1] < c[2] else None) for c in cuts]
            for s, cuts in at.items()}


def _past(g: ir.Table, keys: tuple[tuple[str, bool], ...], cut: dict[str, Any], b: ir.StringValue | None
          ) -> ir.BooleanValue:
    """Whether a buyer of ``g`` comes after the one at ``cut`` (its keys, buyer id ``b``) in the order
    of ``keys`` ((column, descending), …) and then of buyer id; ``b`` None: after every buyer of those keys."""
    past = ibis.literal(False) if b is None else g.b > b
    for c, desc in reversed(keys):
        v = ibis.literal(cut[c], type=g[c].type())
        past = (g[c] < v if desc else g[c] > v) | ((g[c] == v) & past)
    return past


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
        # by the scores, not by the segments' names: a string per buyer is the slowest thing to group by
        pairs = now.group_by(r=now.r0, fm=now.fm0, was_r=now.r1, was_fm=now.fm1).aggregate(
            n=now.count(), monetary=now.money0.sum()).execute()
    named = {(r, fm): name for name, rs, fms in SEGMENTS for r in rs for fm in fms}
    pairs["segment"] = [named[k] for k in zip(pairs.r, pairs.fm)]
    pairs["was_segment"] = [named.get(k) for k in zip(pairs.was_r, pairs.was_fm)]  # None: not scored then
    moved = pairs[pairs.was_segment.notna() & (pairs.segment != pairs.was_segment)]
    g = pairs.groupby("segment").agg(buyers=("n", "sum"), monetary=("monetary", "sum"))  # Decimal: to the cent
    g["monetary"] = g.monetary.astype("float64")
    g["moved_in"] = moved.groupby("segment").n.sum()
    g["moved_out"] = moved.groupby("was_segment").n.sum()
    g = g.reindex(SEGMENT_ORDER).fillna(0)
    g[["buyers", "moved_in", "moved_out"]] = g[["buyers", "moved_in", "moved_out"]].astype(int)
    g["share"] = g.buyers / g.buyers.sum() if g.buyers.sum() else np.nan
    return g.rename_axis("segment").reset_index()


def cohorts(t: Tables, last_month: Period, n: int = 12) -> pd.DataFrame:
    """Cohort retention: buyers grouped by the month of their first paid order, for the ``n`` months
    (at most 62) to ``last_month``; ``size`` and, per following month k = 1 … , the share who paid
    again in it (NaN for months not over yet)."""
    if not 1 <= n <= 62:
        raise ValueError(f"cohorts: n = {n}, expected 1 … 62 months")
    months = [p.start for p in reversed(last_month.before(n - 1))] + [last_month.start]  # oldest first
    o = t.orders.filter(paid(t.orders) & (t.orders.paid_at < last_month.end_exclusive))
    recent, older = o.filter(o.paid_at >= months[0]), o.filter(o.paid_at < months[0])
    # a window buyer's months as the bits of one number, in one pass over the window's orders (no
    # table of (buyer, month) pairs to build and join back); a buyer who paid before the first
    # cohort's month is of an older cohort
    i = recent.paid_at.year() * 12 + recent.paid_at.month() - (months[0].year * 12 + months[0].month)
    per = recent.group_by(b=buyer(recent)).aggregate(first=i.min(), months=_bit_or(ibis.literal(1).cast("int64") << i))
    per = per.anti_join(older.select(b=buyer(older)), "b")
    df = per.group_by(["first", "months"]).aggregate(buyers=per.count()).execute()
    first, bits, buyers = (df[c].to_numpy(dtype="int64") for c in ("first", "months", "buyers"))
    size = np.array([buyers[first == c].sum() for c in range(n)])
    out = pd.DataFrame({"cohort": months, "size": size})
    for k in range(1, n):  # NaN: month c + k is not over, or no cohort c
        out[k] = [buyers[(first == c) & ((bits >> (c + k)) & 1 == 1)].sum() / size[c] if c + k < n and size[c]
                  else np.nan for c in range(n)]
    return out


@ibis.udf.agg.builtin(name="bit_or")
def _bit_or(x: int) -> int:
    """The bitwise OR of a group's values: DuckDB's and Spark's own ``bit_or`` (ibis compiles its
    BitOr for DuckDB only)."""


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
