"""Which period each review covers, and whether the store trades in it: what a run settles before
anything is loaded (imports nothing heavy: publish.run starts the kernel after it, publish.kernel)."""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

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
