"""The demo store: deterministic for a seed, and realistic where the reports look."""

from __future__ import annotations

import datetime as _dt

import ibis
import pytest

from storeops import config, demo, warehouse


def _gen(days=30, seed=3, scale=1.0, end=_dt.date(2026, 3, 31)):
    con = ibis.duckdb.connect()
    counts = demo.generate(con, days=days, seed=seed, scale=scale, end=end)
    return con, counts


def _orders(con):
    return con.table("orders").order_by("order_id").execute()


def test_same_seed_same_store_other_seed_other_store():
    a, ca = _gen()
    b, cb = _gen()
    c, _ = _gen(seed=4)
    assert ca == cb
    assert _orders(a).equals(_orders(b))
    assert a.table("order_items").order_by(["order_id", "line_no"]).execute().equals(
        b.table("order_items").order_by(["order_id", "line_no"]).execute())
    assert not _orders(a).equals(_orders(c))


def test_scale_multiplies_order_volume():
    _, one = _gen(days=20)
    _, three = _gen(days=20, scale=3)
    assert 2.7 < three["orders"] / one["orders"] < 3.3


def test_spring_festival_dip():
    con, _ = _gen(days=75, end=_dt.date(2026, 3, 10))  # Spring Festival 2026-02-17
    def mean_paid_orders(first, last):
        return q(con, f"""select count(*) / (date '{last}' - date '{first}' + 1) from orders
                          where paid_at::date between date '{first}' and date '{last}'""")[0][0]

    holiday = mean_paid_orders("2026-02-14", "2026-02-22")
    before = mean_paid_orders("2026-01-13", "2026-01-31")
    assert holiday < 0.6 * before


@pytest.fixture(scope="module")
def store(demo_project):
    con = warehouse.connect(config.load(demo_project / "params" / "store.yaml"), read_only=True)
    yield con
    con.disconnect()


def q(con, sql):
    return con.raw_sql(sql).fetchall()


def test_keys_unique_and_times_in_order(store):
    assert q(store, "select count(*) - count(distinct order_id) from orders") == [(0,)]
    assert q(store, "select count(*) from (select order_id, line_no from order_items group by all having count(*) > 1)") == [(0,)]
    assert q(store, """select count(*) from orders where paid_at < created_at or shipped_at < paid_at
                       or delivered_at < shipped_at or refunded_at < paid_at""") == [(0,)]
    # nothing happens after the end of the last day
    assert q(store, """select count(*) from orders where greatest(created_at, paid_at, shipped_at, delivered_at,
                       cancelled_at, refunded_at) >= timestamp '2026-11-27'""") == [(0,)]
    # paid amount is goods + shipping − discount + tax, to the cent
    assert q(store, "select count(*) from orders where paid_amount <> goods_amount + shipping_fee - discount_amount + tax_amount") == [(0,)]
    # an order's goods amount is the sum of its lines
    assert q(store, """select count(*) from orders o join (select order_id, sum(amount) s from order_items group by 1) i
                       using (order_id) where o.goods_amount <> i.s""") == [(0,)]


def test_what_the_reports_look_for_is_there(store):
    peak = q(store, "select sum(paid_amount) from orders where paid_at::date = date '2026-11-11'")[0][0]
    median = q(store, """select median(s) from (select sum(paid_amount) s from orders where paid_at is not null
                         and paid_at::date <> date '2026-11-11' group by paid_at::date)""")[0][0]
    assert peak > 2 * median  # 双11
    late, waiting = q(store, """select count(*) filter (where shipped_at > paid_at + interval 72 hour),
                                count(*) filter (where paid_at is not null and shipped_at is null and status = 'paid')
                                from orders""")[0]
    assert late > 0 and waiting > 0
    buyers, paid = q(store, "select count(distinct buyer_id), count(*) from orders where paid_at is not null")[0]
    assert buyers < 0.95 * paid  # repeat buyers
    # a hot SKU (top 15 by units) is out of stock on the last day
    assert q(store, """with hot as (select sku from order_items join orders using (order_id)
                       where paid_at is not null group by sku order by sum(qty) desc limit 15)
                       select count(*) from inventory join hot using (sku)
                       where date = date '2026-11-26' and on_hand = 0""")[0][0] > 0
    assert q(store, "select count(*) from purchase_orders where received_on is null and expected_on is not null")[0][0] > 0
    # visitors by source overlap: they add up to more than the store total
    assert q(store, """select count(*) from traffic t join (select date, sum(uv) s from traffic_by_source group by 1)
                       using (date) where s <= t.uv""") == [(0,)]
    assert q(store, "select count(distinct channel) from ads") == [(3,)]
    assert q(store, "select count(*) from targets where category = '*'")[0][0] >= 3
    assert q(store, "select count(*) from cs_sessions where transcript like '买家：%客服：%'")[0][0] > 0
    assert q(store, "select count(*) from cs_tickets where resolved_at is null")[0][0] >= 0
    assert q(store, "select count(*) from cs_tickets where resolved_at > opened_at + interval 24 hour")[0][0] > 0


