"""The group's figures from its stores' (METRICS.md, definitions unchanged): each store's money
converted to the reporting currency and rounded to the cent, then added up; a ratio of the group
is worked out again from the group's sums (its conversion is Σ paying buyers ÷ Σ visitors, never a
mean of the stores' rates). A figure a store does not track is no figure of the group's either
(None, shown "—"), never a total that quietly leaves that store out.

>>> combine([{"paid_amount": Decimal("100.00"), "paying_buyers": 2, "uv": 10},
...          {"paid_amount": Decimal("50.00"), "paying_buyers": 1, "uv": 20}])["conversion"]
0.1
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
PARTS = ("bridge_uv", "bridge_conversion", "bridge_atv")  # metrics.bridge
MONEY = ("order_amount", "paid_amount", "ad_cost", "refund_amount")
#: figures that add up over stores (refunded_lines and paid_lines make the refund rate)
ADDITIVE = (*MONEY, "orders", "ordering_buyers", "paid_orders", "paying_buyers", "uv", "pv",
            "refunded_lines", "paid_lines")
#: id: (numerator, denominator) over the group's sums (metrics.sales, metrics.ads)
RATIOS = {"conversion": ("paying_buyers", "uv"), "atv": ("paid_amount", "paying_buyers"),
          "aov": ("paid_amount", "paid_orders"), "uv_value": ("paid_amount", "uv"),
          "store_roas": ("paid_amount", "ad_cost"), "refund_rate": ("refunded_lines", "paid_lines")}
#: the group's headline figures, in the order its KPI table shows them
KPI_IDS = ["paid_amount", "paid_orders", "paying_buyers", "uv", "conversion", "atv", "aov", "uv_value",
           "order_amount", "orders", "ad_cost", "store_roas", "refund_amount", "refund_rate"]


def cents(v: Any) -> Decimal:
    return Decimal(str(v)).quantize(CENT, ROUND_HALF_UP)


def money(v: Any, rate: Decimal) -> Decimal | None:
    """An amount in a store's currency at ``rate``, to the cent (half up, as a bank rounds)."""
    return None if v is None else cents(Decimal(str(v)) * rate)


def convert(values: dict[str, Any], rate: Decimal) -> dict[str, Any]:
    """A store's figures with its money at ``rate``; counts as they are."""
    return {k: money(v, rate) if k in MONEY else v for k, v in values.items()}


def ratios(v: dict[str, Any]) -> dict[str, Any]:
    """``v`` with the ratios worked out from its sums (None where a part is missing or the base is 0)."""
    out = dict(v)
    for k, (num, den) in RATIOS.items():
        a, b = v.get(num), v.get(den)
        out[k] = None if a is None or not b else float(a) / float(b)
    return out


def combine(stores: list[dict[str, Any]]) -> dict[str, Any]:
    """The group's figures from its stores' (converted already): Σ of each additive figure, None if
    any store lacks it; the ratios from those sums."""
    total: dict[str, Any] = {}
    for k in ADDITIVE:
        vals = [s.get(k) for s in stores]
        if all(k not in s for s in stores):
            continue
        total[k] = None if any(v is None for v in vals) else sum(vals, Decimal(0) if k in MONEY else 0)
    return ratios(total)


def share(part: Any, whole: Any) -> float | None:
    """A store's share of the group (its paid amount ÷ the group's), or the online share of the company."""
    return None if part is None or not whole else float(part) / float(whole)


def rate_of(converted: Decimal | None, local: Any, fallback: Decimal) -> Decimal:
    """The rate a period's amount was converted at in effect: its converted ÷ its own amount (one
    month: that month's rate; across a month end: the rates weighted by each part's sales), or
    ``fallback`` where it sold nothing."""
    if not local or converted is None:
        return fallback
    return Decimal(str(converted)) / Decimal(str(local))


def bridge_row(before: Decimal, now: Decimal, at_old_rate: Decimal, rate_before: Decimal,
               parts: dict[str, Decimal] | None) -> dict[str, Decimal | None]:
    """One store's change of paid amount in the reporting currency, split so it adds up to the cent:
    what its sales moved at the compared period's rate (by visitors, conversion and spend per buyer
    where ``parts``, metrics.bridge's split in the store's currency) and what the rate moved.

    ``before`` and ``now`` are converted already; ``at_old_rate`` is ``now``'s amount at the compared
    period's rate ``rate_before``. sales = at_old_rate − before; bridge_rate = now − at_old_rate. The
    parts at ``rate_before`` leave a rounding remainder, which goes to the largest, as metrics.bridge."""
    out: dict[str, Decimal | None] = {"before": before, "after": now, "change": now - before,
                                      "sales": at_old_rate - before, "bridge_rate": now - at_old_rate}
    if parts:
        conv = {k: money(parts[k], rate_before) for k in PARTS}
        big = max(PARTS, key=lambda k: abs(parts[k]))
        conv[big] += out["sales"] - sum(conv.values())
        out.update(conv)
    else:
        out.update({k: None for k in PARTS})
    return out


def add_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sum of bridge rows, column by column (None where a row lacks the column); text columns (the
    store's name) are not summed."""
    keys = [k for k in rows[0] if not isinstance(rows[0][k], str)] if rows else []
    return {k: None if any(r.get(k) is None for r in rows) else sum((r[k] for r in rows), Decimal(0)) for k in keys}


def plan_weight(last_year: Decimal | None, recent: Decimal, recent_before: Decimal | None, recent_days: int,
                month_days: int) -> tuple[Decimal, float | None]:
    """A store's weight in the group's plan for a month, and its trend: the same month last year ×
    this year's trend (the 3 months before against the same 3 a year earlier). None is a month the
    store's data does not wholly cover (it opened since): without last year's month the store weighs
    its run rate (``recent`` over the ``recent_days`` it had data, for ``month_days``); without the
    year-back months its trend is unknown (None) and counts as 1."""
    trend = float(recent / recent_before) if recent_before else None
    if last_year:
        return last_year * Decimal(str(1 if trend is None else trend)), trend
    return (recent / recent_days * month_days if recent_days else Decimal(0)), trend
