"""metrics.coverage: each rule on a hand-made store, tracked and not; and the daily that follows it.

Report day D = 2026-03-10; the window is the 30 days 02-09 … 03-10.
"""

from __future__ import annotations

import pytest

from storeops import config, daily
from storeops.metrics import coverage
from storeops.periods import Period
from storeops.reviews.context import ReviewContext
from storeops.reviews.actions import action_items
from tests.conftest import load, write_config

D = Period.day("2026-03-10")


def _o(oid, **kw):
    row = dict(order_id=oid, buyer_id="b1", created_at="2026-03-10 09:00", paid_at="2026-03-10 09:01",
               goods_amount="100", paid_amount="100")
    return {**row, **kw}


def test_an_empty_store_tracks_nothing(con):
    got = coverage.tracked(load(con), D)
    # refunds too: data that never carried a refund cannot tell "no refunds" from "no refund column"
    assert {k for k, v in got.items() if v} == set()


def test_refunds_are_tracked_once_the_data_carries_one(con):
    # a refund (with its time) in 2025, none in the window: the store's exports carry refunds, and the
    # window simply had none → tracked; a store whose data never held a refund → not tracked
    old = _o("r", created_at="2025-06-01 09:00", paid_at="2025-06-01 09:01", refund_amount="20",
             refunded_at="2025-06-03 10:00")
    line = dict(order_id="r", line_no=1, sku="S", qty=1, unit_price="100", amount="100", refund_qty=1)
    assert coverage.tracked(load(con, orders=[_o("a")]), D)["refund_times"] is False
    got = coverage.tracked(load(con, orders=[old], order_items=[line]), D)
    assert got["refund_times"] is True and got["refund_lines"] is True


def test_launch_dates(con):
    t = load(con, products=[dict(sku="S", product_id="P", title="t", status="on_sale")])
    assert coverage.tracked(t, D)["launch_dates"] is False
    load(con, products=[dict(sku="S2", product_id="P", title="t", status="on_sale", launched_on="2024-01-01")])
    assert coverage.tracked(t, D)["launch_dates"] is True


@pytest.mark.parametrize("rule, untracked, tracked", [
    # buyers: an order with no buyer id is not enough; one with a buyer id in the window is
    ("buyers", [_o("a", buyer_id=None)], [_o("a", buyer_id=None), _o("b")]),
    # shipping: paid orders and none shipped in 30 days; one shipped 20 days before D is enough
    ("shipping", [_o("a")], [_o("a"), _o("b", created_at="2026-02-18 09:00", paid_at="2026-02-18 09:01",
                                           shipped_at="2026-02-19 10:00")]),
    # refund times: a refund with an amount and no time; with its time
    ("refund_times", [_o("a", refund_amount="30")], [_o("a", refund_amount="30", refunded_at="2026-03-10 12:00")]),
])
def test_order_column_rules(con, rule, untracked, tracked):
    assert coverage.tracked(load(con, orders=untracked), D)[rule] is False
    con.raw_sql("DELETE FROM orders")
    assert coverage.tracked(load(con, orders=tracked), D)[rule] is True


def test_shipping_outside_the_window_does_not_count(con):
    # shipped on 02-08: one day before the window opens
    t = load(con, orders=[_o("a"), _o("b", created_at="2026-02-08 09:00", paid_at="2026-02-08 09:01",
                                       shipped_at="2026-02-08 10:00")])
    assert coverage.tracked(t, D)["shipping"] is False
    # a month's window is the month itself
    assert coverage.tracked(t, Period.month_of(D.start.replace(month=2)))["shipping"] is True


def test_refund_lines(con):
    line = dict(order_id="a", line_no=1, sku="S", qty=1, unit_price="100", amount="100")
    t = load(con, orders=[_o("a", refund_amount="100", refunded_at="2026-03-10 12:00")],
             order_items=[{**line, "refund_qty": 0}])
    assert coverage.tracked(t, D)["refund_lines"] is False
    load(con, order_items=[{**line, "refund_qty": 1}])
    assert coverage.tracked(t, D)["refund_lines"] is True


@pytest.mark.parametrize("rule, table, row, when", [
    ("traffic", "traffic", dict(uv=1, pv=1), "date"),
    ("inventory", "inventory", dict(sku="S", on_hand=0), "date"),
    ("product_traffic", "product_traffic", dict(product_id="P", uv=1, pv=1, cart_adds=0, favorites=0), "date"),
    ("tickets", "cs_tickets", dict(ticket_id="k", kind="退款", status="open"), "opened_at"),
    ("cs", "cs_sessions", dict(session_id="s", buyer_id="b"), "started_at"),
    ("ads", "ads", dict(channel="c", campaign="x", impressions=1, clicks=1, cost="1", orders=0, gmv="0"), "date"),
])
def test_table_rules(con, rule, table, row, when):
    # a row on 02-08, one day before the window, does not count; one on 02-09, its first day, does
    t = load(con, **{table: [{**row, when: "2026-02-08"}]})
    assert coverage.tracked(t, D)[rule] is False
    con.raw_sql(f"DELETE FROM {table}")
    load(con, **{table: [{**row, when: "2026-02-09"}]})
    assert coverage.tracked(t, D)[rule] is True


