"""Which period each review covers (and which hour a pace check), and whether the store trades in
it: what a run settles before anything is loaded. It imports nothing heavy: publish.run starts the
report's kernel right after it (publish.kernel)."""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storeops.errors import Closed, ReportError
from storeops.periods import Period

if TYPE_CHECKING:
    from storeops.config import Config

#: the period each review covers
PERIOD_KIND = {"daily": "day", "weekly": "week", "monthly": "month", "replenishment": "day",
               "group-daily": "day", "group-weekly": "week", "group-monthly": "month"}


def refuse_closed(cfg: Config, kind: str, p: Period) -> None:
    """A review of a period the store does not trade on at all is no review: say so in one line
    (errors.Closed), rather than publish a report of zeros. The replenishment table counts stock,
    which a closed shop still has."""
    if kind != "replenishment" and not cfg.calendar.trading_days(p):
        what = {"day": "day", "week": "week", "month": "month"}[p.kind]
        raise Closed(f"{p.label}: the store is closed that {what} (calendar in {cfg.path}); "
                     f"there is no {kind} review to make")


def resolve(kind: str, cfg: Config, period: str | _dt.date | Period | None) -> Period:
    """The period a ``kind`` review covers, from a label, a date or nothing (the last complete one)."""
    if isinstance(period, Period):
        p = period
    elif isinstance(period, _dt.date):
        p = Period.day(period)
    elif period:
        try:
            p = Period.parse(str(period))
        except ValueError as e:
            raise ReportError(f"{period!r} is no period: expected 2026-11-26, 2026-W47 or 2026-11 ({e})") from None
    elif kind == "replenishment":  # the stock as counted this morning
        p = Period.day(cfg.today())
    else:
        today = cfg.today()
        p = {"day": Period.day(cfg.yesterday()), "week": Period.week_of(today - _dt.timedelta(days=7)),
             "month": Period.month_of(today.replace(day=1) - _dt.timedelta(days=1))}[PERIOD_KIND[kind]]
    if p.kind != PERIOD_KIND[kind]:
        raise ReportError(f"a {kind} review covers a {PERIOD_KIND[kind]}, not {p.label} (e.g. "
                          f"{ {'day': '2026-11-26', 'week': '2026-W47', 'month': '2026-11'}[PERIOD_KIND[kind]] })")
    return p


def moment(cfg: Config, when: str | _dt.date | _dt.datetime | None) -> tuple[_dt.date, int]:
    """(day, hour) of a pace check: ``2026-12-05T14`` (paid before 14:00), a datetime, or now in
    store time (a check at 14:05 is the 14:00 one). Hour 1–24; 24 is the whole day, and what a clock
    at 00:xx checks: the day just ended."""
    if when is None or when == "" or isinstance(when, _dt.datetime):
        now = when or _dt.datetime.now(ZoneInfo(cfg.timezone))
        day, hour = now.date(), now.hour
        if hour == 0:
            day, hour = day - _dt.timedelta(days=1), 24
    elif isinstance(when, _dt.date):  # after the datetime branch: a datetime is a date too
        day, hour = when, 24
    else:
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2})(?::00)?)?", str(when).strip())
        try:
            day, hour = _dt.date.fromisoformat(m[1]), int(m[2]) if m[2] else 24
        except (TypeError, ValueError):
            raise ReportError(f"{when!r} is no hour of a day: expected 2026-12-05T14") from None
    if not 1 <= hour <= 24:
        raise ReportError(f"{day}T{hour:02d}: at 00:00 nothing of the day has passed; the pace check runs "
                          "from 01 to 24")
    return day, hour


def label(day: _dt.date, hour: int) -> str:
    """What file names and the archive call a check: 2026-12-05T14."""
    return f"{day.isoformat()}T{hour:02d}"
