"""``storeops demo --today``: the demo store's today as it stands at an hour, so the pace check
(storeops run pace) has a day under way to read.

The demo makes whole days; this takes the last one back to the moment: what had not happened by
then is gone (orders created later, payments, shipments, refunds, chats, tickets opened or closed
later), and the day's traffic and ad rows hold the share of the day gone by, as a partial-day
export would. The day's closing stock count is dropped: the day has not closed.
"""

from __future__ import annotations

import datetime as _dt

import ibis

from storeops.demo import _HOURS

#: per table: the day's counters a partial-day export holds the share gone by of
_SCALED = {"traffic": ("uv", "pv"), "traffic_by_source": ("uv", "pv", "paying_buyers", "paid_amount"),
           "product_traffic": ("uv", "pv", "cart_adds", "favorites"),
           "ads": ("impressions", "clicks", "cost", "orders", "gmv")}


def share(hour: int) -> float:
    """The demo's share of a day's visits made before ``hour``:00."""
    return float(_HOURS[:hour].sum())


def cut(con: ibis.BaseBackend, at: _dt.datetime) -> None:
    """Take the warehouse behind ``con`` back to ``at`` (store time, on its last day)."""
    c, day, s = f"timestamp '{at:%Y-%m-%d %H:%M:%S}'", f"date '{at:%Y-%m-%d}'", share(at.hour)
    later = " or ".join(f"{col} >= {c}" for col in ("paid_at", "shipped_at", "delivered_at", "cancelled_at",
                                                      "refunded_at"))
    statements = [
        f"create temp table _touched as select order_id from orders where {later}",
        f"delete from order_items where order_id in (select order_id from orders where created_at >= {c})",
        f"delete from orders where created_at >= {c}",
        f"update orders set paid_at = null, paid_amount = null where paid_at >= {c}",
        *(f"update orders set {col} = null where {col} >= {c}" for col in ("shipped_at", "delivered_at",
                                                                          "cancelled_at")),
        f"update order_items set refund_qty = 0 where order_id in "
        f"(select order_id from orders where refunded_at >= {c})",
        f"update orders set refund_amount = 0, refunded_at = null where refunded_at >= {c}",
        "update orders set status = case when paid_at is null and cancelled_at is not null then 'closed' "
        "when paid_at is null then 'pending_payment' when refund_amount > 0 and refund_amount >= paid_amount "
        "then 'refunded' when delivered_at is not null then 'completed' when shipped_at is not null then 'shipped' "
        "else 'paid' end where order_id in (select order_id from _touched)",
        "drop table _touched",
        f"delete from refunds where refunded_at >= {c}",
        f"delete from cs_sessions where started_at >= {c}",
        f"delete from cs_tickets where opened_at >= {c}",
        f"update cs_tickets set resolved_at = null, status = 'open' where resolved_at >= {c}",
        f"delete from inventory where date >= {day}",
        f"delete from ratings where date >= {day}",
    ]
    for table, cols in _SCALED.items():
        sets = ", ".join(f"{col} = round({col} * {s:.4f}, 2)" if col in ("cost", "gmv", "paid_amount")
                         else f"{col} = round({col} * {s:.4f})" for col in cols)
        statements.append(f"update {table} set {sets} where date = {day}")
    for sql in statements:
        con.raw_sql(sql)
