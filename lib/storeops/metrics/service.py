"""Customer service (客服): METRICS.md#customer-service."""

from __future__ import annotations

import datetime as _dt
import random

import ibis
import ibis.expr.types as ir
import pandas as pd

from storeops.metrics.base import in_period, moment, safe_div, scalar
from storeops.metrics.sales import paid_in
from storeops.periods import Period
from storeops.present import mask
from storeops.warehouse import Tables

RESPONSE_LIMIT_S = 180
TICKET_SLA_H = 24


def _sessions(t: Tables, p: Period) -> ir.Table:
    return t.cs_sessions.filter(in_period(t.cs_sessions.started_at, p))


def consultations(t: Tables, p: Period) -> ir.Scalar:
    """咨询人数: distinct buyers with a session started in the period."""
    return scalar(_sessions(t, p).buyer_id.nunique())


def _converted(t: Tables, p: Period) -> ir.Table:
    """(agent, buyer) pairs whose buyer paid an order the same day, at or after the session."""
    s = _sessions(t, p)
    o = paid_in(t.orders, p).select("buyer_id", "paid_at")
    j = s.join(o, (s.buyer_id == o.buyer_id) & (o.paid_at >= s.started_at)
               & (o.paid_at.date() == s.started_at.date()))
    return j.select(j.agent, j.buyer_id).distinct()


def consult_conversion(t: Tables, p: Period) -> ir.Scalar:
    """询单转化率: consulting buyers who paid the same day, at or after the session ÷ consulting buyers."""
    return safe_div(scalar(_converted(t, p).buyer_id.nunique()), consultations(t, p))


def first_response(t: Tables, p: Period) -> ir.Scalar:
    """平均首次响应时长: mean first_response_s (seconds)."""
    return scalar(_sessions(t, p).first_response_s.mean())


def response_3min(t: Tables, p: Period) -> ir.Scalar:
    """3分钟响应率: sessions answered within 180 s ÷ sessions (no answer counts as late)."""
    s = _sessions(t, p)
    fast = scalar(s.filter(s.first_response_s <= RESPONSE_LIMIT_S).count())
    return safe_div(fast, scalar(s.count()))


def per_agent(t: Tables, p: Period) -> pd.DataFrame:
    """The four figures above for each agent, most sessions first."""
    s = _sessions(t, p)
    g = s.group_by("agent").aggregate(
        sessions=s.count(), consultations=s.buyer_id.nunique(), first_response=s.first_response_s.mean(),
        fast=(s.first_response_s <= RESPONSE_LIMIT_S).ifelse(1, 0).sum(),
    )
    conv = _converted(t, p).group_by("agent").aggregate(converted=ibis._.buyer_id.nunique())
    g = g.left_join(conv, "agent").drop("agent_right")
    g = g.mutate(consult_conversion=safe_div(g.converted.coalesce(0), g.consultations),
                 response_3min=safe_div(g.fast, g.sessions)).drop("fast", "converted")
    return g.order_by([g.sessions.desc(), g.agent]).execute()


def chat_sample(t: Tables, p: Period, n: int = 10) -> pd.DataFrame:
    """聊天记录抽查: n sessions of the period drawn at random with its first day as seed (the same n on
    every re-run).

    Masked here, where they are fetched, so no report cell ever holds them: the buyer's id, and in
    the transcript every phone number and every id of one of the store's buyers."""
    s = _sessions(t, p)
    ids = sorted(s.session_id.execute().tolist())
    pick = random.Random(p.start.toordinal()).sample(ids, min(n, len(ids)))
    rows = s.filter(s.session_id.isin(pick)).select(
        "session_id", "started_at", "agent", "buyer_id", "first_response_s", "transcript").execute()
    rows = rows.set_index("session_id").loc[pick].reset_index()
    named = buyers_named(t, rows.transcript.dropna().tolist()) | set(rows.buyer_id.dropna())
    rows["transcript"] = rows.transcript.map(lambda x: None if x is None else mask.free_text(x, named))
    rows["buyer_id"] = rows.buyer_id.map(lambda b: None if b is None else mask.buyer(b))
    return rows


#: the longest ids :func:`buyers_named` finds in its one pass over the ids (member names and numeric ids
#: are shorter); a store with longer ones (e-mail addresses) pays a second pass for them
NAMED_IN_ONE_PASS = 16


