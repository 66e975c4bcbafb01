"""The GMV bridge: a change of paid amount split between visitors, conversion and spend per buyer.

paid_amount = uv × conversion × atv holds exactly, so
Δ paid_amount = Σ over the three factors of L(G₁, G₀) × ln(f₁ ÷ f₀), where
L(a, b) = (a − b) ÷ (ln a − ln b) is the logarithmic mean (L(a, a) = a). This is
METRICS.md's log-change share, Δln(f) ÷ Δln(G) × ΔG, written so that it also
holds when G did not change. Parts are rounded to the cent and the rounding
remainder goes to the largest part, so they add up to the change exactly.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

CENT = Decimal("0.01")
PARTS = ("bridge_uv", "bridge_conversion", "bridge_atv")


def _factors(v: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal] | None:
    uv, buyers, paid = v.get("uv"), v.get("paying_buyers"), v.get("paid_amount")
    if not uv or not buyers or not paid or uv <= 0 or buyers <= 0 or paid <= 0:
        return None
    uv, buyers, paid = Decimal(str(uv)), Decimal(str(buyers)), Decimal(str(paid))
    return uv, buyers / uv, paid / buyers


def gmv_bridge(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Decimal] | None:
    """Split ``after.paid_amount − before.paid_amount`` into UV, conversion and ATV parts.

    ``before``/``after`` carry uv, paying_buyers and paid_amount. None when a
    factor is zero on either side (no sales: nothing to split). Computed in
    50-digit decimals: with floats, ln G₁ − ln G₀ loses most of its digits when
    the two days' GMV are close, and the parts drift by whole yuan.

    >>> b = gmv_bridge({"uv": 100, "paying_buyers": 5, "paid_amount": Decimal("500.00")},
    ...                {"uv": 200, "paying_buyers": 10, "paid_amount": Decimal("1000.00")})
    >>> b["bridge_uv"], b["bridge_conversion"], b["bridge_atv"]
    (Decimal('500.00'), Decimal('0.00'), Decimal('0.00'))
    """
    with localcontext() as ctx:
        ctx.prec = 50
        f0, f1 = _factors(before), _factors(after)
        if f0 is None or f1 is None:
            return None
        g0, g1 = Decimal(str(before["paid_amount"])), Decimal(str(after["paid_amount"]))
        change = g1 - g0
        weight = g1 if change == 0 else change / (g1.ln() - g0.ln())
        raw = [weight * (x1 / x0).ln() for x0, x1 in zip(f0, f1)]
        parts = [r.quantize(CENT, ROUND_HALF_EVEN) for r in raw]
        parts[max(range(3), key=lambda i: abs(raw[i]))] += change - sum(parts)
    return {**dict(zip(PARTS, parts)), "before": g0, "after": g1, "change": change}
