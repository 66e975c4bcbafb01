"""The analyst's frames (metrics.explore), on hand-worked data.

Sales by category on D = 2026-03-10 and the day before:
sku  product  category     D: order  buyer  line amount      D−1: order  buyer  amount
a1   P1       裙              o1     x      100                   o4     z      140
a2   P1       裙              o2     x       80
a1   P1       裙              o3     y      100
b1   P2       裤              o1     x       50
Product visitors on D: P1 10, P2 4; on D−1: P1 5.
D:   裙 paid 280, buyers {x, y} = 2, visitors 10, conversion 0.20; 裤 paid 50, buyers 1, visitors 4, 0.25.
D−1: 裙 paid 140, buyers 1, visitors 5, conversion 0.20 → 裙 paid +100 %, conversion ±0 %; 裤 new.
"""

from __future__ import annotations

import datetime as _dt

import pytest

from storeops.metrics import explore, sales
from storeops.periods import Period
from tests.conftest import load
from tests.reviews.test_compare import t as weeks  # noqa: F401 — the hand-worked weeks and months

D = Period.day("2026-03-10")


def _order(oid, buyer, day):
    ts = f"{day} 12:00"
    return dict(order_id=oid, buyer_id=buyer, created_at=ts, paid_at=ts, goods_amount="1", paid_amount="1")


def _line(oid, sku, amount):
    return dict(order_id=oid, line_no=1 if oid != "o1" or sku == "a1" else 2, sku=sku, qty=1, unit_price=amount,
                amount=amount, refund_qty=0)


@pytest.fixture
def t(con):
    return load(
        con,
        orders=[_order("o1", "x", "2026-03-10"), _order("o2", "x", "2026-03-10"), _order("o3", "y", "2026-03-10"),
                _order("o4", "z", "2026-03-09")],
        order_items=[_line("o1", "a1", "100"), _line("o1", "b1", "50"), _line("o2", "a2", "80"),
                     _line("o3", "a1", "100"), _line("o4", "a1", "140")],
        products=[dict(sku="a1", product_id="P1", title="裙A", category="裙"),
                  dict(sku="a2", product_id="P1", title="裙A", category="裙"),
                  dict(sku="b1", product_id="P2", title="裤B", category="裤")],
        product_traffic=[dict(date=d, product_id=p, uv=u, pv=u, cart_adds=0, favorites=0)
                         for d, p, u in (("2026-03-10", "P1", 10), ("2026-03-10", "P2", 4), ("2026-03-09", "P1", 5))],
    )


def test_by_category(t):
    df = explore.by_category(t, D)
    assert df[["category", "paid_amount", "units", "buyers", "uv"]].values.tolist() == [["裙", 280.0, 3, 2, 10],
                                                                                       ["裤", 50.0, 1, 1, 4]]
    assert df.conversion.tolist() == pytest.approx([0.20, 0.25])


def test_a_day_against_the_day_before_by_category(t):
    df = explore.change_by_category(t, D, D.previous()).set_index("category")
    assert df.loc["裙", ["paid_amount_change", "conversion_change"]].tolist() == pytest.approx([1.0, 0.0])
    assert df.loc["裤", ["paid_amount_before", "paid_amount_change"]].isna().all()  # nothing the day before


def test_frame_of_any_periods(weeks):  # noqa: F811
    # paid: W09 120, March 150, W10 150, 2026-03-03 100 — oldest first, whatever the order asked
    df = explore.frame(weeks, ["paid_amount"], ["2026-W10", _dt.date(2026, 3, 3), Period.parse("2026-03"), "2026-W09"])
    assert df[["period", "paid_amount"]].values.tolist() == [["2026-W09", 120.0], ["2026-03", 150.0],
                                                            ["2026-W10", 150.0], ["2026-03-03", 100.0]]
    with pytest.raises(KeyError, match="no period metric gmv; known: "):
        explore.frame(weeks, ["gmv"], [D])


