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


# --- the hour's other figures, on the same day D at 14:00 -------------------------------------------
#
# Shares of the day by the hour over the 4 like days (totals 1000 + 900 + 1000 + 800 = 3700):
# before 14:00: 400 (11-26 10h) + 300 (11-19 11h) + 500 (11-12 8h) = 1200; by 16:00 + 600 (11-26 15h) = 1800;
# by 19:00 + 800 (11-05 18h) = 2600; by 21:00 + 600 (11-19 20h) = 3200; by 23:00 + 500 (11-12 22h) = 3700.
CUT = _dt.datetime(2026, 12, 3, 14)


def test_how_a_like_day_fills_up(con):
    t = load(con, orders=ORDERS)
    s = pace.shares(list(pace.hourly(t, LIKE).values()))
    expected = {0: 0, 9: 500, 11: 900, 12: 1200, 14: 1200, 15: 1200, 16: 1800, 19: 2600, 21: 3200, 23: 3700, 24: 3700}
    assert {h: s[h] for h in expected} == pytest.approx({h: v / 3700 for h, v in expected.items()})
    assert pace.hourly(t, [D])[D].before(14) == (Decimal("420"), 2)  # t3 at 14:00:00 is the next hour's
    assert pace.shares([]) == [None] * 25


def _line(oid, no, sku, qty, amount):
    return dict(order_id=oid, line_no=no, sku=sku, qty=qty, unit_price=amount, amount=amount, refund_qty=0)


LINES = [_line("t1", 1, "A", 2, "100"), _line("t1", 2, "E", 1, "50"), _line("t2", 1, "A", 1, "100"), _line("t2", 2, "B", 1, "100"),
         _line("t2", 3, "D", 1, "120"), _line("t3", 1, "C", 2, "500"),
         _line("a1", 1, "B", 1, "400"), _line("b1", 1, "D", 1, "300"), _line("c1", 1, "X", 1, "500"),
         _line("d1", 1, "Y", 1, "800")]
STOCK = [dict(date="2026-12-01", sku="A", on_hand=50), dict(date="2026-12-02", sku="A", on_hand=10),
         dict(date="2026-12-02", sku="B", on_hand=2), dict(date="2026-12-02", sku="C", on_hand=5),
         dict(date="2026-12-02", sku="D", on_hand=1), dict(date="2026-12-01", sku="E", on_hand=1),
         dict(date="2026-12-03", sku="B", on_hand=0), dict(date="2026-12-03", sku="A", on_hand=3)]
PRODUCTS = [dict(sku=s, product_id=s, title=f"item {s}", status="on_sale") for s in "ABCDEXY"]


def test_what_sells_out_before_midnight(con):
    """Sold before 14:00 (a third of a like day's sales: 1200 of 3700): A 3, B 1, D 1, E 1; C's 2 were
    paid at 14:00:00. The stock each starts the day with is its latest count before 12-03 (a row of
    12-03 is that day's closing count, not its morning's): A 10 (12-02; 12-01's 50 is older), B 2,
    D 1, E 1 (counted 12-01 only). Projected units by hour h = sold × share[h] ÷ share[14]:
    A: 3 × 3700/1200 = 9.25 by midnight, under its 10: no.
    B: 1 × 2600/1200 = 2.17 by 19:00, reaching its 2: sells out at 19:00, 5 h from now, 1 left now.
    D, E: 1 × 1200/1200 = 1 already, their 1: gone now (0 h, 0 left).
    Class by the 30 days to 12-02: Y 800, X 500, B 400, D 300 of 2000; before each: 0, 40 %, 65 %, 85 %:
    Y, X, B hot; D steady (it crosses 80 %); E sold nothing: slow."""
    t = load(con, orders=ORDERS, order_items=LINES, inventory=STOCK, products=PRODUCTS)
    s = pace.shares(list(pace.hourly(t, LIKE).values()))
    got = pace.sell_outs(t, D, CUT, s)
    assert got[["sku", "sales_class", "on_hand", "sold", "left", "runs_out_h", "hours_left"]].values.tolist() == [
        ["D", "steady", 1, 1, 0, 14, 0], ["E", "slow", 1, 1, 0, 14, 0], ["B", "hot", 2, 1, 1, 19, 5]]
    assert got.title.tolist() == ["item D", "item E", "item B"]
    # no like day had sold by 14:00: no pace to scale by, but what is gone already is gone
    assert pace.sell_outs(t, D, CUT, [None] * 25).sku.tolist() == ["D", "E"]


