import datetime as _dt

import pytest

from storeops.periods import Period


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