def test_contributions_add_up_to_the_change(t):
    # 裙 280 − 140 = +140, 裤 50 − 0 = +50; the store's paid amount (made up here) rose by 200.00:
    # 10.00 is nobody's (shipping, order discounts)
    from decimal import Decimal

    df = explore.contributions(explore.by_category(t, D), explore.by_category(t, D.previous()), "category",
                               Decimal("200.00"))
    assert df.values.tolist() == [["裙", Decimal("280.00"), Decimal("140.00"), Decimal("140.00")],
                                  ["裤", Decimal("50.00"), Decimal("0"), Decimal("50.00")],
                                  [explore.OTHER, None, None, Decimal("10.00")]]
    assert sum(df.change) == Decimal("200.00")


def test_lines_without_a_category_are_one_row(con):
    # P9 has no category and both sales (90) and visitors (3); SKU zz is unknown to products (sold 10)
    t = load(con, orders=[_order("o1", "x", "2026-03-10")],
             order_items=[dict(order_id="o1", line_no=1, sku="p9", qty=1, unit_price="90", amount="90", refund_qty=0),
                          dict(order_id="o1", line_no=2, sku="zz", qty=1, unit_price="10", amount="10", refund_qty=0)],
             products=[dict(sku="p9", product_id="P9", title="无类目")],
             product_traffic=[dict(date="2026-03-10", product_id="P9", uv=3, pv=3, cart_adds=0, favorites=0)])
    df = explore.by_category(t, D)
    assert df[["category", "paid_amount", "buyers", "uv"]].values.tolist() == [[explore.NO_CATEGORY, 100.0, 1, 3]]


def test_a_category_gone_is_zero_now_and_a_source_without_paid_amount_is_zero():
    import pandas as pd
    from decimal import Decimal

    now = pd.DataFrame({"category": ["裙"], "paid_amount": [100.0], "uv": [10], "conversion": [0.1]})
    before = pd.DataFrame({"category": ["裙", "裤"], "paid_amount": [50.0, 60.0], "uv": [5, 6], "conversion": [0.2, 0.1]})
    both = explore.against(now, before, "category").set_index("category")
    assert both.loc["裤", ["paid_amount", "paid_amount_change", "uv_change"]].tolist() == [0, -1.0, -1.0]
    src = pd.DataFrame({"source": ["搜索", "直通车"], "paid_amount": [Decimal("30.00"), None]})
    df = explore.contributions(src, src.iloc[:1], "source", Decimal("5.00"))
    assert df.change.tolist() == [Decimal("0.00"), Decimal("0"), Decimal("5.00")]


def test_frame_types_each_metric_as_it_counts(weeks):  # noqa: F811
    df = explore.frame(weeks, ["uv", "paid_amount", "conversion", "paid_orders"], ["2026-W09", "2026-W10"])
    assert str(df.uv.dtype) == "Int64" and str(df.paid_orders.dtype) == "Int64"  # visitors are whole: no 51707.0
    assert df.paid_amount.dtype == float and df.conversion.dtype == float
    assert df.attrs["labels"]["conversion"] == {"zh": "支付转化率", "en": "Conversion rate"}


def test_every_period_metric_is_the_same_built_once_on_days(demo_project):
    """on_days builds a figure once on a period of parameters and binds each period's dates: on the
    demo store, every period metric (refund_rate's and the margin's trailing 30 days too) equals the
    one built on the period itself, for a day, an ISO week, a month and a custom span; a figure that
    reads its period's length is built for each period."""
    from storeops import config, warehouse
    from storeops.metrics.base import evaluate, on_days

    con = warehouse.connect(config.load(demo_project / "params" / "store.yaml"), read_only=True)
    try:
        t = warehouse.Tables(con)
        build = lambda q: {i: f(t, q) for i, f in explore.SCALARS.items()}  # noqa: E731
        periods = [Period.day("2026-11-20"), Period.parse("2026-W46"), Period.parse("2026-10"),
                   Period(_dt.date(2026, 11, 3), _dt.date(2026, 11, 19), "custom"), Period.day("2026-11-21")]
        for p in periods:
            assert on_days(t, "every", build, p) == evaluate(build(p)), p
        assert con.memo["every"] is not None  # refund_rate's 30 days back too: Days.trailing
        length = lambda q: {"paid": sales.paid_amount(t, q) / q.days}  # noqa: E731 — its length: not on Days
        assert on_days(t, "length", length, periods[2]) == evaluate(length(periods[2]))
        assert con.memo["length"] is None
    finally:
        con.disconnect()
