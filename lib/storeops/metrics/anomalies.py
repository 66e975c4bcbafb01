"""KPI anomalies: is today's figure outside what comparable days showed?

An ordinary day is compared with the last 4 same weekdays. A festival day
(``calendar.festivals`` in params/store.yaml) is compared with the same
festival's previous occurrence; a campaign day (campaigns table) with the same
day of the previous campaign of the same kind (the last day with the last day,
where 双11-style peaks fall). A figure is flagged when it falls below the
comparable range's low × (1 − margin) or above its high × (1 + margin).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from storeops.periods import ALWAYS_OPEN, Calendar

Direction = Literal["high", "low"]


@dataclass(frozen=True)
class Reference:
    days: tuple[_dt.date, ...]
    #: "weekday", or the festival / campaign the day was compared with
    basis: str
    event: str | None = None


def _festival_dates(spec, years) -> list[_dt.date]:
    if isinstance(spec, str):  # "MM-DD", every year
        return [_dt.date.fromisoformat(f"{y}-{spec}") for y in years]
    return sorted(d if isinstance(d, _dt.date) else _dt.date.fromisoformat(str(d)) for d in spec)


def reference(day: _dt.date, festivals: dict | None, campaigns: pd.DataFrame | None,
              calendar: Calendar = ALWAYS_OPEN) -> Reference:
    """The days ``day`` is judged against, and why: an ordinary day against the last 4 same weekdays
    the store traded (a closed Boxing Day is passed over, going a week further back)."""
    for name, spec in (festivals or {}).items():
        dates = _festival_dates(spec, range(day.year - 3, day.year + 1))
        if day in dates:
            earlier = [d for d in dates if d < day]
            if earlier:
                return Reference((earlier[-1],), "festival", str(name))
    if campaigns is not None and not campaigns.empty:
        c = campaigns.copy()
        c["start_date"] = pd.to_datetime(c.start_date).dt.date
        c["end_date"] = pd.to_datetime(c.end_date).dt.date
        now = c[(c.start_date <= day) & (c.end_date >= day)]
        if not now.empty:
            cur = now.sort_values("start_date").iloc[-1]
            prev = c[(c.kind == cur.kind) & (c.end_date < cur.start_date)].sort_values("start_date")
            if not prev.empty:
                p = prev.iloc[-1]
                if day == cur.end_date:
                    ref = p.end_date
                else:
                    ref = min(p.start_date + (day - cur.start_date), p.end_date - _dt.timedelta(days=1))
                    ref = max(ref, p.start_date)
                return Reference((ref,), "campaign", str(cur.theme))
    return Reference(tuple(calendar.trading_before(day, 7, 4)), "weekday")


def flag(value, refs: list, margin: float) -> Direction | None:
    """'high' / 'low' when ``value`` is outside [min(refs)·(1−m), max(refs)·(1+m)], else None.

    >>> flag(130, [100, 110, 90, 105], 0.1), flag(80, [100, 110, 90, 105], 0.1), flag(120, [100, 110], 0.1)
    ('high', 'low', None)
    """
    refs = [float(r) for r in refs if r is not None]
    if value is None or not refs:
        return None
    v = float(value)
    if v > max(refs) * (1 + margin):
        return "high"
    if v < min(refs) * (1 - margin):
        return "low"
    return None
