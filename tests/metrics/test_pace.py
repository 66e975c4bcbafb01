"""The day so far against the same hours of like days; expected values worked out by hand.

Today D = 2026-12-03 (a Thursday), at 14:00. Like days: the 4 Thursdays before.

day     paid at (amount)                                     by 14:00   whole day
D       09:00 (100), 13:59:59 (320), 14:00:00 (500)          420        —
11-26   09:00 (0: a free sample, no sale), 10:00 (400), 15:00 (600)   400   1000
11-19   11:00 (300), 20:00 (600)                             300        900
11-12   08:00 (500), 22:00 (500)                             500        1000
11-05   18:00 (800)                                          0          800    sold nothing by 14:00: left out

Projection: 420 × (1000 + 900 + 1000) ÷ (400 + 300 + 500) = 420 × 2900 ÷ 1200 = 1015.
Each like day's own: 420 × 1000 ÷ 400 = 1050, 420 × 900 ÷ 300 = 1260, 420 × 1000 ÷ 500 = 840:
the interval 840 – 1260, resting on 3 days.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import pytest

from storeops.metrics import pace
from tests.conftest import load

D = _dt.date(2026, 12, 3)
LIKE = [D - _dt.timedelta(days=7 * k) for k in range(1, 5)]


def _paid(oid, at, amount):
    return dict(order_id=oid, buyer_id=oid, created_at=at, paid_at=at, goods_amount=amount, paid_amount=amount)


ORDERS = [_paid("t1", "2026-12-03 09:00:00", "100"), _paid("t2", "2026-12-03 13:59:59", "320"),
          _paid("t3", "2026-12-03 14:00:00", "500"),
          dict(order_id="t4", created_at="2026-12-03 10:00:00", goods_amount="90"),  # not paid
          _paid("a0", "2026-11-26 09:00:00", "0"), _paid("a1", "2026-11-26 10:00:00", "400"),
          _paid("a2", "2026-11-26 15:00:00", "600"),
          _paid("b1", "2026-11-19 11:00:00", "300"), _paid("b2", "2026-11-19 20:00:00", "600"),
          _paid("c1", "2026-11-12 08:00:00", "500"), _paid("c2", "2026-11-12 22:00:00", "500"),
          _paid("d1", "2026-11-05 18:00:00", "800")]


def test_paid_by_the_hour_and_in_the_day(con):
    t = load(con, orders=ORDERS)
    got = pace.paid_by_hour(t, [D, *LIKE], 14)
    assert got == {D: (Decimal("420"), Decimal("920")), LIKE[0]: (Decimal("400"), Decimal("1000")),
                   LIKE[1]: (Decimal("300"), Decimal("900")), LIKE[2]: (Decimal("500"), Decimal("1000")),
                   LIKE[3]: (Decimal("0"), Decimal("800"))}


def test_the_day_it_points_to_and_the_spread_of_like_days(con):
    t = load(con, orders=ORDERS)
    p = pace.pace(t, D, 14, LIKE)
    assert p.so_far == Decimal("420") and p.days == 3
    assert (p.value, p.low, p.high) == pytest.approx((1015.0, 840.0, 1260.0))


def test_no_like_day_sold_by_the_hour_no_projection():
    p = pace.projection(Decimal("50"), [(Decimal("0"), Decimal("800"))])
    assert (p.value, p.low, p.high, p.days) == (None, None, None, 0)
    assert pace.projection(Decimal("0"), [(Decimal("100"), Decimal("400"))]).value == 0.0  # nothing yet: 0, not —
