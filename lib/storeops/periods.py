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


_WEEKDAYS = {name: i for i, names in enumerate([("mon", "monday", "周一"), ("tue", "tuesday", "周二"),
                                                ("wed", "wednesday", "周三"), ("thu", "thursday", "周四"),
                                                ("fri", "friday", "周五"), ("sat", "saturday", "周六"),
                                                ("sun", "sunday", "周日", "周天")]) for name in names}


@dataclass(frozen=True)
class Calendar:
    """The store's trading calendar (``calendar:`` in store.yaml): the weekdays it never trades and
    the dates or ranges it is closed (holidays, stock-takes; ``MM-DD`` recurs every year).

    Closed days need no data, are not compared with, and get no target (METRICS.md, comparisons).

    >>> c = Calendar.parse({"closed_weekdays": ["sat"], "closed": ["12-25..12-26", "2026-08-31"]})
    >>> [c.is_open(_dt.date.fromisoformat(d)) for d in ("2026-11-28", "2026-12-25", "2026-08-31", "2026-08-30")]
    [False, False, False, True]
    """

    closed_weekdays: frozenset[int] = frozenset()  # 0 = Monday
    closed_ranges: tuple[tuple[_dt.date, _dt.date], ...] = ()
    #: (month, day) ranges closed every year; a range may run over the new year (12-24..01-02)
    closed_yearly: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()

    @classmethod
    def parse(cls, settings: dict | None) -> Calendar:
        """From store.yaml's ``calendar`` mapping; ValueError naming the setting that is wrong."""
        settings = settings or {}
        if not isinstance(settings, dict):
            raise ValueError(f"calendar must be a mapping (festivals, closed_weekdays, closed), not {settings!r}")
        weekdays = set()
        for w in _listed(settings.get("closed_weekdays")):
            key = str(w).strip().lower()
            if key.isdigit() and 1 <= int(key) <= 7:  # ISO: 1 = Monday … 7 = Sunday
                weekdays.add(int(key) - 1)
            elif key in _WEEKDAYS:
                weekdays.add(_WEEKDAYS[key])
            else:
                raise ValueError(f"calendar.closed_weekdays: {w!r} is no weekday (mon … sun, or 1 … 7)")
        if len(weekdays) == 7:
            raise ValueError("calendar.closed_weekdays: a store closed on every weekday never trades")
        ranges, yearly = [], []
        for item in _listed(settings.get("closed")):
            first, _, last = str(item).partition("..")
            first, last = first.strip(), (last or first).strip()
            try:
                if re.fullmatch(r"\d{2}-\d{2}", first) and re.fullmatch(r"\d{2}-\d{2}", last):
                    a, b = (tuple(int(x) for x in s.split("-")) for s in (first, last))
                    for m, d in (a, b):
                        _dt.date(2024, m, d)  # a leap year: 02-29 is a day
                    yearly.append((a, b))
                    continue
                a, b = _dt.date.fromisoformat(first), _dt.date.fromisoformat(last)
            except ValueError:
                raise ValueError(f"calendar.closed: {item!r} is no date or range (2026-08-31, "
                                 "2026-12-24..2027-01-02, or 12-25..12-26 every year)") from None
            if b < a:
                raise ValueError(f"calendar.closed: {item!r} ends before it starts")
            ranges.append((a, b))
        out = cls(frozenset(weekdays), tuple(ranges), tuple(yearly))
        leap = Period(_dt.date(2024, 1, 1), _dt.date(2024, 12, 31), "custom")
        if not Calendar(out.closed_weekdays, (), out.closed_yearly).trading_days(leap):
            raise ValueError("calendar: the closed weekdays and yearly dates leave no day of the year to trade")
        return out

    def is_open(self, d: _dt.date) -> bool:
        if d.weekday() in self.closed_weekdays:
            return False
        if any(a <= d <= b for a, b in self.closed_ranges):
            return False
        md = (d.month, d.day)
        return not any((a <= md <= b) if a <= b else (md >= a or md <= b) for a, b in self.closed_yearly)

    def trading_days(self, p: Period) -> list[_dt.date]:
        """The days of ``p`` the store trades."""
        return [d for d in p.dates() if self.is_open(d)]

    def trading_before(self, d: _dt.date, step: int = 1, n: int = 1) -> list[_dt.date]:
        """The ``n`` days the store traded before ``d``, going back ``step`` days at a time (1: the
        previous trading days; 7: the same weekday), nearest first, looking back at most a year and
        a half (an absolute closure can be long, never endless)."""
        out, day = [], d
        for _ in range(550 // step + 1):
            day -= _dt.timedelta(days=step)
            if self.is_open(day):
                out.append(day)
                if len(out) == n:
                    break
        return out


def _listed(v) -> list:
    """A setting that takes a list, given a single value (``closed_weekdays: sat``) or nothing."""
    return [] if v is None else list(v) if isinstance(v, (list, tuple)) else [v]


#: a store that trades every day
ALWAYS_OPEN = Calendar()
