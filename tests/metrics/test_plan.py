"""Targets and seasonal weights, worked by hand."""

from __future__ import annotations

import datetime as _dt

import pytest

from storeops.metrics import plan
from storeops.periods import Period
from tests.conftest import load


def _paid(day: _dt.date, amount: str, n: int) -> dict:
    ts = f"{day} 12:00"
    return dict(order_id=f"o{n}", buyer_id=f"b{n}", created_at=ts, paid_at=ts, goods_amount=amount,
                paid_amount=amount)


def test_short_history_splits_the_month_evenly(con):
    t = load(con, targets=[dict(month="2026-03-01", category="*", gmv_target="31000.00")])
    w = plan.seasonal_weights(t, _dt.date(2026, 3, 1))
    assert len(w) == 31 and w.sum() == pytest.approx(1)
    assert set(w.round(12)) == {round(1 / 31, 12)}
    # a day's target: 31,000 × 1/31 = 1,000
    assert plan.target(t, Period.day("2026-03-10")) == pytest.approx(1000)
    assert plan.attainment(395, 1000.0) == pytest.approx(0.395)


def test_weekday_profile_from_the_eight_weeks_before(con):
    # 56 days before April 2026 (Feb 4 – Mar 31): ¥100 a day, ¥300 on Sundays.
    start = _dt.date(2026, 2, 4)
    days = [start + _dt.timedelta(days=i) for i in range(56)]
    rows = [_paid(d, "300" if d.weekday() == 6 else "100", i) for i, d in enumerate(days)]
    t = load(con, orders=rows, targets=[dict(month="2026-04-01", category="*", gmv_target="38000.00")])
    w = plan.seasonal_weights(t, _dt.date(2026, 4, 1))
    # April 2026 has 4 Sundays (5, 12, 19, 26) and 26 other days; Sunday weighs 3× a weekday:
    # Sunday 3/38, other days 1/38 -> targets ¥3,000 and ¥1,000 of ¥38,000.
    assert w[_dt.date(2026, 4, 5)] == pytest.approx(3 / 38)
    assert w[_dt.date(2026, 4, 6)] == pytest.approx(1 / 38)
    assert plan.target(t, Period.day("2026-04-12")) == pytest.approx(3000)
    assert plan.target(t, Period.day("2026-04-13")) == pytest.approx(1000)
    # May planned ahead, with nothing sold in April yet: the same 8 weeks, not 8 weeks of ¥0.
    # May 2026 has 5 Sundays: Sunday 3/41, other days 1/41
    may = plan.seasonal_weights(t, _dt.date(2026, 5, 1))
    assert may[_dt.date(2026, 5, 3)] == pytest.approx(3 / 41) and may[_dt.date(2026, 5, 4)] == pytest.approx(1 / 41)


def test_last_years_shape_keeps_the_festival(con):
    # 8 flat weeks before Nov 2026 (¥100 a day) and Nov 2025 flat at ¥100 but ¥500 on the 11th.
    flat = [_dt.date(2026, 9, 4) + _dt.timedelta(days=i) for i in range(58)]  # Sep 4 – Oct 31
    ly = [_dt.date(2025, 11, 1) + _dt.timedelta(days=i) for i in range(30)]
    rows = [_paid(d, "100", i) for i, d in enumerate(flat)]
    rows += [_paid(d, "500" if d.day == 11 else "100", 1000 + i) for i, d in enumerate(ly)]
    t = load(con, orders=rows, targets=[dict(month="2026-11-01", category="*", gmv_target="34000.00")])
    w = plan.seasonal_weights(t, _dt.date(2026, 11, 1))
    # weekday profile flat (1); shape: day 11 = 5, others 1 -> 29 + 5 = 34 parts
    assert w[_dt.date(2026, 11, 11)] == pytest.approx(5 / 34)
    assert w[_dt.date(2026, 11, 12)] == pytest.approx(1 / 34)
    assert plan.target(t, Period.day("2026-11-11")) == pytest.approx(5000)


def test_no_target_no_attainment(con):
    t = load(con)
    assert plan.target(t, Period.day("2026-03-10")) is None
    assert plan.attainment(395, None) is None


