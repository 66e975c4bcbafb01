from __future__ import annotations

import datetime as _dt

import pandas as pd

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
