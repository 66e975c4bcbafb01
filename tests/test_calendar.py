"""The store calendar (periods.Calendar) and everything that reads it: the freshness guard, the
periods a comparison counts, the like days of an anomaly, the plan, the closed day's one line and
`storeops check`'s suggestion. Expected values worked out by hand in the comments.

The shop of these tests never trades on Saturdays.
"""

from __future__ import annotations

import datetime as _dt
import subprocess
from decimal import Decimal

import pytest

from storeops import config
from storeops.errors import Closed, ConfigError
from storeops.metrics import anomalies, coverage, plan
from storeops.periods import Calendar, Period
from storeops.reviews import compare
from storeops.reviews.context import ReviewContext, missing_tables
from storeops.reviews.kinds import refuse_closed
from tests.conftest import BIN, load, write_config

SAT = Calendar.parse({"closed_weekdays": ["sat"]})
D = _dt.date


def _day(d: D, amount: str = "100", n: int = 0) -> dict:
    ts = f"{d} 12:00"
    return dict(order_id=f"o{d}-{n}", buyer_id=f"b{d}-{n}", created_at=ts, paid_at=ts, goods_amount=amount,
                paid_amount=amount)


def _every_trading_day(first: D, last: D, calendar: Calendar = SAT, amount=lambda d: "100") -> list[dict]:
    return [_day(first + _dt.timedelta(days=i), amount(first + _dt.timedelta(days=i)))
            for i in range((last - first).days + 1) if calendar.is_open(first + _dt.timedelta(days=i))]


def test_the_settings_say_closed_weekdays_and_dates():
    c = Calendar.parse({"closed_weekdays": ["Sat", 7], "closed": ["2026-08-31", "2026-04-03..2026-04-06",
                                                                   "12-24..01-01"]})
    assert c.closed_weekdays == {5, 6}  # Saturday by name, Sunday as ISO 7
    closed = [D(2026, 8, 31), D(2026, 4, 3), D(2026, 4, 6), D(2026, 12, 24), D(2027, 1, 1), D(2026, 12, 31)]
    assert not any(c.is_open(d) for d in closed)
    assert all(c.is_open(d) for d in (D(2026, 4, 7), D(2026, 12, 23), D(2027, 1, 4), D(2026, 9, 1)))
    # a week of the shop closed over Christmas 2026 (Mon 12-21 … Sun 12-27): trades Mon–Wed only
    assert Calendar.parse(None) == Calendar() and Calendar.parse({"closed_weekdays": "sat"}) == SAT
    assert c.trading_days(Period.parse("2026-W52")) == [D(2026, 12, 21), D(2026, 12, 22), D(2026, 12, 23)]


@pytest.mark.parametrize("settings, message", [
    ({"closed_weekdays": ["samedi"]}, "calendar.closed_weekdays: 'samedi' is no weekday"),
    ({"closed_weekdays": list(range(1, 8))}, "a store closed on every weekday never trades"),
    ({"closed": ["2026-13-01"]}, "calendar.closed: '2026-13-01' is no date or range"),
    ({"closed": ["2026-05-02..2026-05-01"]}, "ends before it starts"),
    ({"closed": ["01-01..12-31"]}, "leave no day of the year to trade"),
    ("sat", "calendar: expected a mapping, not 'sat'"),
])
def test_a_wrong_calendar_is_refused_naming_the_setting(tmp_path, settings, message):
    import yaml

    cfg = write_config(tmp_path, extra=yaml.safe_dump({"calendar": settings}))
    with pytest.raises(ConfigError, match=message):
        config.load(cfg)


def test_the_freshness_guard_asks_only_for_trading_days(con):
    # orders Mon 03-09 … Fri 03-13 and Sun 03-15; Saturday 03-14 has none and needs none
    load(con, orders=[_day(D(2026, 3, 9) + _dt.timedelta(days=i)) for i in (0, 1, 2, 3, 4, 6)])
    week = Period.parse("2026-W11")
    assert missing_tables(con, week, ("orders",)) == {"orders": [D(2026, 3, 14)]}
    assert missing_tables(con, week, ("orders",), calendar=SAT) == {}


@pytest.fixture
def saturdays_closed(con, tmp_path):
    """Orders on every trading day from Mon 2026-02-09 (the data begins) to Sun 2026-03-29, ¥100 a day; a
    shop closed on Saturdays."""
    load(con, orders=_every_trading_day(D(2026, 2, 9), D(2026, 3, 29)))
    cfg = write_config(tmp_path, extra="calendar:\n  closed_weekdays: [sat]\n")
    return config.load(cfg)