def test_month_to_date_pace_and_forecast(con):
    # March target 31,000, even split (no history): by Mar 10, 10/31 of it = 10,000 is due.
    # Paid so far: 2,000 -> pace 20 %; forecast = 2,000 ÷ (10/31) = 6,200.
    t = load(con, orders=[_paid(_dt.date(2026, 3, 5), "2000", 1)],
             targets=[dict(month="2026-03-01", category="*", gmv_target="31000.00")])
    assert plan.month_to_date(t, _dt.date(2026, 3, 10)) == pytest.approx(
        {"mtd_paid_amount": 2000, "month_target": 31000, "pacing": 0.2, "forecast_month": 6200})
    assert plan.month_to_date(t, _dt.date(2026, 4, 2))["pacing"] is None  # no April target


def test_split_adds_up_to_the_cent():
    import decimal

    import pandas as pd

    parts = plan.split(decimal.Decimal("100.00"), pd.Series([1.0, 1.0, 1.0]))
    # 10,000 cents ÷ 3 = 3,333.33 each: 3,333 each and the cent left over to the earliest
    assert [str(v) for v in parts] == ["33.34", "33.33", "33.33"] and sum(parts) == decimal.Decimal("100.00")
    parts = plan.split(decimal.Decimal("10.00"), pd.Series([2.0, 1.0, 0.0]))
    assert [str(v) for v in parts] == ["6.67", "3.33", "0.00"]  # 666.67 → 666 + the cent; 333.33 → 333


def test_a_moving_festival_takes_its_weight_with_it(con):
    # ¥100 every day from 2024-11-01 to 2026-01-31, but ¥400 on the Spring Festival of 2025 (01-29):
    # 4 ordinary days' worth. In 2026 it falls on 02-17.
    days = [_dt.date(2024, 11, 1) + _dt.timedelta(days=i) for i in range(457)]
    rows = [_paid(d, "400" if d == _dt.date(2025, 1, 29) else "100", i) for i, d in enumerate(days)]
    t = load(con, orders=rows)
    spring = {"春节": ["2025-01-29", "2026-02-17"]}
    r = 4
    feb = plan.seasonal_weights(t, _dt.date(2026, 2, 1), spring)
    assert feb[_dt.date(2026, 2, 17)] == pytest.approx(r / (27 + r))  # the festival's day this year
    assert feb[_dt.date(2026, 2, 18)] == pytest.approx(1 / (27 + r))
    jan = plan.seasonal_weights(t, _dt.date(2026, 1, 1), spring)
    assert jan[_dt.date(2026, 1, 29)] == pytest.approx(1 / 31)  # last year's festival day is ordinary now
    # read as a date that recurs, the peak would have stayed on 01-29
    assert plan.seasonal_weights(t, _dt.date(2026, 1, 1))[_dt.date(2026, 1, 29)] == pytest.approx(4 / 34)


def test_a_quarter_splits_by_last_years_months(con):
    import decimal

    # Jan–Mar 2026 sold ¥100, ¥200 and ¥100 a day: 3,100, 5,600, 3,100 of 11,800
    days = [_dt.date(2026, 1, 1) + _dt.timedelta(days=i) for i in range(90)]
    t = load(con, orders=[_paid(d, "200" if d.month == 2 else "100", i) for i, d in enumerate(days)])
    q = plan.quarter_split(t, _dt.date(2027, 1, 1), decimal.Decimal("118000"))
    assert q == {_dt.date(2027, 1, 1): decimal.Decimal("31000.00"), _dt.date(2027, 2, 1): decimal.Decimal("56000.00"),
                 _dt.date(2027, 3, 1): decimal.Decimal("31000.00")}
    # a month last year the data covers in part would look small: without a whole quarter, by days
    con.raw_sql("DELETE FROM orders WHERE paid_at < TIMESTAMP '2026-01-05 00:00'")
    q = plan.quarter_split(t, _dt.date(2027, 1, 1), decimal.Decimal("90.00"))
    assert list(q.values()) == [decimal.Decimal("31.00"), decimal.Decimal("28.00"), decimal.Decimal("31.00")]
    # no history for 2028's first quarter's year before: by days, 31 + 29 + 31 = 91
    q = plan.quarter_split(t, _dt.date(2028, 1, 1), decimal.Decimal("91.00"))
    assert list(q.values()) == [decimal.Decimal("31.00"), decimal.Decimal("29.00"), decimal.Decimal("31.00")]
