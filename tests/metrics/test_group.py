"""The group's figures from its stores' (metrics.group, group.config.Rates, group.context.months),
on hand-made figures worked out by hand."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal as D

import pytest

from storeops.errors import ConfigError
from storeops.group.config import Rates
from storeops.group.context import months
from storeops.metrics import group as g
from storeops.periods import Period

A = {"order_amount": D("1100.00"), "orders": 12, "ordering_buyers": 9, "paid_amount": D("1000.00"), "paid_orders": 10,
     "paying_buyers": 8, "uv": 400, "pv": 900, "ad_cost": D("200.00"), "refund_amount": D("50.00"),
     "refunded_lines": 3, "paid_lines": 30}
B_USD = {"order_amount": D("130.00"), "orders": 4, "ordering_buyers": 3, "paid_amount": D("123.45"), "paid_orders": 3,
         "paying_buyers": 2, "uv": 50, "pv": 150, "ad_cost": D("20.01"), "refund_amount": D("0.05"),
         "refunded_lines": 1, "paid_lines": 9}


def test_money_is_converted_to_the_cent_half_up():
    assert g.money(D("123.45"), D("7.1234")) == D("879.38")  # 879.38373
    assert g.money(D("0.5"), D("0.01")) == D("0.01")  # 0.005: half up, as a bank rounds (half even gives 0.00)
    assert g.money(None, D("7")) is None
    b = g.convert(B_USD, D("7.1234"))
    assert (b["ad_cost"], b["refund_amount"], b["order_amount"]) == (D("142.54"), D("0.36"), D("926.04"))
    assert (b["paid_orders"], b["uv"]) == (3, 50)  # counts are not converted


def test_the_group_adds_the_stores_and_works_its_ratios_from_the_sums():
    t = g.combine([g.convert(A, D(1)), g.convert(B_USD, D("7.1234"))])
    assert t["paid_amount"] == D("1879.38")
    assert (t["paid_orders"], t["paying_buyers"], t["uv"], t["pv"]) == (13, 10, 450, 1050)
    assert (t["ad_cost"], t["refund_amount"], t["order_amount"]) == (D("342.54"), D("50.36"), D("2026.04"))
    assert t["conversion"] == pytest.approx(10 / 450)  # 0.0222, not the mean of 8/400 and 2/50 (0.03) …
    assert t["atv"] == pytest.approx(187.938)
    assert t["aov"] == pytest.approx(1879.38 / 13)
    assert t["uv_value"] == pytest.approx(1879.38 / 450)  # 4.1764
    assert t["store_roas"] == pytest.approx(1879.38 / 342.54)
    assert t["refund_rate"] == pytest.approx(4 / 39)  # … and 3/30, 1/9 average to 0.1056, not 0.1026


def test_a_figure_one_store_does_not_track_is_no_group_figure():
    no_traffic = {**B_USD, "uv": None, "pv": None}
    t = g.combine([A, no_traffic])
    assert t["uv"] is None and t["conversion"] is None and t["uv_value"] is None  # never 400 visitors "in total"
    assert t["paid_amount"] == D("1123.45") and t["atv"] == pytest.approx(112.345)


def test_a_store_s_change_splits_into_sales_and_the_rate_to_the_cent():
    # $100.00 at 7.00 a month ago, $120.00 at 7.20 now: 700.00 → 864.00; now at the old rate 840.00
    r = g.bridge_row(D("700.00"), D("864.00"), D("840.00"), D("7.00"),
                     {"bridge_uv": D("3.335"), "bridge_conversion": D("3.335"), "bridge_atv": D("13.33")})
    assert (r["change"], r["sales"], r["bridge_rate"]) == (D("164.00"), D("140.00"), D("24.00"))
    # 23.345 → 23.35, 23.345 → 23.35, 93.31: 140.01; the cent over comes off the largest part
    assert (r["bridge_uv"], r["bridge_conversion"], r["bridge_atv"]) == (D("23.35"), D("23.35"), D("93.30"))
    assert r["bridge_uv"] + r["bridge_conversion"] + r["bridge_atv"] + r["bridge_rate"] == r["change"]
    none = g.bridge_row(D("10.00"), D("12.00"), D("12.00"), D(1), None)
    assert none["bridge_uv"] is None and none["sales"] == D("2.00") and none["bridge_rate"] == 0
    total = g.add_rows([{"name": "a", **r}, {"name": "b", **none}])
    assert total["change"] == D("166.00") and total["bridge_uv"] is None and "name" not in total


def test_a_plan_weighs_last_year_by_this_year_s_trend():
    # last year's month 1,000; the 3 months before 600 against 500 a year earlier: × 1.2
    assert g.plan_weight(D("1000"), D("600"), D("500"), 92, 31) == (D("1200.0"), 1.2)
    # a store that opened since: no last year, its run rate 900 over 90 days of data for a 31-day month
    assert g.plan_weight(None, D("900"), None, 90, 31) == (D("310"), None)
    assert g.plan_weight(D("1000"), D("600"), None, 92, 31) == (D("1000"), None)  # no year-back base: trend unknown


def test_rates_by_month_then_one_per_currency_and_a_missing_one_is_named():
    r = Rates("CNY", {"USD": D("7.10")}, {("2026-11", "USD"): D("7.12"), ("2026-11", "EUR"): D("7.70")}, "g.yaml")
    assert r.rate("USD", _dt.date(2026, 11, 5)) == D("7.12")
    assert r.rate("USD", _dt.date(2026, 10, 5)) == D("7.10")
    assert r.rate("CNY", _dt.date(2026, 10, 5)) == 1
    with pytest.raises(ConfigError, match=r"g.yaml: no exchange rate for EUR in 2026-10"):
        r.rate("EUR", _dt.date(2026, 10, 1))


def test_a_period_is_cut_at_month_ends_for_its_rates():
    w49 = Period.parse("2026-W49")  # Mon 2026-11-30 … Sun 2026-12-06
    assert [(p.start, p.end) for p in months(w49)] == [(_dt.date(2026, 11, 30),) * 2,
                                                      (_dt.date(2026, 12, 1), _dt.date(2026, 12, 6))]
    w47 = Period.parse("2026-W47")
    assert months(w47) == [w47]


def test_a_store_s_share_of_the_group():
    assert g.share(D("50.00"), D("200.00")) == 0.25
    assert g.share(D("50.00"), D("0")) is None and g.share(None, D("200.00")) is None  # no total: no share
