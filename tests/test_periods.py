import datetime as _dt

import pytest

from storeops.periods import Period, iso_weeks


def test_day_and_comparisons():
    p = Period.day("2026-11-26")  # a Thursday
    assert (p.start, p.end, p.days) == (_dt.date(2026, 11, 26),) * 2 + (1,)
    assert p.previous() == Period.day("2026-11-25")
    assert p.same_weekday_last_week() == Period.day("2026-11-19")
    assert p.end_exclusive == _dt.date(2026, 11, 27)
    assert p.trailing(28).start == _dt.date(2026, 10, 30) and p.trailing(28).days == 28


def test_month_and_month_to_date():
    m = Period.month_of(_dt.date(2028, 2, 10))  # a leap year
    assert (m.start, m.end, m.days) == (_dt.date(2028, 2, 1), _dt.date(2028, 2, 29), 29)
    assert Period.day("2026-11-26").month_to_date() == Period(_dt.date(2026, 11, 1), _dt.date(2026, 11, 26), "month")


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        Period(_dt.date(2026, 1, 2), _dt.date(2026, 1, 1))


def d(s: str) -> _dt.date:
    return _dt.date.fromisoformat(s)


def test_iso_weeks_across_a_year_end():
    w1 = Period.parse("2026-W01")  # 2026 begins on a Thursday: its week 1 starts on 29 December 2025
    assert (w1.start, w1.end, w1.kind, w1.label) == (d("2025-12-29"), d("2026-01-04"), "week", "2026-W01")
    assert w1.previous().label == "2025-W52" and w1.previous().start == d("2025-12-22")
    assert [p.label for p in Period.parse("2026-W02").before(4)] == ["2026-W01", "2025-W52", "2025-W51", "2025-W50"]
    assert Period.week_of(d("2027-01-01")).label == "2026-W53"  # a Friday still in 2026's last week


def test_53_week_years_and_the_same_week_last_year():
    assert (iso_weeks(2020), iso_weeks(2021), iso_weeks(2026)) == (53, 52, 53)
    with pytest.raises(ValueError, match="2021 has no ISO week 53 \\(it has 52\\)"):
        Period.parse("2021-W53")
    assert Period.parse("2021-W01").last_year() == Period(d("2019-12-30"), d("2020-01-05"), "week")
    assert Period.parse("2021-W01").last_year().label == "2020-W01"
    # week 53 of 2026 against 2025, which has 52 weeks: its last week
    assert Period.parse("2026-W53").last_year() == Period(d("2025-12-22"), d("2025-12-28"), "week")


def test_months_and_days_a_year_before():
    m = Period.parse("2026-03")
    assert (m.label, m.previous(), m.last_year().label) == ("2026-03", Period.month_of(d("2026-02-01")), "2025-03")
    assert m.previous().days == 28  # the calendar month before, not the 31 days before
    assert [p.label for p in Period.parse("2026-01").before(3)] == ["2025-12", "2025-11", "2025-10"]
    assert Period.day("2024-02-29").last_year() == Period.day("2023-02-28")
    assert Period.parse("2026-11-26") == Period.day("2026-11-26")
