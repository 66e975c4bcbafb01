"""Campaign cost, ROI and lift, worked by hand.

C1 秋促 runs Tue 11-10 … Thu 11-12, fixed cost ¥100. Every day 10-13 … 11-09 sold one ¥100 order, so
each campaign day's baseline (its weekday in the 4 weeks before 11-10) is ¥100.
day    orders (paid)                                        ads     visitors
11-09  the ordinary ¥100                                    ¥1,000  —
11-10  c1: ¥200, C1, discount ¥20, free shipping (cost ¥8)   ¥50     100
11-11  c2: ¥300, C1, discount ¥30, shipping fee ¥10 (cost ¥8); x: ¥100 (no campaign)   —   100
11-12  —                                                    ¥25     100
Week 11-09 … 11-15: cost = 100 + 75 + 50 + 8 (c2 paid its shipping) = ¥233; paid 600; ROI 600 / 233;
baseline 3 × 100 = 300; lift 300; per yuan 300 / 233; buyers 3 of 300 visitors = 1 %.
Judged on 11-11 (still running): 2 of its 3 days, so 2/3 of the fixed cost: 66.67 + 50 + 50 + 8 = 174.67;
paid 200 + 400 = 600, baseline 200, lift 400.
C2 starts 11-18 (within the 7 days after 11-15); C3 on 11-23 (not).
"""

from __future__ import annotations

import datetime as _dt

import pytest

from storeops.metrics import campaigns
from storeops.periods import Period
from tests.conftest import load

WEEK = Period.parse("2026-W46")


def _order(oid, day, amount, **kw):
    ts = f"{day} 12:00"
    return dict(order_id=oid, buyer_id="b" + oid, created_at=ts, paid_at=ts, goods_amount=amount, paid_amount=amount,
                **kw)


@pytest.fixture
def t(con):
    ordinary = [_order(f"o{i}", _dt.date(2026, 10, 13) + _dt.timedelta(days=i), "100") for i in range(28)]
    return load(con, orders=ordinary + [
        _order("c1", "2026-11-10", "200", campaign_id="C1", discount_amount="20", shipping_fee="0", shipping_cost="8"),
        _order("c2", "2026-11-11", "300", campaign_id="C1", discount_amount="30", shipping_fee="10", shipping_cost="8"),
        _order("x", "2026-11-11", "100")],
        ads=[dict(date=d, channel="直通车", campaign="A", impressions=1, clicks=1, cost=c, orders=0, gmv="0")
             for d, c in (("2026-11-09", "1000"), ("2026-11-10", "50"), ("2026-11-12", "25"))],
        traffic=[dict(date=f"2026-11-{d}", uv=100, pv=100) for d in (10, 11, 12)],
        campaigns=[dict(campaign_id="C1", theme="秋促", kind="store", start_date="2026-11-10", end_date="2026-11-12",
                        fixed_cost="100"),
                   dict(campaign_id="C2", theme="双12预热", start_date="2026-11-18", end_date="2026-11-20"),
                   dict(campaign_id="C3", theme="年货节", start_date="2026-11-23", end_date="2026-11-30")])


def test_baseline_days_are_the_same_weekdays_before_the_start():
    assert campaigns.baseline_days(_dt.date(2026, 11, 10), _dt.date(2026, 11, 10)) == [
        _dt.date(2026, 11, 3), _dt.date(2026, 10, 27), _dt.date(2026, 10, 20), _dt.date(2026, 10, 13)]
    # a campaign's 8th day still looks at the 4 weeks before it began
    assert campaigns.baseline_days(_dt.date(2026, 11, 17), _dt.date(2026, 11, 10))[0] == _dt.date(2026, 11, 3)


def test_results_over_the_week(t):
    r = campaigns.results(t, WEEK)
    assert r.campaign_id.tolist() == ["C1"]
    c = r.iloc[0]
    assert [c.fixed_cost, c.ad_cost, c.discounts, c.free_shipping, c.cost] == [100, 75, 50, 8, 233]
    assert [c.paid_amount, c.baseline, c.lift, c.uv, c.paying_buyers, c.campaign_orders] == [600, 300, 300, 300, 3, 2]
    assert c.roi == pytest.approx(600 / 233) and c.lift_per_yuan == pytest.approx(300 / 233)
    assert c.conversion == pytest.approx(0.01) and not c.running


def test_a_running_campaign_is_judged_so_far(t):
    c = campaigns.results(t, Period.day("2026-11-11")).iloc[0]
    assert [c.days, c.fixed_cost, c.cost, c.paid_amount, c.baseline, c.lift] == [2, 66.67, 174.67, 600, 200, 400]
    assert c.running


def test_starting_next_week(t):
    assert campaigns.starting(t, WEEK.end).campaign_id.tolist() == ["C2"]
    assert campaigns.results(t, Period.parse("2026-W44")).empty  # none ran: an empty table, not an error


def test_baseline_uses_only_days_the_data_covers(t, con):
    # drop the orders of 10-13 … 10-26: 11-10's baseline days 11-03 and 10-27 remain (¥100 each),
    # so its baseline is still ¥100 a day: mean over the covered days, never a ¥0 day before the data
    con.raw_sql("DELETE FROM orders WHERE paid_at < TIMESTAMP '2026-10-27 00:00'")
    c = campaigns.results(t, WEEK).iloc[0]
    assert [c.baseline, c.lift] == [300, 300]
    con.raw_sql("DELETE FROM orders WHERE paid_at < TIMESTAMP '2026-11-09 00:00'")  # data from 11-09: none
    c = campaigns.results(t, WEEK).iloc[0]
    assert c.baseline is None and c.lift is None and c.lift_per_yuan is None and c.roi == pytest.approx(600 / 233)


def test_a_festival_is_no_baseline_day(t, con):
    # 11-03 (a baseline day of 11-10) sold ¥1,000: counted, 11-10's baseline is (1000 + 3 × 100) / 4 = 325
    con.raw_sql("UPDATE orders SET paid_amount = 1000 WHERE paid_at::DATE = DATE '2026-11-03'")
    assert campaigns.results(t, WEEK).iloc[0].baseline == 325 + 100 + 100
    # a festival on 11-03: passed over for 10-06, before the data began: 11-10's baseline is the other 3
    c = campaigns.results(t, WEEK, {"店庆": "11-03"}).iloc[0]
    assert c.baseline == 300
    # another campaign's days are passed over the same way
    load(con, campaigns=[dict(campaign_id="C0", theme="会员日", start_date="2026-11-03", end_date="2026-11-03")])
    assert campaigns.results(t, WEEK).iloc[0].baseline == 300
