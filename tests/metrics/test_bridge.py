"""The GMV bridge adds up to the change, to the cent."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

from hypothesis import given, settings
from hypothesis import strategies as st

from storeops.metrics.bridge import gmv_bridge


def test_hand_worked():
    # before: 100 visitors, 4 buyers, ¥400.00 (conversion 4 %, ATV ¥100)
    # after:  120 visitors, 6 buyers, ¥540.00 (conversion 5 %, ATV ¥90)
    # L = 140 ÷ ln(540/400) = 466.50; parts = L × ln 1.2, L × ln 1.25, L × ln 0.9
    b = gmv_bridge({"uv": 100, "paying_buyers": 4, "paid_amount": Decimal("400.00")},
                   {"uv": 120, "paying_buyers": 6, "paid_amount": Decimal("540.00")})
    L = 140 / math.log(1.35)
    assert b["bridge_uv"] == Decimal("85.05") == Decimal(f"{L * math.log(1.2):.2f}")
    assert b["bridge_conversion"] == Decimal("104.10") == Decimal(f"{L * math.log(1.25):.2f}")
    assert b["bridge_atv"] == Decimal("-49.15") == Decimal(f"{L * math.log(0.9):.2f}")
    assert b["change"] == Decimal("140.00") == b["bridge_uv"] + b["bridge_conversion"] + b["bridge_atv"]


def test_no_change_in_paid_amount_still_splits():
    # twice the visitors at half the conversion: the parts cancel exactly
    b = gmv_bridge({"uv": 100, "paying_buyers": 10, "paid_amount": Decimal("1000.00")},
                   {"uv": 200, "paying_buyers": 10, "paid_amount": Decimal("1000.00")})
    assert b["bridge_uv"] == Decimal("693.15") and b["bridge_conversion"] == Decimal("-693.15")
    assert b["bridge_atv"] == 0 and b["change"] == 0


def test_no_sales_on_a_side_gives_no_bridge():
    day = {"uv": 100, "paying_buyers": 3, "paid_amount": Decimal("10.00")}
    assert gmv_bridge({"uv": 100, "paying_buyers": 0, "paid_amount": Decimal("0")}, day) is None
    assert gmv_bridge(day, {"uv": 0, "paying_buyers": 0, "paid_amount": Decimal("0")}) is None


side = st.tuples(st.integers(1, 10**6), st.integers(1, 10**4), st.integers(1, 10**10)).filter(
    lambda x: x[1] <= x[0])


def _reference(a, b):
    """The log-change shares, computed independently at 80 digits."""
    with localcontext() as ctx:
        ctx.prec = 80
        g0, g1 = Decimal(a[2]) / 100, Decimal(b[2]) / 100
        L = g1 if g0 == g1 else (g1 - g0) / (g1.ln() - g0.ln())
        f = [(Decimal(a[0]), Decimal(b[0])),
             (Decimal(a[1]) / a[0], Decimal(b[1]) / b[0]),
             (g0 / a[1], g1 / b[1])]
        return [L * (y / x).ln() for x, y in f]


@settings(max_examples=400, deadline=None)
@given(side, side)
def test_parts_add_up_to_the_change_to_the_cent(a, b):
    def day(x):
        return {"uv": x[0], "paying_buyers": x[1], "paid_amount": Decimal(x[2]) / 100}

    r = gmv_bridge(day(a), day(b))
    parts = [r["bridge_uv"], r["bridge_conversion"], r["bridge_atv"]]
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)
    assert sum(parts) == Decimal(b[2] - a[2]) / 100
    # each part is its log-change share rounded to the cent; the largest also takes the
    # rounding remainder of the other two (at most a cent from each, and half its own)
    exact = _reference(a, b)
    largest = max(range(3), key=lambda i: abs(exact[i]))
    for i, (p, e) in enumerate(zip(parts, exact)):
        assert abs(p - e) <= (Decimal("0.025") if i == largest else Decimal("0.005")), (i, p, e)


def test_the_case_floats_got_wrong():
    # two days of ~¥50M GMV that differ by ¥2.88: ln G₁ − ln G₀ cancels almost every float digit
    a, b = (1, 1, 4_999_918_026), (2, 1, 4_999_917_738)
    r = gmv_bridge({"uv": a[0], "paying_buyers": a[1], "paid_amount": Decimal(a[2]) / 100},
                   {"uv": b[0], "paying_buyers": b[1], "paid_amount": Decimal(b[2]) / 100})
    exact = _reference(a, b)
    assert [abs(p - e) < Decimal("0.03") for p, e in zip(
        (r["bridge_uv"], r["bridge_conversion"], r["bridge_atv"]), exact)] == [True] * 3