def buyers_named(t: Tables, texts: list[str]) -> set[str]:
    """The store's buyer ids (of orders and chats, 4 characters or more) that appear in ``texts``.

    An id appears in a text where it equals one of the text's pieces of its length: the pieces are
    looked up among the ids (a pass over them), rather than every id searched for in every text (a
    big store's millions of ids, 10 times). The pass also finds the longest id: the pieces up to
    :data:`NAMED_IN_ONE_PASS` characters go into it, longer ones (if any id is longer) into a second."""
    if not texts:
        return set()
    ids = t.orders.select(buyer_id=t.orders.buyer_id.cast("string")).union(
        t.cs_sessions.select(buyer_id=t.cs_sessions.buyer_id.cast("string")), distinct=False)

    def pieces(shortest: int, longest: int) -> ir.Table:
        cut = {x[i:i + n] for x in texts for n in range(shortest, min(longest, len(x)) + 1)
               for i in range(len(x) - n + 1)}
        return ibis.memtable({"piece": sorted(cut)}, schema={"piece": "string"})

    short = pieces(4, NAMED_IN_ONE_PASS)
    j = ids.left_join(short, ids.buyer_id == short.piece)
    (row,) = j.aggregate(longest=j.buyer_id.length().max(),
                         found=j.buyer_id.collect(where=j.piece.notnull(), distinct=True)).to_pyarrow().to_pylist()
    found = set(row["found"] or ())
    if (row["longest"] or 0) > NAMED_IN_ONE_PASS:
        long = pieces(NAMED_IN_ONE_PASS + 1, row["longest"])
        found |= set(ids.filter(ids.buyer_id.isin(long.piece)).buyer_id.execute())
    return found


def ticket_sla(t: Tables, p: Period) -> ir.Scalar:
    """问题订单24小时处理率: of the tickets whose 24 h deadline fell in the period, the share resolved by it.

    METRICS.md counts the tickets *opened* in the period; for a day that measures
    nothing, since no ticket opened on the report day has reached its deadline by
    the report's cut-off. Judging each ticket when its 24 h run out (as ship_72h
    does for orders) makes the day's figure mean something and the same ticket
    count once in every longer period.
    """
    k = t.cs_tickets
    deadline = k.opened_at + ibis.interval(hours=TICKET_SLA_H)
    due = k.filter((deadline >= p.start) & (deadline < p.end_exclusive))
    in_time = due.filter(due.resolved_at.notnull() & (due.resolved_at <= due.opened_at + ibis.interval(hours=TICKET_SLA_H)))
    return safe_div(scalar(in_time.count()), scalar(due.count()))


def open_tickets(t: Tables, cutoff: _dt.datetime, min_age_h: float = 0) -> pd.DataFrame:
    """Tickets open at the cut-off and at least ``min_age_h`` old, oldest first, with their age in hours."""
    k = t.cs_tickets
    c = moment(cutoff)
    open_ = k.filter((k.opened_at < c) & (k.resolved_at.isnull() | (k.resolved_at >= c)))
    age = (c.epoch_seconds() - open_.opened_at.epoch_seconds()) / 3600
    out = open_.mutate(age_h=age).filter(ibis._.age_h >= min_age_h)
    return out.select("ticket_id", "order_id", "kind", "severity", "opened_at", "age_h").order_by(
        [ibis.desc("age_h"), "ticket_id"]).execute()


def tickets_by_kind(t: Tables, p: Period, cutoff: _dt.datetime) -> pd.DataFrame:
    """Per ticket kind (complaint, refund, …): tickets opened in ``p``; those whose 24 h ran out in ``p``
    and how many of them were resolved in time (``sla`` as ticket_sla judges them); open at the cut-off."""
    k = t.cs_tickets
    deadline = k.opened_at + ibis.interval(hours=TICKET_SLA_H)
    c = moment(cutoff)
    g = k.group_by("kind").aggregate(
        opened=in_period(k.opened_at, p).sum(),
        due=((deadline >= p.start) & (deadline < p.end_exclusive)).sum(),
        in_time=((deadline >= p.start) & (deadline < p.end_exclusive) & k.resolved_at.notnull()
                 & (k.resolved_at <= deadline)).sum(),
        open=((k.opened_at < c) & (k.resolved_at.isnull() | (k.resolved_at >= c))).sum()).execute()
    g[["opened", "due", "in_time", "open"]] = g[["opened", "due", "in_time", "open"]].fillna(0).astype(int)
    g["sla"] = g.in_time / g.due.where(g.due > 0)
    g = g[(g.opened > 0) | (g.due > 0) | (g.open > 0)]
    return g.sort_values(["opened", "kind"], ascending=[False, True]).reset_index(drop=True)


DSR = ("dsr_item", "dsr_service", "dsr_logistics")


def dsr_at(t: Tables, days: list[_dt.date]) -> pd.DataFrame:
    """Each DSR score as last reported by the end of each of ``days`` (a row per day, in their order;
    NaN before the first report), in one query: a store reports its scores at most once a day."""
    r = t.ratings
    kept = r.filter(r.date <= max(days)).select("date", *DSR).order_by("date").execute()
    kept["date"] = pd.to_datetime(kept["date"])
    at = pd.DataFrame({"day": pd.to_datetime(pd.Series(days)), "order": range(len(days))}).sort_values("day")
    found = pd.merge_asof(at, kept, left_on="day", right_on="date").sort_values("order")
    return found[list(DSR)].astype(float).set_axis(list(days))


def dsr_change(t: Tables, p: Period) -> pd.DataFrame:
    """Each DSR score as last reported by the end of ``p`` and by the end of the day before it, and the change."""
    now, before = dsr_at(t, [p.end, p.start - _dt.timedelta(days=1)]).to_numpy()
    df = pd.DataFrame({"score": list(DSR), "now": now, "before": before})
    df["change"] = df.now - df.before
    return df
