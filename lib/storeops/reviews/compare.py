"""What a review's figures are compared with, by the kind of its period (METRICS.md, comparisons).

A day against the previous day, the same weekday last week and the mean of the 4 same weekdays
before; an ISO week against the previous week, the same ISO week last year and the mean of the 4
weeks before; a calendar month against the previous month, the same month last year and the mean
of the 3 months before. The keys are those of summary.json's ``comparisons``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storeops.periods import ALWAYS_OPEN, Calendar, Period
from storeops.present import formats


@dataclass(frozen=True)
class Basis:
    key: str  # dod | wow | w4 | yoy | mom | m3
    #: the periods compared with the mean of (a day's: the days the store ``calendar`` trades)
    periods: Callable[[Period, Calendar], list[Period]]
    n: int  # how many periods the reference names (a mean of 4 weeks, of 3 months)


def _trading(step: int, n: int) -> Callable[[Period, Calendar], list[Period]]:
    """The ``n`` trading days before a day, ``step`` days apart: the previous trading day (1), the
    same weekday last week and the ones before (7), passing over the days the store is closed."""
    return lambda p, cal: [Period.day(d) for d in cal.trading_before(p.start, step, n)]


BASES: dict[str, tuple[Basis, ...]] = {
    "day": (Basis("dod", _trading(1, 1), 1), Basis("wow", _trading(7, 1), 1), Basis("w4", _trading(7, 4), 4)),
    "week": (Basis("wow", lambda p, cal: [p.previous()], 1), Basis("yoy", lambda p, cal: [p.last_year()], 1),
             Basis("w4", lambda p, cal: p.before(4), 4)),
    "month": (Basis("mom", lambda p, cal: [p.previous()], 1), Basis("yoy", lambda p, cal: [p.last_year()], 1),
              Basis("m3", lambda p, cal: p.before(3), 3)),
}
#: the comparison a mail subject and digest quote, per period kind
HEADLINE = {"day": "wow", "week": "wow", "month": "mom"}


def reference(values: list[Any]) -> Any:
    """What a figure is compared with: the one value, or the mean of those present (None if none is)."""
    if len(values) == 1:
        return values[0]
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def held(period: Period, covered: Callable[[Period], bool] = lambda p: True,
         calendar: Calendar = ALWAYS_OPEN) -> dict[str, list[Period]]:
    """{basis key: the periods its reference is made of}: only those the data ``covered`` wholly (a
    week half before the store's first order would drag a 4-week mean down and hide a bad week).
    A mean of several periods needs at least 2 of them; fewer, and it is no mean: an empty list,
    and every change against it is "—". The one place the rule lives (METRICS.md, comparisons)."""
    out = {}
    for b in BASES[period.kind]:
        ps = [p for p in b.periods(period, calendar) if covered(p)]
        out[b.key] = ps if b.n == 1 or len(ps) >= 2 else []
    return out


def short(period: Period, bases: dict[str, list[Period]]) -> dict[str, int]:
    """{basis key: how many periods its mean holds} for the means that hold fewer than named
    (the KPI table says 较近4周均值（2周）)."""
    named = {b.key: b.n for b in BASES[period.kind]}
    return {k: len(ps) for k, ps in bases.items() if ps and len(ps) < named[k]}


def changes(period: Period, values: Callable[[Period], dict[str, Any]], ids: list[str],
            covered: Callable[[Period], bool] = lambda p: True,
            bases: dict[str, list[Period]] | None = None) -> dict[str, dict[str, float | None]]:
    """{basis key: {metric id: relative change}} of ``period``'s figures against each basis, over the
    periods :func:`held` keeps (or ``bases``, held already); with none left there is no change."""
    now = values(period)
    out = {}
    for key, ps in (bases if bases is not None else held(period, covered)).items():
        refs = [values(p) for p in ps]
        out[key] = {k: formats.relative_change(now[k], reference([r[k] for r in refs])) if refs else None
                    for k in ids}
    return out


def keys(period_kind: str) -> list[str]:
    return [b.key for b in BASES[period_kind]]


def headline(period: Period, calendar: Calendar = ALWAYS_OPEN) -> Period:
    """The period a mail subject and the GMV bridge compare with: the same weekday last week (the
    last one the store traded) for a day, the previous week or month."""
    (basis,) = [b for b in BASES[period.kind] if b.key == HEADLINE[period.kind]]
    return basis.periods(period, calendar)[0]
