"""Report periods and the periods they are compared with."""

from __future__ import annotations

import datetime as _dt
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
        """The period of the same length just before (环比 for a day: the previous day)."""
        return self.shifted(-self.days)

    def same_weekday_last_week(self) -> Period:
        return self.shifted(-7)

    def trailing(self, days: int) -> Period:
        """The ``days`` days ending with this period's last day."""
        return Period(self.end - _dt.timedelta(days=days - 1), self.end, "day" if days == 1 else self.kind)

    def month_to_date(self) -> Period:
        return Period(self.end.replace(day=1), self.end, "month")

    def __str__(self) -> str:
        return self.start.isoformat() if self.start == self.end else f"{self.start}..{self.end}"