def test_source_sales(con):
    row = dict(date="2026-03-10", source="搜索", uv=10, pv=20)
    t = load(con, traffic_by_source=[row])
    assert coverage.tracked(t, D)["source_sales"] is False
    load(con, traffic_by_source=[{**row, "paying_buyers": 1, "paid_amount": "50"}])
    assert coverage.tracked(t, D)["source_sales"] is True


def test_untracked_metrics():
    status = dict.fromkeys(coverage.RULES, True) | {"buyers": False}
    assert coverage.untracked_metrics(status) == set(coverage.BUYER_METRICS)


# ---------------------------------------------------------------- the daily follows the rules


def _ctx(con, tmp_path):
    return ReviewContext(config.load(write_config(tmp_path)), con, D, "en")


def test_a_store_without_shipping_times_or_buyers_gets_no_false_alarms(con, tmp_path):
    # 3 orders paid 5 days ago, never "shipped" as far as the data says, no buyer ids; traffic loaded
    old = dict(created_at="2026-03-05 09:00", paid_at="2026-03-05 09:01", buyer_id=None, status="completed")
    load(con, orders=[_o(f"o{i}", **old) for i in range(3)] + [_o("today", buyer_id=None)],
         traffic=[dict(date="2026-03-10", uv=50, pv=100)])
    ctx = _ctx(con, tmp_path)
    keys = {a.key for a in action_items(ctx)}
    assert not keys & {"ship_breached", "ship_at_risk", "urgent"}  # 3 orders "unshipped 5 days": not judged
    html = str(daily.kpis(ctx)) + str(daily.fulfilment(ctx)) + str(daily.bridge(ctx))
    # buyer figures are absent from summary.json, not 0 or 1; what the data has is there
    assert not {"paying_buyers", "ordering_buyers", "atv", "payment_rate", "conversion"} & set(ctx.shown)
    assert ctx.shown["paid_amount"] == 100 and ctx.shown["uv"] == 50
    assert "ship_72h" not in ctx.shown and "ship_backlog_over_72" not in ctx.shown
    assert "The data has no buyer ids" in html and "The data has no shipping times" in html
    assert 'data-metric="paying_buyers"' in html  # the row is there, showing —
    row = html.split('data-metric="paying_buyers"')[1].split("</tr>")[0]
    assert ">—<" in row and ">1<" not in row


def test_a_store_without_traffic_has_no_empty_visitor_panels(con, tmp_path):
    load(con, orders=[_o("a", shipped_at="2026-03-10 12:00")])
    ctx = _ctx(con, tmp_path)
    html = str(daily.trends(ctx))
    assert "No visitor data in the last 30 days" in html
    assert "uv" not in ctx.shown and "conversion" not in {k for k in ctx.shown}
    # the chart's description names only the paid-amount panel
    assert "Paid amount" in html and "Visitors / " not in html and "/ Conversion" not in html


def test_column_fill(con):
    # 3 orders in the window, 2 with a buyer id, 1 shipped; one more order before the window does not count
    t = load(con, orders=[_o("a"), _o("b", shipped_at="2026-03-10 12:00"), _o("c", buyer_id=None),
                          _o("old", created_at="2026-02-08 09:00", paid_at="2026-02-08 09:01", buyer_id=None)])
    fill = {(tab, col): (rows, filled) for tab, col, rows, filled in coverage.column_fill(t, D)}
    assert fill[("orders", "buyer_id")] == (3, 2) and fill[("orders", "shipped_at")] == (3, 1)
    assert fill[("traffic_by_source", "paid_amount")] == (0, 0)
    assert ("orders", "order_id") not in fill  # keys and required columns are never empty


def test_refund_documents_alone_carry_refunds(con):
    # a store whose orders never show a refund, whose credit notes load as refund documents
    t = load(con, orders=[_o("a")])
    assert not coverage.tracked(t, D)["refund_times"]
    load(con, refunds=[dict(refund_id="C1", line_no=1, refunded_at="2025-12-01 10:00", sku="S", qty=1,
                            amount="20")])
    got = coverage.tracked(t, D)
    assert got["refund_times"] is True and got["refund_lines"] is True
