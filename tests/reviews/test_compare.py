"""A week and a month against their comparisons, on hand-worked paid amounts (METRICS.md).

paid on       amount  ISO week   month
2025-03-04      75    2025-W10   2025-03
2025-12-10      30    2025-W50   2025-12
2026-01-15      90    2026-W03   2026-01
2026-02-03      60    2026-W06   2026-02
2026-02-10     100    2026-W07   2026-02
2026-02-17      80    2026-W08   2026-02
2026-02-25     120    2026-W09   2026-02
2026-03-03     100    2026-W10   2026-03
2026-03-07      50    2026-W10   2026-03

2026-W10 = 150: vs W09 (120) +25 %; vs 2025-W10 (75) +100 %; vs the mean of W09..W06 (90) +66.67 %.
2026-03 = 150: vs February (360) −58.33 %; vs March 2025 (75) +100 %; vs the mean of Feb, Jan, Dec
(360, 90, 30 → 160) −6.25 %.
"""

from __future__ import annotations

import datetime as _dt

import pytest

from storeops.periods import Period
from storeops.reviews import compare
from storeops.reviews.context import kpi_values
from tests.conftest import load

PAID = [("2025-03-04", 75), ("2025-12-10", 30), ("2026-01-15", 90), ("2026-02-03", 60), ("2026-02-10", 100),
        ("2026-02-17", 80), ("2026-02-25", 120), ("2026-03-03", 100), ("2026-03-07", 50)]


#: an order placed and never paid on every day from 2025-03-02 to 2026-03-08: the data covers every
#: period compared with (a comparison counts only a period with orders on all its trading days)
UNPAID = [_dt.date(2025, 3, 2) + _dt.timedelta(days=i) for i in range(372)]


@pytest.fixture
def t(con):
    return load(con, orders=[dict(order_id=f"o{i}", buyer_id=f"b{i}", created_at=f"{day} 10:00",
                                  paid_at=f"{day} 10:05", goods_amount=str(a), paid_amount=str(a))
                             for i, (day, a) in enumerate(PAID)]
                + [dict(order_id=f"u{d}", buyer_id="u", created_at=f"{d} 09:00", status="created",
                        goods_amount="10") for d in UNPAID])


def _changes(t, label):
    return {k: v["paid_amount"] for k, v in compare.changes(Period.parse(label), lambda p: kpi_values(t, p),
                                                            ["paid_amount"]).items()}


def test_a_week_against_last_week_last_year_and_4_weeks(t):
    assert kpi_values(t, Period.parse("2026-W10"))["paid_amount"] == 150
    assert _changes(t, "2026-W10") == pytest.approx({"wow": 0.25, "yoy": 1.0, "w4": 150 / 90 - 1})


def test_a_month_against_last_month_last_year_and_3_months(t):
    assert _changes(t, "2026-03") == pytest.approx({"mom": 150 / 360 - 1, "yoy": 1.0, "m3": -0.0625})


def test_a_day_keeps_its_comparisons(t):
    # 2026-03-03, a Tuesday (100): the day before and the Tuesday before sold 0, from which no change
    # can be given; the 4 Tuesdays before sold 0, 80, 100, 60 (mean 60): +66.67 %
    assert _changes(t, "2026-03-03") == pytest.approx({"dod": None, "wow": None, "w4": 100 / 60 - 1})
    assert compare.headline(Period.parse("2026-03-03")) == Period.day("2026-02-24")
    assert compare.headline(Period.parse("2026-W10")) == Period.parse("2026-W09")
    assert compare.headline(Period.parse("2026-03")) == Period.parse("2026-02")


def test_periods_before_the_data_began_are_not_compared_with(t):
    # as if the store's data began on 2026-02-09: W06 (from 02-02) is left out of the 4-week mean,
    # which becomes (120 + 80 + 100) / 3 = 100 → +50 %; 2025-W10 is left out: no 同比 to give
    since = lambda p: p.start >= _dt.date(2026, 2, 9)  # noqa: E731
    got = compare.changes(Period.parse("2026-W10"), lambda p: kpi_values(t, p), ["paid_amount"], since)
    assert {k: v["paid_amount"] for k, v in got.items()} == pytest.approx({"wow": 0.25, "yoy": None, "w4": 0.5})


def test_a_week_is_flagged_outside_the_range_of_the_4_weeks_before(t, con, tmp_path):
    # 2026-W10 paid 150; the 4 weeks before paid 120, 80, 100, 60: the range ±10 % is 54 to 132 → high
    from storeops import config
    from storeops.reviews.context import ReviewContext
    from tests.conftest import write_config

    ctx = ReviewContext(config.load(write_config(tmp_path)), con, Period.parse("2026-W10"), "en")
    assert ctx.flags["paid_amount"] == "high"
    # 2026-W08 (80) against W07..W04 (100, 60, 0, 0): the range is 0 to 110 → not flagged
    assert ReviewContext(ctx.cfg, con, Period.parse("2026-W08"), "en").flags["paid_amount"] is None


def test_a_festival_month_is_judged_by_last_year_and_the_trend(con, tmp_path):
    # every day from 2025-08-01 to 2026-11-30 paid 100 (2025) or 110 (2026); on 双11 campaign days
    # (10-31 … 11-11) 300 (2025) or 330 (2026). November 2026 = 11 × 330 + 19 × 110 = 5,720; November
    # 2025 = 11 × 300 + 19 × 100 = 5,200; the trend of W43 … W40 (770 a week against 700) is 1.1 →
    # 5,720: as expected, not flagged. Against the 3 months before (3,410 … 3,630) it would read "high".
    from storeops import config
    from storeops.reviews.context import ReviewContext
    from tests.conftest import write_config

    def amount(d):
        camp = _dt.date(d.year, 10, 31) <= d <= _dt.date(d.year, 11, 11)
        return (330 if camp else 110) if d.year == 2026 else (300 if camp else 100)

    days = [_dt.date(2025, 8, 1) + _dt.timedelta(days=i) for i in range(487)]
    load(con, orders=[dict(order_id=f"d{d}", buyer_id="b", created_at=f"{d} 10:00", paid_at=f"{d} 10:05",
                           goods_amount=str(amount(d)), paid_amount=str(amount(d))) for d in days],
         campaigns=[dict(campaign_id=f"c{y}", theme="双11", kind="platform", start_date=f"{y}-10-31",
                         end_date=f"{y}-11-11", fixed_cost="0") for y in (2025, 2026)])
    cfg = config.load(write_config(tmp_path, extra='calendar:\n  festivals: {双11: "11-11"}\n'))
    ctx = ReviewContext(cfg, con, Period.parse("2026-11"), "en")
    assert ctx.values(ctx.period)["paid_amount"] == 5720
    assert ctx.period_reference.periods == (Period.parse("2025-11"),)
    assert ctx.flags["paid_amount"] is None
    assert compare.changes(ctx.period, ctx.values, ["paid_amount"], bases=ctx.bases())["m3"]["paid_amount"] > 0.5