def _ad(campaign, cost, gmv, day="2026-12-03"):
    return dict(date=day, channel="直通车", campaign=campaign, impressions=100, clicks=10, cost=cost, orders=1, gmv=gmv)


def test_ad_spend_against_the_budget_at_the_days_pace(con):
    """December's budget 31 000 → 1 000 a day; by 14:00 like days had sold 1200/3700 of theirs, so
    324.32 was due; 400 spent (300 + 100; yesterday's 999 is not today's) is 123.3 % of that."""
    t = load(con, ads=[_ad("A", "300.00", "450.00"), _ad("B", "100.00", "500.00"), _ad("A", "999.00", "0", "2026-12-02")],
             targets=[dict(month="2026-12-01", category="*", gmv_target="1.00", ad_budget="31000.00")])
    a = pace.ad_spend(t, D, 1200 / 3700)
    assert a == pytest.approx({"cost": 400.0, "budget": 1000.0, "expected": 1000 * 1200 / 3700,
                               "pace": 400 / (1000 * 1200 / 3700)})
    assert pace.ad_spend(t, D, None)["pace"] is None
    # a day whose ads are not loaded yet has no spend to judge, not a spend of 0
    assert pace.ad_spend(t, D + _dt.timedelta(days=1), 0.5) == {"cost": None, "budget": 1000.0,
                                                                "expected": 500.0, "pace": None}
    c = pace.campaigns_today(t, D)
    assert c[["campaign", "cost", "roas"]].values.tolist() == [["A", Decimal("300.00"), 1.5], ["B", Decimal("100.00"), 5.0]]


def test_chats_so_far_and_orders_due_to_ship_today(con):
    """Chats started today before 14:00: s1 (60 s) and s2 (240 s) — mean 150 s, 1 of 2 within 180 s;
    s3 at 14:30 is later, s0 yesterday. Unshipped at 14:00, 72 h after payment: p1 paid 11-30 13:00
    (73 h ago: 1 h late), p2 11-30 20:00 (66 h: 6 h left, before midnight's 10 h), p3 12-01 02:00 (60 h:
    12 h left, past midnight); p4 shipped."""
    def chat(sid, at, s):
        return dict(session_id=sid, started_at=at, buyer_id="b", first_response_s=s)

    def order(oid, at, shipped=None):
        return dict(order_id=oid, created_at=at, paid_at=at, goods_amount="10", paid_amount="10", shipped_at=shipped)

    t = load(con, cs_sessions=[chat("s0", "2026-12-02 10:00:00", 9), chat("s1", "2026-12-03 09:00:00", 60),
                               chat("s2", "2026-12-03 13:00:00", 240), chat("s3", "2026-12-03 14:30:00", 1)],
             orders=[order("p1", "2026-11-30 13:00:00"), order("p2", "2026-11-30 20:00:00"),
                     order("p3", "2026-12-01 02:00:00"), order("p4", "2026-11-30 12:00:00", "2026-12-01 09:00:00")])
    assert pace.service_now(t, D, CUT) == {"chats": 2, "first_response": 150.0, "response_3min": 0.5}
    due = pace.ship_due(t, D, CUT)
    assert due.order_id.tolist() == ["p1", "p2"]
    assert due.hours_left.tolist() == pytest.approx([-1.0, 6.0])
    # at 24:00 the day is over: only what is late (p1 25 h, p2 2 h); p3, due 12-04 02:00, is tomorrow's
    end = pace.ship_due(t, D, _dt.datetime(2026, 12, 4))
    assert end.order_id.tolist() == ["p1", "p2"] and end.hours_left.tolist() == pytest.approx([-11.0, -4.0])


def test_paying_buyers_and_visitors_so_far(con):
    """Before 14:00: t1, t2 (2 buyers; t3 at 14:00 is later); the day's traffic row holds 500 so far."""
    t = load(con, orders=ORDERS, traffic=[dict(date="2026-12-03", uv=500, pv=900)])
    assert pace.so_far(t, D, CUT) == {"paying_buyers": 2, "uv": 500}
