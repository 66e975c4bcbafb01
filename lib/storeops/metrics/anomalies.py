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


# ---------------------------------------------------------------- weeks and months


#: ordinary weeks a week is judged against, and the weeks a year-on-year trend is measured over
LIKE_WEEKS = 4
#: how far back to look for them
LOOK_BACK_WEEKS = 16


@dataclass(frozen=True)
class PeriodReference:
    """What a week or a month is judged against (METRICS.md, anomalies): ``periods`` — the like
    periods; ``scaled`` — for each, whether it is a year back and so scaled by the year-on-year trend
    of ``trend``'s (now, a year before) pairs of ordinary weeks; ``basis`` — "weeks" (ordinary weeks
    before, and the same week last year), "event" (the week of the same festival or campaign last
    time) or "last_year" (a month: the same month a year before)."""

    periods: tuple
    basis: str
    event: str | None = None
    trend: tuple = ()
    scaled: tuple = ()


def special_days(festivals: dict | None, campaigns: pd.DataFrame | None, years) -> set[_dt.date]:
    """Festival days of ``years`` and every campaign's days: no ordinary days to judge by."""
    out = {d for spec in (festivals or {}).values() for d in _festival_dates(spec, years)}
    if campaigns is not None and not campaigns.empty:
        for s, e in zip(pd.to_datetime(campaigns.start_date).dt.date, pd.to_datetime(campaigns.end_date).dt.date):
            out.update(s + _dt.timedelta(days=i) for i in range((e - s).days + 1))
    return out


def period_reference(p, festivals: dict | None, campaigns: pd.DataFrame | None) -> PeriodReference:
    """The like periods of the week or month ``p``.

    - A month: the same month last year, scaled by the trend (a 双11 month is judged against last
      year's 双11 month, not against the three quiet months before it).
    - A week holding a festival or campaign day: the week of its last like event (as a day is
      judged, :func:`reference`), scaled by the trend where it was a year back.
    - Any other week: the 4 weeks before it that hold no festival or campaign day (within 16 weeks),
      and the same ISO week last year scaled by the trend where it held none either: the weeks after
      双11 are not judged against the 双11 weeks, and a season's turn (November's coats after
      October's shirts) is what last year's same week shows too, not an anomaly.

    The trend: the 4 latest ordinary weeks before ``p`` against the same ISO weeks a year before.
    """
    from storeops.periods import Period

    special = special_days(festivals, campaigns, range(p.start.year - 2, p.end.year + 1))
    weeks = [w for w in Period.week_of(p.start).before(LOOK_BACK_WEEKS)
             if not any(d in special for d in w.dates())]
    trend = tuple((w, w.last_year()) for w in weeks[:LIKE_WEEKS])
    if p.kind == "month":
        return PeriodReference((p.last_year(),), "last_year", None, trend, (True,))
    fest = special_days(festivals, None, range(p.start.year - 1, p.end.year + 1))
    held = [d for d in p.dates() if d in fest] or [d for d in p.dates() if d in special]
    if held:
        r = _same_campaign(held[0], campaigns) if held[0] not in fest else None
        r = r or reference(held[0], festivals, campaigns)
        if r.basis == "weekday":  # no earlier like event: nothing to judge by
            return PeriodReference((), "event", None, ())
        like = Period.week_of(r.days[0])
        # last year's event grew with the store since; last month's has not had the time
        year_back = (p.start - like.start).days > 300
        if year_back and any(d in special for d in p.last_year().dates()):
            like = p.last_year()  # the same ISO week of last year's event: its days line up with this week's
        return PeriodReference((like,), "event", r.event, trend if year_back else (), (year_back,))
    ly = p.last_year()
    seasonal = () if any(d in special for d in ly.dates()) else (ly,)
    return PeriodReference(tuple(weeks[:LIKE_WEEKS]) + seasonal, "weeks", None, trend if seasonal else (),
                           (False,) * len(weeks[:LIKE_WEEKS]) + (True,) * len(seasonal))


def scaled(values: list[dict], trend: list[tuple[dict, dict]], keys) -> list[dict]:
    """``values`` times each figure's trend: the mean of its ordinary weeks now ÷ the mean of the same
    weeks a year before (no trend to give — no pair, or a year before at 0 — gives no reference)."""
    out = []
    for v in values:
        row = {}
        for k in keys:
            now = [float(a[k]) for a, b in trend if a[k] is not None and b[k] is not None]
            before = [float(b[k]) for a, b in trend if a[k] is not None and b[k] is not None]
            ok = now and before and sum(before) and v[k] is not None
            row[k] = float(v[k]) * (sum(now) / len(now)) / (sum(before) / len(before)) if ok else None
        out.append(row)
    return out


def _same_campaign(day: _dt.date, campaigns: pd.DataFrame | None) -> Reference | None:
    """The same day of the last campaign with the same theme as the one running on ``day`` (双11's
    presale a year ago, not September's 99 sale): a week's like event; None if there was none."""
    if campaigns is None or campaigns.empty:
        return None
    c = campaigns.assign(start_date=pd.to_datetime(campaigns.start_date).dt.date,
                         end_date=pd.to_datetime(campaigns.end_date).dt.date)
    now = c[(c.start_date <= day) & (c.end_date >= day)].sort_values("start_date")
    if now.empty:
        return None
    cur = now.iloc[-1]
    prev = c[(c.theme == cur.theme) & (c.end_date < cur.start_date)].sort_values("start_date")
    if prev.empty:
        return None
    was = prev.iloc[-1]
    like = min(max(was.start_date + (day - cur.start_date), was.start_date), was.end_date)
    return Reference((like,), "campaign", str(cur.theme))
