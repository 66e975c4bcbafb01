"""Report periods and the periods they are compared with."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["day", "week", "month"]
ONE_DAY = _dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A closed range of store-local calendar days, ``start`` to ``end`` inclusive.

    >>> p = Period.day(_dt.date(2026, 11, 26))
    >>> p.same_weekday_last_week().start
    datetime.date(2026, 11, 19)
    """

    start: _dt.date
    end: _dt.date
    kind: Kind = "day"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def day(cls, d: _dt.date | str) -> Period:
        d = _dt.date.fromisoformat(d) if isinstance(d, str) else d
        return cls(d, d, "day")

    @classmethod
    def month_of(cls, d: _dt.date) -> Period:
        first = d.replace(day=1)
        nxt = (first + _dt.timedelta(days=32)).replace(day=1)
        return cls(first, nxt - ONE_DAY, "month")

    @classmethod
    def week_of(cls, d: _dt.date) -> Period:
        """The ISO week (Monday to Sunday) holding ``d``."""
        monday = d - _dt.timedelta(days=d.weekday())
        return cls(monday, monday + _dt.timedelta(days=6), "week")

    @classmethod
    def iso_week(cls, year: int, week: int) -> Period:
        """ISO week ``week`` of ISO year ``year`` (week 1 holds the year's first Thursday)."""
        try:
            return cls.week_of(_dt.date.fromisocalendar(year, week, 1))
        except ValueError:
            raise ValueError(f"{year} has no ISO week {week} (it has {iso_weeks(year)})") from None

    @classmethod
    def parse(cls, label: str) -> Period:
        """A period from its label: ``2026-11-26`` (a day), ``2026-W47`` (an ISO week), ``2026-11`` (a month)."""
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", label.strip()):
            return cls.iso_week(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(\d{2})", label.strip()):
            return cls.month_of(_dt.date(int(m[1]), int(m[2]), 1))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", label.strip()):  # not 2026W47, which Python reads as a day
            raise ValueError(f"{label!r}: expected a day (2026-11-26), an ISO week (2026-W47) or a month (2026-11)")
        return cls.day(label.strip())

    @property
    def label(self) -> str:
        """What reports and file names call the period: 2026-11-26, 2026-W47, 2026-11."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return str(self)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> _dt.date:
        """The first day after the period: timestamps are filtered ``< end_exclusive``."""
        return self.end + ONE_DAY

    def dates(self) -> list[_dt.date]:
        return [self.start + _dt.timedelta(days=i) for i in range(self.days)]

    def shifted(self, days: int) -> Period:
        delta = _dt.timedelta(days=days)
        return Period(self.start + delta, self.end + delta, self.kind)

    def previous(self) -> Period:
        """The period just before (环比): the previous day, ISO week or calendar month."""
        if self.kind == "month":
            return Period.month_of(self.start - ONE_DAY)
        return self.shifted(-self.days)

    def before(self, n: int) -> list[Period]:
        """The ``n`` periods of the same kind just before this one, nearest first."""
        out, p = [], self
        for _ in range(n):
            p = p.previous()
            out.append(p)
        return out

    def last_year(self) -> Period:
        """The same period a year before (同比): the same ISO week of the previous ISO year (week 52
        when that year has no week 53), the same calendar month; for a day, the same date."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return Period.iso_week(year - 1, min(week, iso_weeks(year - 1)))
        if self.kind == "month":
            return Period.month_of(self.start.replace(year=self.start.year - 1))
        d = self.start
        return Period.day(d.replace(year=d.year - 1) if (d.month, d.day) != (2, 29) else d.replace(year=d.year - 1,
                                                                                                      day=28))

    def same_weekday_last_week(self) -> Period:
        return self.shifted(-7)

    def trailing(self, days: int) -> Period:
        """The ``days`` days ending with this period's last day."""
        return Period(self.end - _dt.timedelta(days=days - 1), self.end, "day" if days == 1 else self.kind)

    def month_to_date(self) -> Period:
        return Period(self.end.replace(day=1), self.end, "month")

    def __str__(self) -> str:
        return self.start.isoformat() if self.start == self.end else f"{self.start}..{self.end}"


def iso_weeks(year: int) -> int:
    """52 or 53: the ISO weeks of ``year`` (28 December is always in its last week)."""
    return _dt.date(year, 12, 28).isocalendar()[1]
