"""Competitors in March 2026, worked by hand.

competitor item  seen (price, monthly sales)           category first seen   last in March → est. sales
X          i1    03-01 (100, 10), 03-20 (90, 20)       裙       2026-01-01   90 × 20 = 1,800
X          i2    03-15 (50, 4)                         裤       2026-03-15   200 (new in March)
Y          j1    03-10 (200, 1)                        裙       2026-02-01   200
Y          j2    02-20 only                            裙                    not tracked in March
Ours on sale: 裙 at 100 and 120 (median 110), 裤 at 40, 外套 at 300 (no competitor).
Price index: 裙 median(90, 200) = 145 ÷ 110; 裤 50 ÷ 40.
"""

from __future__ import annotations

import pandas as pd
import pytest

from storeops.metrics import competitors
from storeops.periods import Period
from tests.conftest import load

MARCH = Period.parse("2026-03")


@pytest.fixture
def t(con):
    def seen(comp, item, date, price, ms, cat, first):
        return dict(date=date, competitor=comp, item_id=item, title=item, category=cat, price=price,
                    monthly_sales=ms, first_seen=first)

    return load(con, competitor_products=[
        seen("X", "i1", "2026-03-01", "100", 10, "裙", "2026-01-01"), seen("X", "i1", "2026-03-20", "90", 20, "裙", "2026-01-01"),
        seen("X", "i2", "2026-03-15", "50", 4, "裤", "2026-03-15"), seen("Y", "j1", "2026-03-10", "200", 1, "裙", "2026-02-01"),
        seen("Y", "j2", "2026-02-20", "70", 9, "裙", "2026-02-01")],
        products=[dict(sku=s, product_id=s, title=s, category=c, price=p, status="on_sale")
                  for s, c, p in (("a", "裙", "100"), ("b", "裙", "120"), ("c", "裤", "40"), ("d", "外套", "300"))])


def test_summary_per_competitor(t):
    s = competitors.summary(t, MARCH)
    assert s.values.tolist() == [["X", 2, 1, 2000.0], ["Y", 1, 0, 200.0]]


def test_top_items_and_price_index(t):
    assert competitors.top_items(t, MARCH, 1).item_id.tolist() == ["i1", "j1"]
    pi = competitors.price_index(t, MARCH).set_index("category")
    assert pi.price_index.to_dict() == pytest.approx({"裙": 145 / 110, "裤": 50 / 40})


def test_no_snapshots_no_error(t):
    assert competitors.summary(t, Period.parse("2025-03")).empty
    assert competitors.price_index(t, Period.parse("2025-03")).empty


def test_one_snapshot_is_taken_whole_and_an_empty_first_seen_is_the_first_snapshot(t, con):
    con.raw_sql("UPDATE competitor_products SET price = NULL, monthly_sales = NULL WHERE date = DATE '2026-03-20'")
    con.raw_sql("UPDATE competitor_products SET first_seen = NULL WHERE item_id IN ('j1', 'j2')")
    i1 = competitors.latest(t, MARCH).set_index("item_id").loc["i1"]
    assert str(i1.date)[:10] == "2026-03-20" and pd.isna(i1.price)  # not 03-01's price under 03-20's date
    # j1 has no first_seen: its first snapshot is 03-10, so it is new in March
    s = competitors.summary(t, MARCH).set_index("competitor")
    assert s.loc["Y", "new_items"] == 1
