"""The day so far (the hourly pace check): what has been paid by an hour of the day, against the
same hours of like days, and the day total it points to.

A like day is the same weekday of the 4 weeks before that the store traded and the data covers
(the daily's 4-week reference, reviews.compare). Each like day that had sold something by the
hour says how much of its day was sold by then; the projection is what is paid so far scaled by
the like days together (Σ their day totals ÷ Σ their amounts by the hour), and the interval runs
from the lowest to the highest of the like days' own projections (what is paid so far ÷ each one's
share by the hour): the spread of those days, not a model's.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal

from storeops.metrics.sales import paid
from storeops.warehouse import Tables


@dataclass(frozen=True)
class Projection:
    so_far: Decimal  # paid by the hour today
    value: float | None  # the day total it points to
    low: float | None  # the interval: the lowest like day's projection …
    high: float | None  # … and the highest
    days: int  # the like days it rests on (those that had sold by the hour)


def paid_by_hour(t: Tables, days: list[_dt.date], hour: int) -> dict[_dt.date, tuple[Decimal, Decimal]]:
    """{day: (paid before ``hour``:00, paid in the whole day)} for each of ``days`` (store-local
    times; an order counts by its payment time as every sales figure does: METRICS.md#paid_amount).
    One query for all of them."""
    if not days:
        return {}
    o = t.orders
    day = o.paid_at.date()
    picked = o.filter(paid(o) & day.isin(days))
    early = picked.paid_at.hour() < hour
    rows = picked.group_by(day=picked.paid_at.date()).aggregate(
        before=early.ifelse(picked.paid_amount, 0).sum(), whole=picked.paid_amount.sum()).to_pyarrow().to_pylist()
    found = {r["day"]: (Decimal(r["before"]), Decimal(r["whole"])) for r in rows}
    return {d: found.get(d, (Decimal(0), Decimal(0))) for d in days}


def projection(so_far: Decimal, like: list[tuple[Decimal, Decimal]]) -> Projection:
    """The day ``so_far`` points to, from the like days' (paid by the hour, paid in the day); a like
    day that had sold nothing by the hour says nothing of today's share and is left out."""
    used = [(b, w) for b, w in like if b > 0]
    if not used:
        return Projection(so_far, None, None, None, 0)
    value = float(so_far) * float(sum(w for _, w in used)) / float(sum(b for b, _ in used))
    own = [float(so_far) * float(w) / float(b) for b, w in used]
    return Projection(so_far, value, min(own), max(own), len(used))


def pace(t: Tables, day: _dt.date, hour: int, like_days: list[_dt.date]) -> Projection:
    """Paid by ``hour`` on ``day`` and the day it points to, against ``like_days``."""
    got = paid_by_hour(t, [day, *like_days], hour)
    return projection(got[day][0], [got[d] for d in like_days])
