"""Advertising on a hand-made day. D = 2026-03-10.

campaign        impr   clicks  cost    orders  gmv     ctr   cpc   cvr   roas
直通车·A         1000   50      100.00  5       400.00  5 %   2.00  10 %  4.0
直通车·B         2000   100     150.00  2       150.00  5 %   1.50  2 %   1.0
淘宝客·C         0      0       0.00    0       0.00    —     —     —     —
(D−1 直通车·A cost 999.00 is outside the day but inside the month.)
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from storeops.metrics import ads
from storeops.metrics.base import evaluate
from storeops.periods import Period
from tests.conftest import load

D = Period.day("2026-03-10")


def _ad(date, ch, camp, impr, clicks, cost, orders, gmv):
    return dict(date=date, channel=ch, campaign=camp, impressions=impr, clicks=clicks, cost=cost, orders=orders, gmv=gmv)


@pytest.fixture
def t(con):
    return load(
        con,
        ads=[_ad("2026-03-10", "直通车", "A", 1000, 50, "100.00", 5, "400.00"),
             _ad("2026-03-10", "直通车", "B", 2000, 100, "150.00", 2, "150.00"),
             _ad("2026-03-10", "淘宝客", "C", 0, 0, "0.00", 0, "0.00"),
             _ad("2026-03-09", "直通车", "A", 9000, 900, "999.00", 1, "1.00")],
        orders=[dict(order_id="o1", buyer_id="b", created_at="2026-03-10 10:00", paid_at="2026-03-10 10:01",
                     goods_amount="1000.00", paid_amount="1000.00")],
        order_items=[dict(order_id="o1", line_no=1, sku="S1", qty=2, unit_price="300", amount="600.00", refund_qty=0),
                     dict(order_id="o1", line_no=2, sku="S2", qty=1, unit_price="400", amount="400.00", refund_qty=0)],
        products=[dict(sku="S1", product_id="P", title="t", unit_cost="100.00", status="on_sale"),
                  dict(sku="S2", product_id="P", title="t", unit_cost="300.00", status="on_sale")],
        targets=[dict(month="2026-03-01", category="*", gmv_target="1.00", ad_budget="3100.00")],
    )


def test_spend_and_store_roas(t):
    v = evaluate({"cost": ads.ad_cost(t, D), "roas": ads.store_roas(t, D)})
    assert v["cost"] == Decimal("250.00")  # 100 + 150 + 0
    assert v["roas"] == pytest.approx(4.0)  # paid 1000 ÷ spend 250


def test_by_campaign(t):
    df = ads.by_campaign(t, D).set_index("campaign")
    assert df.loc["A", ["ctr", "cpc", "ad_cvr", "roas"]].tolist() == pytest.approx([0.05, 2.0, 0.1, 4.0])
    assert df.loc["B", ["ctr", "cpc", "ad_cvr", "roas"]].tolist() == pytest.approx([0.05, 1.5, 0.02, 1.0])
    assert df.loc["C", ["ctr", "cpc", "ad_cvr", "roas"]].isna().all()  # no impressions: no ratio, not inf
    assert list(df.index) == ["B", "A", "C"]  # most spend first


def test_margin_and_break_even(t):
    # goods 600 + 400 = 1000 at cost 2×100 + 1×300 = 500 -> margin 50 %, break-even ROAS 2.0
    m = evaluate({"m": ads.gross_margin_rate(t, D)})["m"]
    assert m == pytest.approx(0.5)
    assert ads.breakeven_roas(m) == pytest.approx(2.0)
    assert ads.breakeven_roas(0) is None and ads.breakeven_roas(None) is None


def test_spend_pacing(t):
    # month to date (Mar 1–10): 999 + 250 = 1249; budget 3100 × 10/31 days = 1000 -> 124.9 %
    p = ads.spend_pacing(t, D)
    assert p == pytest.approx({"mtd_cost": 1249.0, "budget": 3100.0, "expected": 1000.0, "pacing": 1.249})


def test_pacing_without_budget(con):
    t = load(con, ads=[_ad("2026-03-10", "直通车", "A", 1, 1, "5.00", 0, "0")])
    assert ads.spend_pacing(t, D) == {"mtd_cost": 5.0, "budget": None, "expected": None, "pacing": None}


def test_by_channel_against_the_day_before(t):
    df = ads.by_channel(t, D, D.previous()).set_index("channel")
    assert df.index.tolist() == ["直通车", "淘宝客"]
    assert df.loc["直通车", ["cost", "gmv", "roas", "cost_before"]].tolist() == pytest.approx([250, 550, 2.2, 999])
    assert df.loc["直通车", "cost_change"] == pytest.approx(250 / 999 - 1)
    assert df.loc["直通车", "roas_change"] == pytest.approx(2.2 / (1 / 999) - 1)
    assert df.loc["淘宝客", ["roas", "cost_before", "cost_change"]].isna().all()  # no spend: no ROAS, no change


def test_costs_and_spend_by_channel_per_period(t):
    # D: spend 250, no discount, o1 ships free with no shipping cost recorded, paid 1,000 →
    # marketing cost ratio 250 / 1,000; D−1: spend 999 and nothing paid: no ratio, ROAS 0
    c = ads.costs(t, [D, D.previous()])
    assert c.period.tolist() == ["2026-03-09", "2026-03-10"]  # oldest first
    assert c.iloc[1][["ad_cost", "discounts", "free_shipping", "paid_amount", "marketing_cost_ratio", "store_roas"]
                     ].tolist() == pytest.approx([250, 0, 0, 1000, 0.25, 4.0])
    assert pd.isna(c.iloc[0].marketing_cost_ratio) and c.iloc[0].store_roas == 0
    s = ads.spend_by_channel(t, [D.previous(), D]).set_index("channel")
    assert s.loc["直通车"].tolist() == [999, 250] and s.loc["淘宝客"].tolist() == [0, 0]
