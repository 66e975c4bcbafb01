"""Sales and conversion on a hand-made day; expected values worked out by hand in the comments.

Report day D = 2026-03-10 (a Tuesday).

order  buyer  created           paid               goods  ship  disc  paid_amount  notes
o1     A      D 09:00           D 09:05            100    10    5     105
o2     B      D 10:00           D 10:01            200    0     20    180          two lines
o3     A      D 20:00           D+1 00:30          50     10    0     60           paid the next day
o4     C      D-1 23:50         D 00:10            80     0     0     80           created the day before
o5     D      D 15:00           —                  300    0     0     (300)        never paid
o6     B      D 23:59:59        D 23:59:59         30     0     0     30           last second of D
o7     E      D-1 12:00         D-1 12:01          90     0     0     90           refund 40 at D 11:00
o8     F      D+1 00:00:00      D+1 00:00:05       70     0     0     70           first second after D
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import ibis
import pytest

from storeops.metrics import base, sales
from storeops.metrics.base import evaluate
from storeops.periods import Period
from tests.conftest import load

D = _dt.date(2026, 3, 10)


def _o(oid, buyer, created, paid, goods, ship="0", disc="0", **kw):
    paid_amount = str(Decimal(goods) + Decimal(ship) - Decimal(disc))
    return dict(order_id=oid, buyer_id=buyer, created_at=created, paid_at=paid, goods_amount=goods,
                shipping_fee=ship, discount_amount=disc, paid_amount=paid_amount, **kw)


def _line(oid, n, sku, refund_qty=0):
    return dict(order_id=oid, line_no=n, sku=sku, qty=1, unit_price="1", amount="1", refund_qty=refund_qty)


@pytest.fixture
def t(con):
    return load(
        con,
        orders=[
            _o("o1", "A", "2026-03-10 09:00", "2026-03-10 09:05", "100", "10", "5"),
            _o("o2", "B", "2026-03-10 10:00", "2026-03-10 10:01", "200", "0", "20"),
            _o("o3", "A", "2026-03-10 20:00", "2026-03-11 00:30", "50", "10"),
            _o("o4", "C", "2026-03-09 23:50", "2026-03-10 00:10", "80"),
            _o("o5", "D", "2026-03-10 15:00", None, "300", status="closed"),
            _o("o6", "B", "2026-03-10 23:59:59", "2026-03-10 23:59:59", "30"),
            _o("o7", "E", "2026-03-09 12:00", "2026-03-09 12:01", "90",
               refund_amount="40", refunded_at="2026-03-10 11:00"),
            _o("o8", "F", "2026-03-11 00:00:00", "2026-03-11 00:00:05", "70"),
        ],
        order_items=[
            _line("o1", 1, "S1"), _line("o2", 1, "S2"), _line("o2", 2, "S1"), _line("o3", 1, "S3"),
            _line("o4", 1, "S1"), _line("o5", 1, "S3"), _line("o6", 1, "S2"),
            _line("o7", 1, "S4", refund_qty=1), _line("o7", 2, "S1"), _line("o8", 1, "S3"),
        ],
        products=[
            dict(sku=s, product_id="P", title="t", status=st)
            for s, st in [("S1", "on_sale"), ("S2", "on_sale"), ("S3", "on_sale"), ("S4", "off_sale")]
        ],
        traffic=[dict(date="2026-03-10", uv=150, pv=420), dict(date="2026-03-09", uv=100, pv=300)],
        # sources overlap and add up to more than the store total; they must never be summed into uv
        traffic_by_source=[dict(date="2026-03-10", source="搜索", uv=120, pv=300),
                           dict(date="2026-03-10", source="推荐", uv=80, pv=200)],
    )


def test_block_for_a_day(t):
    v = sales.block(t, Period.day(D))
    # created on D: o1 105 + o2 180 + o3 60 + o5 300 + o6 30 = 675.00
    assert v["order_amount"] == Decimal("675.00")
    assert v["orders"] == 5  # o1 o2 o3 o5 o6
    assert v["ordering_buyers"] == 3  # A B D
    # paid on D: o1 105 + o2 180 + o4 80 + o6 30 = 395.00 (o3 paid D+1, o5 never, o8 D+1)
    assert v["paid_amount"] == Decimal("395.00")
    assert v["paid_orders"] == 4
    assert v["paying_buyers"] == 3  # A B C
    # created and paid on D: o1 (A), o2 (B), o6 (B) -> {A, B} = 2 of 3 ordering buyers
    assert v["payment_rate"] == pytest.approx(2 / 3)
    assert v["uv"] == 150 and v["pv"] == 420  # the store total, not 120 + 80
    assert v["conversion"] == pytest.approx(3 / 150)
    assert v["order_conversion"] == pytest.approx(3 / 150)
    assert v["atv"] == pytest.approx(395 / 3)  # 131.67 per buyer
    assert v["aov"] == pytest.approx(395 / 4)  # 98.75 per order
    assert v["uv_value"] == pytest.approx(395 / 150)
    assert v["refund_amount"] == Decimal("40.00")  # o7, refunded on D
    # last 30 days: lines paid = o1 1 + o2 2 + o4 1 + o6 1 + o7 2 = 7; refunded lines = o7 line 1
    assert v["refund_rate"] == pytest.approx(1 / 7)
    # on-sale SKUs S1 S2 S3; sold in the window: S1, S2 (S3 only in o3/o5/o8, S4 is off sale) -> 2/3
    assert v["sell_ratio"] == pytest.approx(2 / 3)


def test_previous_day(t):
    v = sales.block(t, Period.day(D).previous(), ["paid_amount", "orders", "order_amount", "conversion"])
    # D-1: created o4 (80) and o7 (90); paid o7 (90) by E; uv 100
    assert v == {"paid_amount": Decimal("90.00"), "orders": 2, "order_amount": Decimal("170.00"),
                 "conversion": pytest.approx(1 / 100)}


def test_day_without_data_gives_zero_counts_and_no_ratio(t):
    v = sales.block(t, Period.day("2026-01-01"))
    assert v["paid_amount"] == 0 and v["orders"] == 0 and v["uv"] == 0
    assert v["conversion"] is None and v["atv"] is None and v["payment_rate"] is None  # never inf or NaN


def test_metrics_compose_across_tables_in_one_query(t):
    p = Period.day(D)
    # conversion is itself an ibis expression built from two tables
    assert evaluate({"c": sales.conversion(t, p)})["c"] == pytest.approx(0.02)


def test_sales_identity_holds(t):
    v = sales.block(t, Period.day(D))
    assert float(v["uv"]) * v["conversion"] * v["atv"] == pytest.approx(float(v["paid_amount"]))


def test_by_day(t):
    df = sales.by_day(t, Period(D - _dt.timedelta(days=2), D))
    # D−2: nothing; D−1: o7 (90, E), uv 100; D: 395 from A B C, uv 150
    assert df.day.tolist() == [D - _dt.timedelta(days=2), D - _dt.timedelta(days=1), D]
    assert df.paid_amount.tolist() == [0.0, 90.0, 395.0] and df.paying_buyers.tolist() == [0, 1, 3]
    assert df.uv.iloc[1:].tolist() == [100, 150] and df.conversion.iloc[1:].tolist() == pytest.approx([0.01, 0.02])
    assert df.conversion.isna().iloc[0]  # no visitors recorded: no rate


def test_zero_amount_orders_are_no_sale_and_no_buyer(t, con):
    # a stock adjustment (no buyer) and a free sample to a new buyer G, both paid on D for 0.00, with
    # a line each: paid amount stays 395.00; paid orders 4, paying buyers 3 (A B C), as before them;
    # G is not a new buyer, and the sample's unit is no sale of S3 (on-sale SKUs sold: S1 S2 → 2/3)
    from storeops.metrics import members

    load(con, orders=[_o("z1", None, "2026-03-10 08:00", "2026-03-10 08:00", "0"),
                      _o("z2", "G", "2026-03-10 12:00", "2026-03-10 12:00", "0")],
         order_items=[_line("z1", 1, "S3"), _line("z2", 1, "S3")])
    v = sales.block(t, Period.day(D))
    assert (v["paid_amount"], v["paid_orders"], v["paying_buyers"]) == (Decimal("395.00"), 4, 3)
    assert v["sell_ratio"] == pytest.approx(2 / 3)
    # ordering buyers: A B D (the 0-amount orders are no buyer either); of them A and B paid → 2 / 3, as before
    assert v["payment_rate"] == pytest.approx(2 / 3) and v["ordering_buyers"] == 3 and v["orders"] == 7
    assert members.buyers(t, Period.day(D))["paying_buyers"] == 3


def test_refund_documents_count_by_their_date(t, con):
    # credit notes of their own: C1 (2 lines, 12.50 + 7.50) on D, C2 on D-40 (outside the 30 days),
    # C3 on D+1; one line of C1 returns no units (a price adjustment)
    load(con, refunds=[
        dict(refund_id="C1", line_no=1, refunded_at="2026-03-10 15:00", sku="S1", qty=2, amount="12.50"),
        dict(refund_id="C1", line_no=2, refunded_at="2026-03-10 15:00", sku="S2", qty=0, amount="7.50"),
        dict(refund_id="C2", line_no=1, refunded_at="2026-01-29 10:00", sku="S1", qty=1, amount="5.00"),
        dict(refund_id="C3", line_no=1, refunded_at="2026-03-11 10:00", sku="S1", qty=1, amount="9.00")])
    v = sales.block(t, Period.day(D), ["refund_amount", "refund_rate"])
    # on D: o7's 40.00 on the order + C1's 12.50 + 7.50 = 60.00
    assert v["refund_amount"] == Decimal("60.00")
    # refunded lines in the 30 days to D: o7 line 1 + C1 line 1 (C1 line 2 returns no unit) = 2 of 7 paid
    assert v["refund_rate"] == pytest.approx(2 / 7)


def test_a_warehouse_older_than_the_refunds_table_reads_it_as_empty(t, con):
    con.raw_sql("DROP TABLE refunds")  # made by a storeops before refund documents
    v = sales.block(t, Period.day(D), ["refund_amount", "refund_rate"])
    assert v["refund_amount"] == Decimal("40.00") and v["refund_rate"] == pytest.approx(1 / 7)


def test_a_blocks_shared_counts_are_computed_once(t):
    """Paying buyers is a figure and the numerator of conversion and the denominator of the spend per
    buyer: one distinct count in the query, not one per use (metrics.base._each_once)."""
    p = Period.day(D)
    exprs = {k: sales.BLOCK[k](t, p) for k in ("paying_buyers", "conversion", "atv")}
    row = ibis.struct(exprs)
    assert t.con.compile(row).count("COUNT(DISTINCT") == 3  # as scalar subqueries: one per use
    assert t.con.compile(base._each_once(row.op())).count("COUNT(DISTINCT") == 1
    assert evaluate(exprs) == {"paying_buyers": 3, "conversion": pytest.approx(3 / 150),
                               "atv": pytest.approx(395 / 3)}


def test_computing_each_aggregate_once_changes_no_value_and_no_type(t):
    o = t.con.table("orders")
    # paid_amount of all 8 orders: 105 + 180 + 60 + 80 + 300 + 30 + 90 + 70 = 915; mean 114.375, a float as
    # DuckDB gives it (not the column's decimal, rounded to 114.38)
    got = evaluate({"mean": base.scalar(o.paid_amount.mean()), "top": base.scalar(o.paid_amount.max())})
    assert got == {"mean": 114.375, "top": Decimal("300.00")} and type(got["mean"]) is float
    # a field that reads the table outside a subquery, and a block of in-memory tables: run as they are
    assert evaluate({"n": base.scalar(o.count()), "top": base.scalar(o.paid_amount.max()),
                     "bare": o.paid_amount.min()}) == {"n": 8, "top": Decimal("300.00"), "bare": Decimal("30.00")}
    m = ibis.memtable({"x": [1, 2, 3]})
    assert evaluate({"sum": base.scalar(m.x.sum()), "max": base.scalar(m.x.max())}) == {"sum": 6, "max": 3}