def test_refuses_to_overwrite_real_orders():
    con, _ = _gen(days=3)
    con.raw_sql("update orders set source = 'taobao' where order_id = (select min(order_id) from orders)")
    from storeops.errors import WarehouseError

    with pytest.raises(WarehouseError, match="holds 1 order that is not demo data"):
        demo.generate(con, days=3, end=_dt.date(2026, 3, 31))
    con.raw_sql("update orders set source = NULL where order_id = (select max(order_id) from orders)")
    with pytest.raises(WarehouseError, match="holds 2 orders that are not demo data"):  # no source is no demo's
        demo.generate(con, days=3, end=_dt.date(2026, 3, 31))


def test_today_so_far_is_what_had_happened_by_the_hour(con):
    """demo --today's cut at 14:00 of 12-05: an order created later is gone with its lines; one paid
    later is unpaid; a shipment, a refund and a ticket's close after 14:00 had not happened; the day's
    traffic and ads hold the share of the day's visits made before 14:00; the day's closing count goes."""
    import datetime as _dt

    import pandas as pd

    from storeops import demo_today
    from tests.conftest import load

    def order(oid, created, paid=None, shipped=None, refunded=None, refund="0", status="paid"):
        return dict(order_id=oid, created_at=created, paid_at=paid, shipped_at=shipped, refunded_at=refunded,
                    refund_amount=refund, status=status, goods_amount="10", paid_amount="10" if paid else None)

    load(con, orders=[order("kept", "2026-12-05 09:00:00", "2026-12-05 09:01:00", "2026-12-05 13:00:00",
                            status="shipped"),
                      order("later", "2026-12-05 15:00:00", "2026-12-05 15:01:00"),
                      order("unpaid", "2026-12-05 13:50:00", "2026-12-05 14:10:00"),
                      order("unsent", "2026-12-04 20:00:00", "2026-12-04 20:01:00", "2026-12-05 16:00:00",
                            status="shipped"),
                      order("unrefunded", "2026-12-04 10:00:00", "2026-12-04 10:01:00", refunded="2026-12-05 18:00:00",
                            refund="10", status="refunded")],
         order_items=[dict(order_id=o, line_no=1, sku="A", qty=1, unit_price="10", amount="10", refund_qty=1 if o == "unrefunded" else 0)
                      for o in ("kept", "later", "unpaid", "unsent", "unrefunded")],
         cs_tickets=[dict(ticket_id="k1", kind="投诉", opened_at="2026-12-05 10:00:00", resolved_at="2026-12-05 15:00:00",
                          status="resolved"),
                     dict(ticket_id="k2", kind="投诉", opened_at="2026-12-05 14:30:00", status="open")],
         traffic=[dict(date="2026-12-04", uv=1000, pv=3000), dict(date="2026-12-05", uv=1000, pv=3000)],
         ads=[dict(date="2026-12-05", channel="直通车", campaign="A", impressions=1000, clicks=100, cost="500.00",
                   orders=10, gmv="1000.00")],
         inventory=[dict(date="2026-12-04", sku="A", on_hand=5), dict(date="2026-12-05", sku="A", on_hand=4)])
    demo_today.cut(con, _dt.datetime(2026, 12, 5, 14))
    o = con.table("orders").order_by("order_id").execute().set_index("order_id")
    assert o.index.tolist() == ["kept", "unpaid", "unrefunded", "unsent"]
    assert o.loc["unpaid"].paid_at is pd.NaT and o.loc["unpaid"].paid_amount is None
    assert o.loc["unpaid"].status == "pending_payment" and o.loc["kept"].status == "shipped"
    assert o.loc["unsent"].shipped_at is pd.NaT and o.loc["unsent"].status == "paid"
    assert o.loc["unrefunded"].refund_amount == 0 and o.loc["unrefunded"].status == "paid"
    lines = con.table("order_items").order_by("order_id").execute()
    assert lines.order_id.tolist() == ["kept", "unpaid", "unrefunded", "unsent"] and lines.refund_qty.sum() == 0
    k = con.table("cs_tickets").execute()
    assert k.ticket_id.tolist() == ["k1"] and k.resolved_at.isna().all() and k.status.tolist() == ["open"]
    share = demo_today.share(14)
    tr = con.table("traffic").order_by("date").execute()
    assert tr.uv.tolist() == [1000, round(1000 * round(share, 4))]
    ad = con.table("ads").execute()
    assert float(ad.cost[0]) == round(500 * round(share, 4), 2) and ad.clicks[0] == round(100 * round(share, 4))
    assert con.table("inventory").execute().date.astype(str).tolist() == ["2026-12-04"]
