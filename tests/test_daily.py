"""The daily's own rules: the action list and the freshness guard, on hand-made data."""

from __future__ import annotations

import datetime as _dt

import pytest

from storeops import config, daily
from storeops.periods import Period
from storeops.reviews.context import ReviewContext, missing_tables
from storeops.reviews.actions import action_items
from tests.conftest import load, write_config
from tests.metrics.test_fulfilment import ORDERS
from tests.metrics.test_service import TICKETS


@pytest.fixture
def ctx(con, tmp_path):
    load(con, orders=ORDERS, cs_tickets=TICKETS,
         ads=[dict(date="2026-03-10", channel="直通车", campaign="A", impressions=1, clicks=1, cost="100", orders=1,
                   gmv="400"),
              dict(date="2026-03-10", channel="直通车", campaign="B", impressions=1, clicks=1, cost="150", orders=1,
                   gmv="150")],
         campaigns=[dict(campaign_id="c1", theme="春促", start_date="2026-03-17", end_date="2026-03-18",
                         fixed_cost="100"),
                    dict(campaign_id="c2", theme="38节", start_date="2026-03-18", end_date="2026-03-20")])
    cfg = config.load(write_config(tmp_path))  # gross_margin_rate 0.5 -> break-even ROAS 2.0
    return ReviewContext(cfg, con, Period.day("2026-03-10"), "en")


def test_action_items(ctx):
    got = {a.key: a.count for a in action_items(ctx)}
    # orders (see tests/metrics/test_fulfilment.py): f4 waited 120 h, f3 66 h; f4 and f9 are urgent
    # tickets (tests/metrics/test_service.py): k2 open 28 h, k4 open 22 h at the cut-off
    # ads: B returns 1.0 < 2.0; no inventory or product traffic is loaded, so no stock items are judged
    # campaigns starting soon are the weekly's and monthly's (they have a campaigns section)
    assert {k: v for k, v in got.items() if k != "anomalies"} == {
        "ship_breached": 1, "ship_at_risk": 1, "urgent": 2, "tickets_breached": 1, "tickets_at_risk": 1,
        "ads_below_breakeven": 1}
    assert got["anomalies"] == sum(1 for f in ctx.flags.values() if f)
    top = {a.key: a.top for a in action_items(ctx)}
    assert top["ship_breached"] == "f4 (120h)" and top["urgent"] == "f4 (120h), f9 (1h)"
    assert top["ads_below_breakeven"] == "直通车·B (1.00)"


def test_a_weeks_highlights_name_the_campaigns_starting_next_week(ctx):
    # the week 03-09 … 03-15: 春促 starts 03-17, within the 7 days after; 38节 on 03-18 too; none later
    week = ReviewContext(ctx.cfg, ctx.con, Period.parse("2026-W11"), "en")
    got = {a.key: a for a in action_items(week)}
    assert got["campaigns_next"].count == 2 and got["campaigns_next"].top == "春促 (03-17), 38节 (03-18)"


def test_missing_tables(con):
    load(con, traffic=[dict(date="2026-03-10", uv=1, pv=1)],
         orders=[dict(order_id="o", buyer_id="b", created_at="2026-03-09 23:59", goods_amount="1")])
    assert list(missing_tables(con, Period.day(_dt.date(2026, 3, 10)))) == ["orders"]
    # before 03-10 the store had loaded no traffic: not tracked then, so not missing (metrics.coverage)
    assert list(missing_tables(con, Period.day(_dt.date(2026, 3, 9)))) == []
    # after it, traffic is tracked: a day without it is stale data
    assert list(missing_tables(con, Period.day(_dt.date(2026, 3, 11)))) == ["orders", "traffic"]
    assert list(missing_tables(con, Period.day(_dt.date(2026, 4, 9)))) == ["orders", "traffic"]  # 03-10 is in the 30 days
    assert list(missing_tables(con, Period.day(_dt.date(2026, 4, 10)))) == ["orders"]  # … and now it is not


def test_kpi_comparisons_and_flags(con, tmp_path):
    # paid amount on the report day (Tue 2026-03-31) and the 4 Tuesdays before: 100; 80, 90, 110, 120
    amounts = {"2026-03-31": "100", "2026-03-24": "80", "2026-03-17": "90", "2026-03-10": "110", "2026-03-03": "120",
               "2026-03-30": "50"}
    load(con, orders=[dict(order_id=f"o{d}", buyer_id="b", created_at=f"{d} 12:00", paid_at=f"{d} 12:00",
                           goods_amount=a, paid_amount=a) for d, a in amounts.items()])
    ctx = ReviewContext(config.load(write_config(tmp_path)), con, Period.day("2026-03-31"), "en")
    daily.kpis(ctx)
    c = {basis: ctx.comparisons[basis]["paid_amount"] for basis in ("dod", "wow", "w4")}
    # vs Monday 50: +100 %; vs last Tuesday 80: +25 %; vs the mean of 80, 90, 110, 120 = 100: 0 %
    assert c == pytest.approx({"dod": 1.0, "wow": 0.25, "w4": 0.0})
    # range 80–120, with the 10 % margin 72–132: 100 is no anomaly
    assert ctx.flags["paid_amount"] is None and ctx.reference.basis == "weekday"
    assert ctx.shown["paid_amount"] == 100


def test_a_months_highlights_name_campaigns_that_did_not_pay_and_a_missing_plan(ctx):
    # 春促 (03-17 … 18, fixed cost ¥100) sold nothing; its baseline is 03-10's ¥200 (for the 17th; the
    # 18th's 03-11 sold nothing; days before the data began on 03-06 are left out): lift −200, −2.00 per
    # yuan, short of break-even ROAS 2.0. 38节 cost nothing: nothing to pay back.
    # April has no target in the targets table nor a plan file: the plan is to be set
    month = ReviewContext(ctx.cfg, ctx.con, Period.parse("2026-03"), "en", review="monthly")
    got = {a.key: a for a in action_items(month)}
    assert got["campaigns_unpaid"].count == 1 and got["campaigns_unpaid"].top == "春促 (-2.00)"
    assert got["plan_missing"].count == 1
    assert got["plan_missing"].top == "2026-04"
