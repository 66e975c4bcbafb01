import decimal

import pytest

from storeops.present import formats


@pytest.mark.parametrize("v, zh, en", [
    (123456, "¥12.3万", "¥123,456"),
    (decimal.Decimal("106292.00"), "¥10.6万", "¥106,292"),
    (370.355, "¥370.36", "¥370.36"),
    (2.5e8, "¥2.50亿", "¥250,000,000"),
    (-12345, "-¥1.2万", "-¥12,345"),
    (None, "—", "—"),
    (float("nan"), "—", "—"),
    (float("inf"), "—", "—"),
])
def test_money(v, zh, en):
    assert formats.money(v, "zh") == zh and formats.money(v, "en") == en


def test_counts_rates_changes():
    assert formats.count(8826, "en") == "8,826" and formats.count(8826, "zh") == "8,826"
    assert formats.count(28111, "zh") == "2.8万"
    assert formats.pct(0.03251756) == "3.3%" and formats.pct(None) == "—"
    assert formats.change(0.041) == "+4.1%" and formats.change(-0.02) == "−2.0%" and formats.change(0.0001) == "0.0%"
    assert formats.relative_change(110, 100) == pytest.approx(0.1)
    assert formats.relative_change(5, 0) is None and formats.relative_change(None, 3) is None
