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
import math

import pandas as pd

from storeops.metrics.base import in_period
from storeops.periods import ALWAYS_OPEN, Calendar, Period
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


def seasonal_weights(t: Tables, month: _dt.date, festivals: dict | None = None,
                     calendar: Calendar = ALWAYS_OPEN) -> pd.Series:
    """Each day's share of the month (sums to 1), from the store's own history.

    Days the store ``calendar`` closes weigh 0, and the history is read over trading days only: a
    shop closed on Saturdays learns its weekdays from the days it opens, and last year's shape from
    that month's trading days.

    A festival whose date moves (a list of dates in ``calendar.festivals``, such as the Spring
    Festival) weighs as many ordinary days as its previous date sold last year (against that
    month's median day), and the day that held it last year becomes an ordinary day: the shape
    follows the festival, not the day of the month.
    """
    m = Period.month_of(month)
    # the 8 weeks before the month, or before the last day with sales when the month is planned
    # ahead: days not yet sold are not ¥0 days
    last = t.orders.paid_at.max().execute()
    last = m.start - _dt.timedelta(days=1) if last is None or pd.isna(last) else \
        min(m.start - _dt.timedelta(days=1), pd.Timestamp(last).date())
    history = daily_paid(t, Period(last - _dt.timedelta(days=55), last, "custom"))
    history = history[[calendar.is_open(d) for d in history.index]]
    open_ = pd.Series([1.0 if calendar.is_open(d) else 0.0 for d in m.dates()], index=m.dates())
    if not open_.any():  # closed all month: nothing to weigh, and no day to put a target on
        return pd.Series(1.0 / m.days, index=m.dates())
    if (history > 0).sum() < 28:
        return open_ / open_.sum()
    # the median of each weekday: one 双11 or campaign day does not make its weekday a peak
    profile = history.groupby([d.weekday() for d in history.index]).median()
    profile = profile / profile.mean()
    wd = pd.Series([profile.get(d.weekday(), 1.0) for d in m.dates()], index=m.dates())
    shape = pd.Series(1.0, index=m.dates())
    ly_shape = _shape(t, Period.month_of(m.start.replace(year=m.start.year - 1)), profile, calendar)
    if ly_shape is not None:
        by_dom = {d.day: v for d, v in ly_shape.items()}
        shape = pd.Series([by_dom.get(d.day, 1.0) for d in m.dates()], index=m.dates())
    for spec in (festivals or {}).values():
        if isinstance(spec, str):  # the same day every year: the day of the month already carries it
            continue
        dates = sorted(d if isinstance(d, _dt.date) else _dt.date.fromisoformat(str(d)) for d in spec)
        ordinary = float(shape.median())
        for was in dates:  # its day of the month a year ago is an ordinary day now
            if (was.year, was.month) == (m.start.year - 1, m.start.month) and was.day <= m.days:
                shape[m.start.replace(day=was.day)] = ordinary
        for now in (d for d in dates if m.start <= d <= m.end):
            before = [d for d in dates if d.year == now.year - 1]
            ratio = _shape(t, Period.month_of(before[-1]), profile, calendar) if before else None
            if ratio is not None:  # as many ordinary days' worth as it sold last year
                shape[now] = ordinary * float(ratio[before[-1]] / ratio.median())
    w = wd * shape * open_
    return w / w.sum()


def _shape(t: Tables, month: Period, profile: pd.Series, calendar: Calendar = ALWAYS_OPEN) -> pd.Series | None:
    """A past month's daily paid amount with the weekday effect taken out, relative to its mean over
    its trading days. A day it was closed reads as an ordinary day (the median): this year the same
    date may be a trading day. None unless every trading day sold: a month the store was not
    trading tells nothing."""
    paid = daily_paid(t, month)
    trading = pd.Series([calendar.is_open(d) for d in month.dates()], index=month.dates())
    if not trading.any() or not (paid[trading] > 0).all():
        return None
    wd = pd.Series([profile.get(d.weekday(), 1.0) for d in month.dates()], index=month.dates())
    shape = (paid / wd)[trading]
    shape = shape / shape.mean()
    return shape.reindex(month.dates(), fill_value=float(shape.median()))


