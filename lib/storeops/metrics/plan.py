"""Plan (计划): targets, seasonal weights, attainment. METRICS.md#plan.

A day's target is the month's target times that day's seasonal weight. Weights
come from the store's own history: a weekday profile (the 8 weeks before the
month) times last year's shape of the same month (with last year's weekday
effect taken out, so festivals such as 双11 keep their weight), normalised to
sum to 1 over the month. With under 28 days of history the split is even.
"""

from __future__ import annotations

import datetime as _dt
import decimal

import pandas as pd

from storeops.metrics.base import in_period
from storeops.periods import Period
from storeops.warehouse import Tables


def daily_paid(t: Tables, p: Period) -> pd.Series:
    """Paid amount per day of ``p`` (days without sales are 0), as a float Series indexed by date."""
    o = t.orders.filter(in_period(t.orders.paid_at, p))
    df = o.group_by(day=o.paid_at.date()).aggregate(paid=o.paid_amount.sum()).execute()
    s = pd.Series(df.paid.astype(float).to_numpy(), index=pd.to_datetime(df.day).dt.date, dtype=float)
    return s.reindex(p.dates(), fill_value=0.0)


def month_target(t: Tables, month: _dt.date, category: str = "*") -> decimal.Decimal | None:
    """``targets.gmv_target`` of the month and category; None when no target is set."""
    tg = t.targets
    v = tg.filter((tg.month == month.replace(day=1)) & (tg.category == category)).gmv_target.max().execute()
    return None if v is None or v != v else decimal.Decimal(v)


def seasonal_weights(t: Tables, month: _dt.date) -> pd.Series:
    """Each day's share of the month (sums to 1), from the store's own history."""
    m = Period.month_of(month)
    history = daily_paid(t, Period(m.start - _dt.timedelta(days=56), m.start - _dt.timedelta(days=1)))
    if (history > 0).sum() < 28:
        return pd.Series(1.0 / m.days, index=m.dates())
    profile = history.groupby([d.weekday() for d in history.index]).mean()
    profile = profile / profile.mean()
    wd = pd.Series([profile.get(d.weekday(), 1.0) for d in m.dates()], index=m.dates())
    shape = pd.Series(1.0, index=m.dates())
    ly = Period.month_of(m.start.replace(year=m.start.year - 1))
    last_year = daily_paid(t, ly)
    if (last_year > 0).all():
        ly_wd = pd.Series([profile.get(d.weekday(), 1.0) for d in ly.dates()], index=ly.dates())
        ly_shape = last_year / ly_wd
        ly_shape = ly_shape / ly_shape.mean()
        by_dom = {d.day: v for d, v in ly_shape.items()}
        shape = pd.Series([by_dom.get(d.day, 1.0) for d in m.dates()], index=m.dates())
    w = wd * shape
    return w / w.sum()


def target(t: Tables, p: Period) -> float | None:
    """目标: Σ over the period's days of month target × the day's seasonal weight."""
    out = 0.0
    for month_start in sorted({d.replace(day=1) for d in p.dates()}):
        mt = month_target(t, month_start)
        if mt is None:
            return None
        w = seasonal_weights(t, month_start)
        out += float(mt) * float(w[[d for d in p.dates() if d.replace(day=1) == month_start]].sum())
    return out


def attainment(paid: float | decimal.Decimal | None, tgt: float | None) -> float | None:
    """目标完成率: paid amount ÷ target (None without a target)."""
    if paid is None or not tgt:
        return None
    return float(paid) / tgt


def month_to_date(t: Tables, day: _dt.date) -> dict[str, float | None]:
    """Month-to-date paid amount against the month's target.

    pacing = MTD paid ÷ (month target × Σ seasonal weights of the days elapsed);
    forecast_month = MTD paid + the remaining days at the MTD run rate, weighted
    by their seasonal weights = MTD paid ÷ Σ weights elapsed.
    """
    month = Period.month_of(day)
    mtd = daily_paid(t, Period(month.start, day)).sum()
    w = seasonal_weights(t, month.start)
    elapsed = float(w[[d for d in w.index if d <= day]].sum())
    mt = month_target(t, month.start)
    return {
        "mtd_paid_amount": float(mtd),
        "month_target": float(mt) if mt is not None else None,
        "pacing": float(mtd) / (float(mt) * elapsed) if mt and elapsed else None,
        "forecast_month": float(mtd) / elapsed if elapsed else None,
    }
