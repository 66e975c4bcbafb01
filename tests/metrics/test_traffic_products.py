"""Traffic by source and product performance on D = 2026-03-10.

Store UV 100; sources 搜索 60 and 推荐 50 (they overlap: 110 %).
order  buyer  lines                                  product UV: P1 40, P2 100, P3 200
o1     A      a1 (P1) 2 × = 200, a2 (P2) 1 × = 50
o2     B      a1 (P1) 1 × = 100
P1: paid 300, 3 units, 2 buyers, conversion 2/40 = 5 %;  P2: 50, 1, 1, 1 %;  P3: nothing sold, 0 %.
"""

from __future__ import annotations

import pytest

from storeops.metrics import products, traffic
from storeops.periods import Period
from tests.conftest import load

D = Period.day("2026-03-10")


@pytest.fixture
def t(con):
    ts = "2026-03-10 12:00"
    return load(
        con,
        traffic=[dict(date="2026-03-10", uv=100, pv=300)],
        traffic_by_source=[dict(date="2026-03-10", source="推荐", uv=50, pv=80),
                           dict(date="2026-03-10", source="搜索", uv=60, pv=120)],
        orders=[dict(order_id="o1", buyer_id="A", created_at=ts, paid_at=ts, goods_amount="250", paid_amount="250"),
                dict(order_id="o2", buyer_id="B", created_at=ts, paid_at=ts, goods_amount="100", paid_amount="100")],
        order_items=[dict(order_id="o1", line_no=1, sku="a1", qty=2, unit_price="100", amount="200", refund_qty=0),
                     dict(order_id="o1", line_no=2, sku="a2", qty=1, unit_price="50", amount="50", refund_qty=0),
                     dict(order_id="o2", line_no=1, sku="a1", qty=1, unit_price="100", amount="100", refund_qty=0)],
        products=[dict(sku="a1", product_id="P1", title="T恤", status="on_sale"),
                  dict(sku="a2", product_id="P2", title="衬衫", status="on_sale", launched_on="2026-02-01"),
                  dict(sku="a3", product_id="P3", title="外套", status="on_sale", launched_on="2026-03-01"),
                  dict(sku="a4", product_id="P4", title="旧款", status="off_sale", launched_on="2026-03-05")],
        product_traffic=[dict(date="2026-03-10", product_id=p, uv=u, pv=u, cart_adds=0, favorites=0)
                         for p, u in (("P1", 40), ("P2", 100), ("P3", 200))],
    )


def test_by_source(t):
    df = traffic.by_source(t, D)
    assert df.source.tolist() == ["搜索", "推荐"]
    assert df.uv.tolist() == [60, 50] and df.pv.tolist() == [120, 80]
    assert df.share.tolist() == pytest.approx([0.6, 0.5])  # of the store total, not of their sum


def test_product_performance(t):
    perf = products.performance(t, D).set_index("product_id")
    assert perf.loc["P1", ["paid_amount", "units", "buyers", "uv"]].tolist() == [300, 3, 2, 40]
    assert perf.loc["P2", ["paid_amount", "units", "buyers", "uv"]].tolist() == [50, 1, 1, 100]
    assert perf.loc["P3", ["paid_amount", "units", "buyers", "uv"]].tolist() == [0, 0, 0, 200]
    assert perf.loc[["P1", "P2", "P3"], "conversion"].tolist() == pytest.approx([0.05, 0.01, 0.0])
    assert perf.loc["P3", "title"] == "外套"


def test_top_and_high_uv_low_conversion(t):
    perf = products.performance(t, D)
    assert products.top(perf).product_id.tolist() == ["P1", "P2"]  # nothing sold: not in the top list
    # top quarter by UV: ≥ the 75th percentile of (40, 100, 200) = 150 -> P3; 0 % < half of 4 %
    assert products.high_uv_low_conversion(perf, 0.04).product_id.tolist() == ["P3"]
    assert products.high_uv_low_conversion(perf, None).empty


def test_bottom_and_new_products(t):
    perf, shelf = products.performance(t, D), products.on_sale(t)
    assert sorted(shelf.product_id) == ["P1", "P2", "P3"]
    assert products.bottom(perf, shelf).product_id.tolist() == ["P3", "P2", "P1"]  # P4 is off sale
    # launched in the 30 days to 03-10: P3 (03-01, its 10th day); P2 (02-01) is 37 days old
    new = products.new_products(perf, shelf, D.end)
    assert new[["product_id", "title", "paid_amount", "uv", "days_on_sale"]].values.tolist() == [["P3", "外套", 0, 200, 10]]