def split(total: decimal.Decimal, weights: pd.Series) -> pd.Series:
    """``total`` shared by ``weights`` in whole cents that add up to it exactly: each part rounded
    down, the cents left over going to the largest remainders (the earlier day on a tie)."""
    cents = int((decimal.Decimal(total) * 100).to_integral_value(decimal.ROUND_HALF_UP))
    w = weights.astype(float) / float(weights.sum())
    raw = w * cents
    base = raw.apply(math.floor).astype(int)
    left = cents - int(base.sum())
    order = sorted(range(len(raw)), key=lambda i: (-(raw.iloc[i] - base.iloc[i]), i))
    for i in order[:left]:
        base.iloc[i] += 1
    return base.map(lambda c: (decimal.Decimal(c) / 100).quantize(decimal.Decimal("0.01")))


def day_targets(t: Tables, month: _dt.date, festivals: dict | None = None,
                edited: dict[_dt.date, pd.Series] | None = None, calendar: Calendar = ALWAYS_OPEN) -> pd.Series | None:
    """The month's target per day: the plan file the GM may have edited (storeops.targets) if there
    is one, else the month target split by seasonal weight to the cent; None without a target."""
    start = month.replace(day=1)
    if edited is not None and start in edited:
        return edited[start]
    mt = month_target(t, start)
    return None if mt is None else split(mt, seasonal_weights(t, start, festivals, calendar))


def quarter_split(t: Tables, quarter_start: _dt.date, total: decimal.Decimal,
                  calendar: Calendar = ALWAYS_OPEN) -> dict[_dt.date, decimal.Decimal]:
    """A quarter's target shared among its 3 months to the cent: by last year's paid amount of the
    same months where the store sold on every trading day of all three, else by their trading days."""
    months = [Period.month_of(_dt.date(quarter_start.year, quarter_start.month + i, 1)) for i in range(3)]
    paid = [daily_paid(t, Period.month_of(m.start.replace(year=m.start.year - 1))) for m in months]
    # a month the data covers in part would look small
    whole = all((p[[calendar.is_open(d) for d in p.index]] > 0).all() for p in paid)
    weights = pd.Series([float(p.sum()) for p in paid] if whole else
                        [len(calendar.trading_days(m)) for m in months],
                        index=[m.start for m in months], dtype=float)
    return split(total, weights).to_dict()


def target(t: Tables, p: Period, festivals: dict | None = None,
           edited: dict[_dt.date, pd.Series] | None = None, calendar: Calendar = ALWAYS_OPEN) -> float | None:
    """目标: Σ over the period's days of their targets (day_targets)."""
    out = 0.0
    for month_start in sorted({d.replace(day=1) for d in p.dates()}):
        days = day_targets(t, month_start, festivals, edited, calendar)
        if days is None:
            return None
        out += float(sum(days[d] for d in p.dates() if d.replace(day=1) == month_start))
    return out


def attainment(paid: float | decimal.Decimal | None, tgt: float | None) -> float | None:
    """目标完成率: paid amount ÷ target (None without a target)."""
    if paid is None or not tgt:
        return None
    return float(paid) / tgt


def month_to_date(t: Tables, day: _dt.date, festivals: dict | None = None,
                  edited: dict[_dt.date, pd.Series] | None = None,
                  calendar: Calendar = ALWAYS_OPEN) -> dict[str, float | None]:
    """Month-to-date paid amount against the month's target.

    pacing = MTD paid ÷ the targets of the days elapsed; forecast_month = MTD paid + the
    remaining days at the MTD run rate, weighted by their share of the month's target
    = MTD paid ÷ (the elapsed days' share of the target); with no target, by seasonal weight.
    """
    month = Period.month_of(day)
    mtd = daily_paid(t, Period(month.start, day)).sum()
    days = day_targets(t, month.start, festivals, edited, calendar)
    if days is not None and sum(days):
        w = days.astype(float) / float(sum(days))
    else:
        w = seasonal_weights(t, month.start, festivals, calendar)
    elapsed = float(w[[d for d in w.index if d <= day]].sum())
    mt = float(sum(days)) if days is not None else None
    return {
        "mtd_paid_amount": float(mtd),
        "month_target": mt,
        "pacing": float(mtd) / (mt * elapsed) if mt and elapsed else None,
        "forecast_month": float(mtd) / elapsed if elapsed else None,
    }
