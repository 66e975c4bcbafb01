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

from storeops.periods import Period
from storeops.present import formats


@dataclass(frozen=True)
class Basis:
    key: str  # dod | wow | w4 | yoy | mom | m3
    periods: Callable[[Period], list[Period]]  # compared with the mean of these


def _same_weekdays(n: int) -> Callable[[Period], list[Period]]:
    return lambda p: [p.shifted(-7 * k) for k in range(1, n + 1)]


BASES: dict[str, tuple[Basis, ...]] = {
    "day": (Basis("dod", lambda p: [p.previous()]), Basis("wow", _same_weekdays(1)), Basis("w4", _same_weekdays(4))),
    "week": (Basis("wow", lambda p: [p.previous()]), Basis("yoy", lambda p: [p.last_year()]),
             Basis("w4", lambda p: p.before(4))),
    "month": (Basis("mom", lambda p: [p.previous()]), Basis("yoy", lambda p: [p.last_year()]),
              Basis("m3", lambda p: p.before(3))),
}
#: the comparison a mail subject and digest quote, per period kind
HEADLINE = {"day": "wow", "week": "wow", "month": "mom"}
#: the period each review covers
PERIOD_KIND = {"daily": "day", "weekly": "week", "monthly": "month", "replenishment": "day"}


def reference(values: list[Any]) -> Any:
    """What a figure is compared with: the one value, or the mean of those present (None if none is)."""
    if len(values) == 1:
        return values[0]
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


def changes(period: Period, values: Callable[[Period], dict[str, Any]], ids: list[str],
            covered: Callable[[Period], bool] = lambda p: True) -> dict[str, dict[str, float | None]]:
    """{basis key: {metric id: relative change}} of ``period``'s figures against each basis. Only
    periods the data ``covered`` wholly count: a week half before the store's first order would
    drag a 4-week mean down (and hide a bad week); with none left, there is no change to give."""
    now = values(period)
    out = {}
    for b in BASES[period.kind]:
        refs = [values(p) for p in b.periods(period) if covered(p)]
        out[b.key] = {k: formats.relative_change(now[k], reference([r[k] for r in refs])) if refs else None
                      for k in ids}
    return out


def keys(period_kind: str) -> list[str]:
    return [b.key for b in BASES[period_kind]]


def headline(period: Period) -> Period:
    """The period a mail subject and the GMV bridge compare with: the same weekday last week for a
    day, the previous week or month."""
    (basis,) = [b for b in BASES[period.kind] if b.key == HEADLINE[period.kind]]
    return basis.periods(period)[0]
