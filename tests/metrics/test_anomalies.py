from __future__ import annotations

import datetime as _dt

import pandas as pd
import pytest

from storeops.metrics.anomalies import flag, reference

CAMPAIGNS = pd.DataFrame({
    "campaign_id": ["c1", "c2", "p1"], "theme": ["2月会员日", "4月会员日", "双11"], "kind": ["store", "store", "platform"],
    "start_date": [_dt.date(2026, 2, 18), _dt.date(2026, 4, 18), _dt.date(2026, 10, 31)],
    "end_date": [_dt.date(2026, 2, 20), _dt.date(2026, 4, 20), _dt.date(2026, 11, 11)],
})


def test_ordinary_day_is_judged_against_the_last_four_same_weekdays():
    r = reference(_dt.date(2026, 3, 10), {}, CAMPAIGNS)
    assert r.basis == "weekday"
    assert r.days == (_dt.date(2026, 3, 3), _dt.date(2026, 2, 24), _dt.date(2026, 2, 17), _dt.date(2026, 2, 10))


def test_festival_day_against_the_previous_occurrence():
    fest = {"双11": "11-11", "年货节": ["2025-01-10", "2026-01-12"]}
    r = reference(_dt.date(2026, 11, 11), fest, CAMPAIGNS)
    assert (r.basis, r.event, r.days) == ("festival", "双11", (_dt.date(2025, 11, 11),))
    r = reference(_dt.date(2026, 1, 12), fest, None)
    assert (r.basis, r.days) == ("festival", (_dt.date(2025, 1, 10),))


def test_campaign_day_against_the_same_day_of_the_previous_like_campaign():
    r = reference(_dt.date(2026, 4, 19), {}, CAMPAIGNS)  # 2nd day of April's 会员日
    assert (r.basis, r.event, r.days) == ("campaign", "4月会员日", (_dt.date(2026, 2, 19),))
    assert reference(_dt.date(2026, 4, 20), {}, CAMPAIGNS).days == (_dt.date(2026, 2, 20),)  # last with last
    # the first campaign of its kind has nothing to compare with: the weekday rule applies
    assert reference(_dt.date(2026, 2, 19), {}, CAMPAIGNS).basis == "weekday"
    assert reference(_dt.date(2026, 11, 5), {}, CAMPAIGNS).basis == "weekday"


def test_flag_outside_the_range_by_the_margin():
    refs = [100, 110, 90, 105]  # range 90–110; with 10 %: 81–121
    assert flag(121.5, refs, 0.1) == "high" and flag(80.9, refs, 0.1) == "low"
    assert flag(121, refs, 0.1) is None and flag(81, refs, 0.1) is None
    assert flag(None, refs, 0.1) is None and flag(50, [None], 0.1) is None


# ---------------------------------------------------------------- weeks and months
# 双11 on 11-11 every year; the 双11 campaign runs 10-31 … 11-11 (2025 and 2026).
FEST = {"双11": "11-11"}
D11 = pd.DataFrame({"campaign_id": ["c25", "c26"], "theme": ["双11", "双11"], "kind": ["platform"] * 2,
                    "start_date": [_dt.date(2025, 10, 31), _dt.date(2026, 10, 31)],
                    "end_date": [_dt.date(2025, 11, 11), _dt.date(2026, 11, 11)]})


def _w(label):
    from storeops.periods import Period

    return Period.parse(label)


def test_a_plain_week_is_judged_by_the_ordinary_weeks_before_it():
    # W47 (11-16 … 11-22), the week after 双11: W46 holds 11-11, W45 the campaign, W44 (10-26 … 11-01) its
    # first two days; the 4 ordinary weeks before are W43 … W40, as they are; and 2025-W47 (no festival or
    # campaign day either), scaled by the trend of W43 … W40 against 2025's
    from storeops.metrics.anomalies import period_reference

    r = period_reference(_w("2026-W47"), FEST, D11)
    assert (r.basis, r.periods) == ("weeks", (*(_w(f"2026-W{n}") for n in (43, 42, 41, 40)), _w("2025-W47")))
    assert r.scaled == (False, False, False, False, True)
    assert r.trend == tuple((_w(f"2026-W{n}"), _w(f"2025-W{n}")) for n in (43, 42, 41, 40))
    # 2027-W44 (11-01 … 11-07) would meet 2026-W44, which holds the campaign's first days: no year-back week
    later = period_reference(_w("2027-W44"), FEST, D11)
    assert later.scaled and not any(later.scaled)


def test_a_festival_week_is_judged_by_last_years_festival_week_and_the_trend():
    # W46 (11-09 … 11-15) holds 双11 → the week of 2025-11-11 (2025-W46), scaled by W43 … W40 against 2025's
    from storeops.metrics.anomalies import period_reference

    r = period_reference(_w("2026-W46"), FEST, D11)
    assert (r.basis, r.event, r.periods, r.scaled) == ("event", "双11", (_w("2025-W46"),), (True,))
    assert r.trend == tuple((_w(f"2026-W{n}"), _w(f"2025-W{n}")) for n in (43, 42, 41, 40))


def test_a_month_is_judged_by_the_same_month_last_year_and_the_trend():
    from storeops.metrics.anomalies import period_reference, scaled

    r = period_reference(_w("2026-11"), FEST, D11)
    assert (r.basis, r.periods) == ("last_year", (_w("2025-11"),))
    assert [a for a, _ in r.trend] == [_w(f"2026-W{n}") for n in (43, 42, 41, 40)]
    # last year's 5,200 × the trend: ordinary weeks now 770 and 840 against 700 and 700 → 805 / 700 = 1.15
    assert scaled([{"paid": 5200}], [({"paid": 770}, {"paid": 700}), ({"paid": 840}, {"paid": 700})],
                  ["paid"]) == [{"paid": pytest.approx(5980)}]
    assert scaled([{"paid": 5200}], [({"paid": 770}, {"paid": 0})], ["paid"]) == [{"paid": None}]  # no trend


def test_a_campaign_week_is_judged_by_the_same_campaigns_week_last_year():
    # W45 (11-02 … 11-08) holds 双11 campaign days but not 11-11 itself: the last campaign of that theme ran
    # 2025-10-31 … 11-11, a year back → the same ISO week of it, 2025-W45, scaled by the trend
    from storeops.metrics.anomalies import period_reference

    r = period_reference(_w("2026-W45"), FEST, D11)
    assert (r.basis, r.event, r.periods, r.scaled) == ("event", "双11", (_w("2025-W45"),), (True,))
    # the first campaign of its theme has no like event before it: nothing to judge by
    first = period_reference(_w("2025-W45"), FEST, D11)
    assert (first.basis, first.periods) == ("event", ())