def test_a_period_counts_when_every_trading_day_has_orders(con, saturdays_closed):
    ctx = ReviewContext(saturdays_closed, con, Period.parse("2026-W13"), "en")
    assert ctx.covered(Period.parse("2026-W12"))  # no Saturday order, and none needed
    assert not ctx.covered(Period.parse("2026-W06"))  # before the data began (02-09 is W07's Monday)
    assert not ctx.covered(Period.parse("2026-02"))  # 02-01 … 02-08 are not in the data
    # W13 against W12 (wow), 2025-W13 (yoy: no data → none), and the 4 weeks before, W12 … W09: all
    # covered → a mean of 4
    assert {k: len(v) for k, v in ctx.bases().items()} == {"wow": 1, "yoy": 0, "w4": 4}
    # W09 (02-23 …) against W08, W07 (covered) and W06, W05 (not): a mean of 2 of the 4 weeks named,
    # said as such; W08 against W07 only: no mean
    w9 = ReviewContext(saturdays_closed, con, Period.parse("2026-W09"), "en")
    assert {k: len(v) for k, v in w9.bases().items()} == {"wow": 1, "yoy": 0, "w4": 2}
    assert compare.short(w9.period, w9.bases()) == {"w4": 2}
    w8 = ReviewContext(saturdays_closed, con, Period.parse("2026-W08"), "en")
    assert w8.bases()["w4"] == [] and w8.headline() == Period.parse("2026-W07")
    assert ReviewContext(saturdays_closed, con, Period.parse("2026-W07"), "en").headline() is None
    # every trading day of W10..W13 paid ¥600 (6 days × 100): no change, no flag
    ch = compare.changes(ctx.period, ctx.values, ["paid_amount"], bases=ctx.bases())
    assert ch == {"wow": {"paid_amount": 0.0}, "yoy": {"paid_amount": None}, "w4": {"paid_amount": 0.0}}
    assert ctx.flags["paid_amount"] is None


def test_a_hole_in_the_data_is_not_compared_with(con, saturdays_closed):
    # Wednesday 03-18 (in W12) loses its orders: W12 no longer counts; W13 has no 环比 and its 4-week
    # mean is of W11, W10, W09 (3 of 4)
    con.raw_sql("DELETE FROM orders WHERE CAST(created_at AS DATE) = DATE '2026-03-18'")
    ctx = ReviewContext(saturdays_closed, con, Period.parse("2026-W13"), "en")
    assert ctx.bases()["wow"] == [] and ctx.headline() is None
    assert ctx.bases()["w4"] == [Period.parse(w) for w in ("2026-W11", "2026-W10", "2026-W09")]
    assert compare.changes(ctx.period, ctx.values, ["paid_amount"], bases=ctx.bases())["wow"] == {"paid_amount": None}


def test_a_day_is_compared_with_the_days_the_shop_traded(con, tmp_path):
    # a shop closed on Sundays, orders every other day from 2026-02-02: Monday 2026-03-02 against the day
    # before it traded (Saturday 02-28), the Monday before (02-23) and the 4 Mondays before (02-23 … 02-02)
    load(con, orders=_every_trading_day(D(2026, 2, 2), D(2026, 3, 2), Calendar.parse({"closed_weekdays": [7]})))
    cfg = config.load(write_config(tmp_path, extra="calendar:\n  closed_weekdays: [sun]\n"))
    ctx = ReviewContext(cfg, con, Period.day("2026-03-02"), "en")
    assert ctx.bases() == {"dod": [Period.day("2026-02-28")], "wow": [Period.day("2026-02-23")],
                           "w4": [Period.day(d) for d in ("2026-02-23", "2026-02-16", "2026-02-09", "2026-02-02")]}
    assert ctx.headline() == Period.day("2026-02-23")


def test_like_days_pass_over_closed_days():
    # Monday 2026-12-28 against the last 4 Mondays the shop traded: 12-21, (12-14 closed), 12-07, 11-30, 11-23
    cal = Calendar.parse({"closed": ["2026-12-14"]})
    r = anomalies.reference(D(2026, 12, 28), {}, None, cal)
    assert r.days == (D(2026, 12, 21), D(2026, 12, 7), D(2026, 11, 30), D(2026, 11, 23))


