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
