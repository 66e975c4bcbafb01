"""Velocity, sales class and days of cover. Report day D = 2026-03-28; its 28 days are Mar 1–28.

SKU  on hand (end of day)              paid units (amount)                 in-stock days  velocity  class
A    5 on Mar 1–26, 0 on Mar 27–28     24 on Mar 10 (2,400), 3 on Mar 27   26 + Mar 27 = 27  27/27 = 1  hot
B    100 every day                     14 on Mar 20 (140)                  28             0.5       slow
C    0 every day                       —                                   0              —         slow
D    50 every day                      —                                   28             0         slow
A makes 2,700 of 2,840 (95 %): it crosses the 80 % line and is hot; B starts at 95 %: slow.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import pytest

from storeops.metrics import inventory
from storeops.periods import Period
from tests.conftest import load

DAY = _dt.date(2026, 3, 28)


@pytest.fixture
def t(con):
    days = [_dt.date(2026, 3, 1) + _dt.timedelta(days=i) for i in range(28)]
    inv = []
    for d in days:
        inv += [dict(date=d.isoformat(), sku="A", on_hand=5 if d.day <= 26 else 0),
                dict(date=d.isoformat(), sku="B", on_hand=100), dict(date=d.isoformat(), sku="C", on_hand=0),
                dict(date=d.isoformat(), sku="D", on_hand=50)]

    def sale(oid, ts, sku, qty, amount):
        return (dict(order_id=oid, buyer_id="b", created_at=ts, paid_at=ts, goods_amount=amount, paid_amount=amount),
                dict(order_id=oid, line_no=1, sku=sku, qty=qty, unit_price="1", amount=amount, refund_qty=0))

    sales = [sale("o1", "2026-03-10 10:00", "A", 24, "2400"), sale("o2", "2026-03-27 15:00", "A", 3, "300"),
             sale("o3", "2026-03-20 10:00", "B", 14, "140")]
    return load(
        con, inventory=inv, orders=[o for o, _ in sales], order_items=[i for _, i in sales],
        products=[dict(sku=s, product_id=f"P{s}", title=f"T{s}", status="on_sale", lead_time_days=10, unit_cost=c)
                  for s, c in zip("ABCD", ("10", "1", "5", "2"))],
        product_traffic=[dict(date="2026-03-28", product_id="PA", uv=30, pv=40, cart_adds=0, favorites=0),
                         dict(date="2026-03-28", product_id="PC", uv=0, pv=0, cart_adds=0, favorites=0)],
    )


def test_stock_status(t):
    s = inventory.stock_status(t, DAY).set_index("sku")
    assert s.loc[["A", "B", "C", "D"], "in_stock_days"].tolist() == [27, 28, 0, 28]
    assert s.loc["A", "velocity"] == pytest.approx(1.0) and s.loc["B", "velocity"] == pytest.approx(0.5)
    assert pd.isna(s.loc["C", "velocity"]) and s.loc["D", "velocity"] == 0
    assert s.loc["A", "days_cover"] == 0 and s.loc["B", "days_cover"] == pytest.approx(200)
    assert pd.isna(s.loc["C", "days_cover"]) and pd.isna(s.loc["D", "days_cover"])  # no sales: no finite cover
    assert s.sales_class.to_dict() == {"A": "hot", "B": "slow", "C": "slow", "D": "slow"}


def test_warnings(t):
    s = inventory.stock_status(t, DAY)
    assert inventory.hot_short(s).sku.tolist() == ["A"]  # 0 days of cover < 10 days lead time
    oos = inventory.out_of_stock_with_visitors(t, DAY, s)
    assert oos.sku.tolist() == ["A"] and oos.uv.tolist() == [30]  # C is out too but had no visitors


@pytest.mark.parametrize("amounts, expected", [
    ({"a": 50, "b": 30, "c": 15, "d": 5, "e": 0}, ["hot", "hot", "steady", "slow", "slow"]),
    ({"a": 85, "b": 12, "c": 3}, ["hot", "steady", "slow"]),  # the best seller alone passes 80 %
    ({"a": 0, "b": 0}, ["slow", "slow"]),
])
def test_sales_class(amounts, expected):
    assert inventory.sales_class(pd.Series(amounts)).tolist() == expected


def test_stockout_days_by_sku(t):
    # the week 03-22 … 03-28: A ran out on 03-27 and 03-28, C never had stock
    df = inventory.stockout_days(t, Period(_dt.date(2026, 3, 22), DAY, "custom"))
    assert df[["sku", "days", "out_days"]].values.tolist() == [["C", 7, 7], ["A", 7, 2], ["B", 7, 0], ["D", 7, 0]]
    assert df.stockout_rate.tolist() == pytest.approx([1, 2 / 7, 0, 0])


def test_by_class_and_slow_movers(t):
    s = inventory.stock_status(t, DAY)
    g = inventory.by_class(s).set_index("sales_class")
    assert g.index.tolist() == ["hot", "slow"]
    assert g.loc["hot", ["skus", "on_hand", "out_of_stock", "short", "overstock"]].tolist() == [1, 0, 1, 1, 0]
    # B 200 days of cover is overstock; C is out of stock; D has no sales, so no finite cover
    assert g.loc["slow", ["skus", "on_hand", "out_of_stock", "short", "overstock"]].tolist() == [3, 150, 1, 0, 1]
    assert inventory.slow_movers(s, DAY).sku.tolist() == ["D"]  # stock and no sale in 30 days; C has no stock
    launched = s.assign(launched_on=_dt.date(2026, 3, 1))  # 27 days before: new, given no time to sell yet
    assert inventory.slow_movers(launched, DAY).empty


def test_turnover_days_of_inventory_and_sell_through(t):
    # unit costs A ¥10, B ¥1, C ¥5, D ¥2. COGS of March 1–28: A 27 × 10 + B 14 × 1 = 284.
    # Stock at cost: 50 + 100 + 0 + 100 = 250 on days 1–26, 200 on 27–28 (A sold out): mean 6,900 / 28.
    h = inventory.health(t, Period(_dt.date(2026, 3, 1), DAY, "custom"))
    assert h["cogs"] == 284 and h["stock_value_mean"] == pytest.approx(6900 / 28)
    assert h["turnover"] == pytest.approx(284 / (6900 / 28)) and h["days_inventory"] == pytest.approx(28 / h["turnover"])
    assert h["sell_through"] is None  # no count on 02-28: no opening stock to sell through
    # from 03-02: opening = the count of 03-01 (5 + 100 + 0 + 50 = 155), nothing received, 41 units sold
    assert inventory.health(t, Period(_dt.date(2026, 3, 2), DAY, "custom"))["sell_through"] == pytest.approx(41 / 155)


def test_aged_stock_by_days_since_the_last_sale(t, con):
    # with stock at the end of 03-28: B (last sale 03-20, 8 days: not aged) and D (never sold). The data
    # begins 03-10: D is known unsold for 18 days only, not aged
    status = inventory.stock_status(t, DAY)
    assert inventory.aged_stock(t, DAY, status).skus.tolist() == [0, 0, 0]
    # with an order of 2025-11-01 the data begins there: D has gone 147 days unsold → 90+ (50 × ¥2)
    load(con, orders=[dict(order_id="old", buyer_id="b", created_at="2025-11-01 10:00", paid_at="2025-11-01 10:00",
                           goods_amount="1", paid_amount="1")])
    a = inventory.aged_stock(t, DAY, status)
    assert a.values.tolist() == [["30-59", 0, 0, 0.0], ["60-89", 0, 0, 0.0], ["90+", 1, 50, 100.0]]
    # launched on 01-15 (after the data began): 72 days → 60-89
    launched = status.assign(launched_on=_dt.date(2026, 1, 15))
    assert inventory.aged_stock(t, DAY, launched).skus.tolist() == [0, 1, 0]


def test_a_sale_before_the_90_days_ages_stock_90_plus_and_a_later_one_by_its_day(t, con):
    status = inventory.stock_status(t, DAY)
    # D (50 in stock) last sold on 2025-12-01, 117 days before 03-28: 90+, its launch date notwithstanding
    load(con, orders=[dict(order_id="dec", buyer_id="b", created_at="2025-12-01 10:00", paid_at="2025-12-01 10:00",
                           goods_amount="2", paid_amount="2")],
         order_items=[dict(order_id="dec", line_no=1, sku="D", qty=1, unit_price="2", amount="2", refund_qty=0)])
    launched = status.assign(launched_on=_dt.date(2026, 3, 1))
    assert inventory.aged_stock(t, DAY, launched).values.tolist() == [["30-59", 0, 0, 0.0], ["60-89", 0, 0, 0.0],
                                                                    ["90+", 1, 50, 100.0]]
    # sold again on 2026-01-20, 67 days before: 60-89
    load(con, orders=[dict(order_id="jan", buyer_id="b", created_at="2026-01-20 10:00", paid_at="2026-01-20 10:00",
                           goods_amount="2", paid_amount="2")],
         order_items=[dict(order_id="jan", line_no=1, sku="D", qty=1, unit_price="2", amount="2", refund_qty=0)])
    assert inventory.aged_stock(t, DAY, launched).skus.tolist() == [0, 1, 0]