def test_the_plan_puts_nothing_on_closed_days_and_learns_from_trading_days(con):
    # History: every trading day of 2026-01-01 … 02-28 paid ¥100 on Monday–Friday, ¥200 on Sundays;
    # March 2025 the same, except Monday 2025-03-10 paid ¥300 (3× an ordinary weekday).
    # Weekday profile (medians over trading days): Mon–Fri 100, Sun 200. Last year's shape of March by
    # day of the month: day 10 is 3× the others (its closed Saturdays read as ordinary days).
    # March 2026: Saturdays 7, 14, 21, 28 get 0; 5 Sundays (1, 8, 15, 22, 29) weigh 2; 22 weekdays weigh
    # 1, but Tuesday the 10th weighs 3: 21 + 3 + 10 = 34 parts; a target of 3,400.00 gives 100.00 a
    # weekday, 200.00 a Sunday, 300.00 on the 10th and 0.00 on each Saturday.
    def amount(d):
        return "300" if d == D(2025, 3, 10) else "200" if d.weekday() == 6 else "100"

    rows = _every_trading_day(D(2026, 1, 1), D(2026, 2, 28), amount=amount)
    rows += _every_trading_day(D(2025, 3, 1), D(2025, 3, 31), amount=amount)
    t = load(con, orders=rows, targets=[dict(month="2026-03-01", category="*", gmv_target="3400.00")])
    days = plan.day_targets(t, D(2026, 3, 1), calendar=SAT)
    assert sum(days) == Decimal("3400.00")
    assert {d: days[d] for d in (D(2026, 3, 7), D(2026, 3, 8), D(2026, 3, 9), D(2026, 3, 10))} == {
        D(2026, 3, 7): Decimal("0.00"), D(2026, 3, 8): Decimal("200.00"), D(2026, 3, 9): Decimal("100.00"),
        D(2026, 3, 10): Decimal("300.00")}
    assert all(days[d] == 0 for d in days.index if d.weekday() == 5)
    # a week's target: W11 (03-09 … 03-15) = 100 + 300 + 100 × 3 + 0 + 200 = 900
    assert plan.target(t, Period.parse("2026-W11"), calendar=SAT) == pytest.approx(900)


def test_too_little_history_splits_over_trading_days(con):
    # no history: March 2026 split evenly over its 27 trading days, Saturdays 0
    even = plan.seasonal_weights(load(con), D(2026, 3, 1), calendar=SAT)
    assert even[D(2026, 3, 7)] == 0 and even[D(2026, 3, 9)] == pytest.approx(1 / 27) and even.sum() == pytest.approx(1)


def test_a_closed_day_has_no_daily_in_one_line(tmp_path, saturdays_closed):
    with pytest.raises(Closed, match="2026-03-14: the store is closed that day"):
        refuse_closed(saturdays_closed, "daily", Period.day("2026-03-14"))
    refuse_closed(saturdays_closed, "daily", Period.day("2026-03-15"))  # a Sunday: open
    refuse_closed(saturdays_closed, "replenishment", Period.day("2026-03-14"))  # stock is still counted
    r = subprocess.run([BIN / "storeops", "run", "daily", "--date", "2026-03-14", "--config", saturdays_closed.path],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.strip().startswith("2026-03-14: the store is closed that day") and len(r.stdout.splitlines()) == 1


def test_check_finds_the_days_a_shop_does_not_trade(con):
    # orders every day but Saturday from 2026-01-05 to 2026-03-29, and none 02-16 … 02-20 (a holiday week
    # from Monday to Friday; Sunday 02-15 and 02-22 traded): Saturday is quiet for 8+ weeks, the 5 days
    # are a run (Saturday 02-21 is not part of it: it is already suggested as a closed weekday)
    holiday = {D(2026, 2, 16) + _dt.timedelta(days=i) for i in range(5)}
    t = load(con, orders=[r for r in _every_trading_day(D(2026, 1, 5), D(2026, 3, 29))
                          if D.fromisoformat(r["created_at"][:10]) not in holiday])
    assert coverage.quiet_days(t, Calendar(), D(2026, 3, 29)) == ([5], [(D(2026, 2, 16), D(2026, 2, 20))])
    # once the calendar says so, nothing is left to suggest
    told = Calendar.parse({"closed_weekdays": ["sat"], "closed": ["2026-02-16..2026-02-20"]})
    assert coverage.quiet_days(t, told, D(2026, 3, 29)) == ([], [])
