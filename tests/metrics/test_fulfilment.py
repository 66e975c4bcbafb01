"""Orders and fulfilment as of the cut-off. D = 2026-03-10, cut-off C = 2026-03-11 00:00.

order  paid         shipped       other                       at C: waiting   72 h (deadline on D?)
f1     D 20:00      —                                         4 h   <24
f2     D−1 12:00    D+1 09:00                                 36 h  24–48
f3     D−2 06:00    —                                         66 h  48–72
f4     D−4 00:00    —             urgent                      120 h >72
f5     D−3 12:00    D 06:00 (66h)                             —               due, on time
f6     D−3 10:00    —             cancelled D−2               —               left out (cancelled)
f7     D−3 15:00    —             fully refunded D−1          —               left out (refunded)
f8     D−3 20:00    D 21:00 (73h)                             —               due, late
f9     D 23:00      —             urgent                      1 h   <24
f10    D−1 08:00    —             10 of 100 refunded          40 h  24–48 (a partial refund still ships)
f11    (created D 10:00, never paid)
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import pytest

from storeops.metrics import fulfilment
from storeops.periods import Period
from tests.conftest import load

D = Period.day("2026-03-10")
C = _dt.datetime(2026, 3, 11)


def _o(oid, paid, shipped=None, **kw):
    created = kw.pop("created", None) or str(pd.Timestamp(paid) - pd.Timedelta(minutes=5))
    return dict(order_id=oid, buyer_id=f"tb{oid}", created_at=created, paid_at=paid, shipped_at=shipped,
                goods_amount="100", paid_amount=None if paid is None else "100", **kw)


ORDERS = [
    _o("f1", "2026-03-10 20:00"),
    _o("f2", "2026-03-09 12:00", "2026-03-11 09:00"),
    _o("f3", "2026-03-08 06:00"),
    _o("f4", "2026-03-06 00:00", is_urgent=True),
    _o("f5", "2026-03-07 12:00", "2026-03-10 06:00"),
    _o("f6", "2026-03-07 10:00", cancelled_at="2026-03-08 10:00", status="closed"),
    _o("f7", "2026-03-07 15:00", refund_amount="100", refunded_at="2026-03-09 10:00", status="refunded"),
    _o("f8", "2026-03-07 20:00", "2026-03-10 21:00"),
    _o("f9", "2026-03-10 23:00", is_urgent=True),
    _o("f10", "2026-03-09 08:00", refund_amount="10", refunded_at="2026-03-09 09:00"),
    _o("f11", None, created="2026-03-10 10:00", status="pending_payment"),
]


@pytest.fixture
def t(con):
    return load(con, orders=ORDERS)


def test_backlog_by_age(t):
    assert fulfilment.ship_backlog(t, C) == {"lt24": 2, "24_48": 2, "48_72": 1, "gt72": 1}


def test_72h_compliance_of_orders_due_on_the_day(t):
    # paid on D−3: f5 f6 f7 f8; f6 cancelled and f7 refunded before their deadline -> f5 on time of f5, f8
    assert fulfilment.ship_72h(t, D) == {"due": 2, "on_time": 1, "rate": 0.5}


def test_funnel(t):
    # created on D: f1 (19:55), f9 (22:55), f11 (10:00); paid by C: f1, f9; shipped: none
    assert fulfilment.funnel(t, D) == {"created": 3, "paid": 2, "shipped": 0}


def test_urgent_and_overdue_lists_oldest_first(t):
    u = fulfilment.urgent_orders(t, C)
    assert u.order_id.tolist() == ["f4", "f9"] and u.hours.tolist() == pytest.approx([120, 1])
    assert fulfilment.overdue(t, C, 48).order_id.tolist() == ["f4", "f3"]


def test_the_orders_awaiting_shipment_fetched_once_give_every_list(t):
    """What a review fetches once (awaiting_orders) and takes its backlog and lists from: by the table
    above, waiting at C oldest first f4 120 h, f3 66 h, f10 40 h, f2 36 h, f1 4 h, f9 1 h."""
    w = fulfilment.awaiting_orders(t, C)
    assert w.order_id.tolist() == ["f4", "f3", "f10", "f2", "f1", "f9"]
    assert w.hours.tolist() == pytest.approx([120, 66, 40, 36, 4, 1])
    assert w.is_urgent.tolist() == [True, False, False, False, False, True]
    assert fulfilment.backlog_of(w) == {"lt24": 2, "24_48": 2, "48_72": 1, "gt72": 1}
    assert fulfilment.urgent_of(w).order_id.tolist() == ["f4", "f9"]
    assert fulfilment.overdue_of(w, 40).order_id.tolist() == ["f4", "f3", "f10"]  # 40 h itself is overdue
    assert fulfilment.backlog_of(w.iloc[:0]) == {"lt24": 0, "24_48": 0, "48_72": 0, "gt72": 0}
    assert w.buyer_id.tolist()[0] != "tbf4"  # masked where it is fetched


def test_orders_closed_or_refunded_without_a_time_never_wait(con):
    # an export with neither close nor refund time (Tmall's 订单报表): g1 closed in 2016, g2 fully
    # refunded (100 of 100) with status still "paid", g3 refunded per its status; none will ship,
    # none is "unshipped over 72 h" and none is due in the 72 h rate. g4, a partial refund (10 of
    # 100) with no time, still ships: 120 h, >72; and it is the one order due on D−3 (not shipped).
    t = load(con, orders=[_o("g1", "2016-05-01 10:00", status="closed"),
                          _o("g2", "2026-03-07 11:00", refund_amount="100"),
                          _o("g3", "2026-03-07 12:00", status="refunded"),
                          _o("g4", "2026-03-06 00:00", refund_amount="10")])
    assert fulfilment.ship_backlog(t, C) == {"lt24": 0, "24_48": 0, "48_72": 0, "gt72": 1}
    assert fulfilment.overdue(t, C, 48).order_id.tolist() == ["g4"]
    assert fulfilment.ship_72h(t, Period.day("2026-03-09")) == {"due": 1, "on_time": 0, "rate": 0.0}
    assert fulfilment.ship_72h(t, D) == {"due": 0, "on_time": 0, "rate": None}


def test_a_late_order_refunded_since_was_late_and_a_free_sample_never_waits(con):
    # h1 paid D−3 10:00, shipped D 18:00 (80 h: late), refunded since (status, no time): still due, late.
    # h2 paid D−3 11:00 for 0 (a stock adjustment), never shipped: no sale, no wait, not due.
    # h3 paid D−3 12:00, shipped D−2 (on time). Due on D: h1, h3 → 1 of 2 on time.
    t = load(con, orders=[_o("h1", "2026-03-07 10:00", "2026-03-10 18:00", status="refunded"),
                          {**_o("h2", "2026-03-07 11:00"), "paid_amount": "0"},
                          _o("h3", "2026-03-07 12:00", "2026-03-08 12:00")])
    assert fulfilment.ship_72h(t, D) == {"due": 2, "on_time": 1, "rate": 0.5}
    assert fulfilment.ship_backlog(t, C) == {"lt24": 0, "24_48": 0, "48_72": 0, "gt72": 0}
    # created D−3 … D (cut-off C): h1 h2 h3; paid for more than 0: h1 h3; shipped of those by C: both
    assert fulfilment.funnel(t, Period(_dt.date(2026, 3, 7), D.end)) == {"created": 3, "paid": 2, "shipped": 2}
