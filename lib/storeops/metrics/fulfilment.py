"""Orders and fulfilment (订单与物流): METRICS.md#fulfilment.

Everything is *as of the cut-off*: the end of the report day. An order shipped
after the cut-off was still waiting at it; one paid after it did not exist yet.
"""

from __future__ import annotations

import datetime as _dt

import ibis
import ibis.expr.types as ir
import pandas as pd

from storeops.metrics.base import evaluate, in_period, moment, scalar
from storeops.periods import Period
from storeops.present import mask
from storeops.warehouse import Tables

BUCKETS = ("lt24", "24_48", "48_72", "gt72")  # hours since payment
SHIP_LIMIT_H = 72


#: statuses of an order that will never ship
CLOSED = ("closed", "refunded", "cancelled")


def _closed_untimed(o: ir.Table) -> ir.BooleanValue:
    """Closed, cancelled or fully refunded by what the export says now, though it gives no time for it
    (Tmall's 订单报表 has neither close nor refund time): such an order will never ship, so it is
    never "unshipped over 72 h". As of the export, not the cut-off: a past review may count a few
    orders that were still open then."""
    return (o.cancelled_at.isnull() & o.refunded_at.isnull()
            & (o.status.isin(CLOSED) | ((o.refund_amount > 0) & (o.refund_amount >= o.paid_amount)))).fill_null(False)


def awaiting(t: Tables, cutoff: _dt.datetime) -> ir.Table:
    """Orders paid, not shipped, not cancelled and not fully refunded at the cut-off, with hours waited."""
    o, c = t.orders, moment(cutoff)
    w = o.filter(
        (o.paid_at < c) & (o.paid_amount > 0)  # a 0-amount order (a stock adjustment) is no sale to ship
        & (o.shipped_at.isnull() | (o.shipped_at >= c))
        & (o.cancelled_at.isnull() | (o.cancelled_at >= c))
        & ~((o.refunded_at < c) & (o.refund_amount >= o.paid_amount)).fill_null(False)
        & ~_closed_untimed(o)
    )
    return w.mutate(hours=(c.epoch_seconds() - w.paid_at.epoch_seconds()) / 3600)


def awaiting_orders(t: Tables, cutoff: _dt.datetime) -> pd.DataFrame:
    """The orders :func:`awaiting` shipment at the cut-off, oldest first (then by order id): order_id,
    buyer_id (masked), paid_at, hours, is_urgent, province. A review fetches them once (one pass
    over the orders) and takes its backlog, urgent and overdue lists from them."""
    w = awaiting(t, cutoff)
    return _masked(w.select("order_id", "buyer_id", "paid_at", "hours", "is_urgent", "province").order_by(
        [ibis.desc("hours"), "order_id"]).execute())


def backlog_of(waiting: pd.DataFrame) -> dict[str, int]:
    """待发货 of :func:`awaiting_orders`: by hours since payment, <24, 24–48, 48–72, >72."""
    h = waiting.hours
    edges = {"lt24": h < 24, "24_48": (h >= 24) & (h < 48), "48_72": (h >= 48) & (h < 72), "gt72": h >= 72}
    return {k: int(cond.sum()) for k, cond in edges.items()}


def urgent_of(waiting: pd.DataFrame) -> pd.DataFrame:
    """加急订单 of :func:`awaiting_orders`, oldest first."""
    return waiting[waiting.is_urgent.fillna(False).astype(bool)][
        ["order_id", "buyer_id", "paid_at", "hours", "province"]].reset_index(drop=True)


def overdue_of(waiting: pd.DataFrame, min_hours: float) -> pd.DataFrame:
    """The orders of :func:`awaiting_orders` waiting for at least ``min_hours``, oldest first."""
    return waiting[waiting.hours >= min_hours][["order_id", "buyer_id", "paid_at", "hours", "is_urgent"]
                                               ].reset_index(drop=True)


def ship_backlog(t: Tables, cutoff: _dt.datetime) -> dict[str, int]:
    """待发货: orders awaiting shipment by hours since payment: <24, 24–48, 48–72, >72."""
    return backlog_of(awaiting_orders(t, cutoff))


def ship_72h(t: Tables, p: Period) -> dict[str, float | int | None]:
    """72小时发货率 for the orders whose 72 h window closed during the period.

    For a day D these are the orders paid on D−3: shipped within 72 h of payment ÷
    those orders, leaving out orders cancelled or fully refunded before their
    deadline. (Orders paid *on* D have had no 72 h yet; counting them would
    measure nothing.)
    """
    paid_in = p.shifted(-3)
    o = t.orders.filter(in_period(t.orders.paid_at, paid_in) & (t.orders.paid_amount > 0))
    deadline = o.paid_at + ibis.interval(hours=SHIP_LIMIT_H)
    # closed by what the export says now, with no time: gone if it never shipped (one shipped late and
    # refunded since was late all the same)
    gone = ((o.cancelled_at < deadline) | ((o.refunded_at < deadline) & (o.refund_amount >= o.paid_amount))
            ).fill_null(False) | (_closed_untimed(o) & o.shipped_at.isnull())
    due = o.filter(~gone)
    ok = due.filter(due.shipped_at.notnull() & (due.shipped_at <= due.paid_at + ibis.interval(hours=SHIP_LIMIT_H)))
    v = evaluate({"due": scalar(due.count()), "on_time": scalar(ok.count())})
    return {**v, "rate": v["on_time"] / v["due"] if v["due"] else None}


def funnel(t: Tables, p: Period) -> dict[str, int]:
    """Orders created in the period → of them paid (for more than 0, as paid orders count) → of
    those shipped, by the cut-off."""
    c = moment(_dt.datetime.combine(p.end_exclusive, _dt.time()))
    o = t.orders.filter(in_period(t.orders.created_at, p))
    paid = o.filter((o.paid_at < c) & (o.paid_amount > 0))
    return evaluate({
        "created": scalar(o.count()),
        "paid": scalar(paid.count()),
        "shipped": scalar(paid.filter(paid.shipped_at < c).count()),
    })


def urgent_orders(t: Tables, cutoff: _dt.datetime) -> pd.DataFrame:
    """加急订单: urgent orders awaiting shipment at the cut-off, oldest first."""
    return urgent_of(awaiting_orders(t, cutoff))


def overdue(t: Tables, cutoff: _dt.datetime, min_hours: float) -> pd.DataFrame:
    """Orders awaiting shipment for at least ``min_hours``, oldest first."""
    return overdue_of(awaiting_orders(t, cutoff), min_hours)


def _masked(df: pd.DataFrame) -> pd.DataFrame:
    """Buyers' ids masked where they are fetched: reports are mailed around (present.mask)."""
    df["buyer_id"] = df.buyer_id.map(lambda b: None if b is None else mask.buyer(b))
    return df

