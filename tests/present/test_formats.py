import decimal

import pytest

from storeops.present import formats


@pytest.mark.parametrize("v, zh, en", [
    (123456, "¥12.3万", "¥123,456"),
    (decimal.Decimal("106292.00"), "¥10.6万", "¥106,292"),
    (370.355, "¥370.36", "¥370.36"),
    (2.5e8, "¥2.50亿", "¥250,000,000"),
    (-12345, "−¥1.2万", "−¥12,345"),
    (2.5306e7, "¥2,530.6万", "¥25,306,000"),  # a separator inside 万 figures too
    (-0.001, "¥0.00", "¥0.00"),  # what rounds to nothing has no sign
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


# A store's money in its own currency (ISO 4217), read in zh and en: the symbol its own market writes
# (CLDR via Babel: R for the rand, where en's standard symbol is "ZAR"), its decimals (none for the
# yen), the reader's grouping (万 in zh whatever the currency).
@pytest.mark.parametrize("cur, small, zh, en", [
    ("CNY", "¥370.36", "¥12.3万", "¥123,457"),
    ("USD", "$370.36", "$12.3万", "$123,457"),
    ("GBP", "£370.36", "£12.3万", "£123,457"),
    ("BRL", "R$370.36", "R$12.3万", "R$123,457"),
    ("ZAR", "R370.36", "R12.3万", "R123,457"),
    ("JPY", "¥370", "¥12.3万", "¥123,457"),
])
def test_money_in_the_store_currency(cur, small, zh, en):
    for lang in ("zh", "en"):
        assert formats.money(370.355, lang, cur) == small
    assert formats.money(123456.7, "zh", cur) == zh and formats.money(123456.7, "en", cur) == en


def test_the_store_currency_is_the_one_its_settings_name(tmp_path):
    from storeops import config
    from storeops.errors import ConfigError
    from storeops.present import workbook
    from tests.conftest import write_config

    config.load(write_config(tmp_path, extra="", language="en").parent / "store.yaml")
    assert formats.currency() == "CNY"
    cfg = write_config(tmp_path)
    cfg.write_text(cfg.read_text().replace("timezone: Asia/Shanghai", "timezone: Europe/London\n  currency: gbp"))
    assert config.load(cfg).currency == "GBP" and formats.currency() == "GBP"
    assert formats.money(-1234.5, "en") == "−£1,234.50" and formats.signed_money(-1234.5, "zh") == "−£1,234.50"
    assert workbook.money_format() == '"£"#,##0.00;-"£"#,##0.00'
    formats.set_currency("JPY")
    assert formats.money(1234.6, "en") == "¥1,235" and workbook.money_format() == '"¥"#,##0;-"¥"#,##0'
    cfg.write_text(cfg.read_text().replace("currency: gbp", "currency: POUNDS"))
    with pytest.raises(ConfigError, match="store.currency 'POUNDS' is not an ISO 4217 currency code"):
        config.load(cfg)
    cfg.write_text(cfg.read_text().replace("currency: POUNDS", "currency: BHD"))
    with pytest.raises(ConfigError, match="BHD has 3 decimals; storeops keeps amounts to 2"):
        config.load(cfg)
    assert formats.currency() == "JPY"  # a refused file changes nothing


def test_the_examples_in_formats_hold():
    import doctest

    from storeops.present import formats as f

    assert doctest.testmod(f).failed == 0


def test_one_way_to_write_a_column():
    from storeops.present import formats as f

    # zh: the largest decides 万; a smaller amount beside it takes a second decimal, not ¥3,869.79
    scale = f.scale_of([3869.79, 28000.0, -12000.0, None], "zh")
    assert [f.money(v, "zh", scale=scale) for v in (3869.79, 28000.0, -12000.0, None)] == [
        "¥0.39万", "¥2.80万", "−¥1.20万", "—"]
    # all above 1万: one decimal, with separators inside 万
    scale = f.scale_of([25306000, 45000], "zh")
    assert [f.money(v, "zh", scale=scale) for v in (25306000, 45000)] == ["¥2,530.6万", "¥4.5万"]
    # en: whole amounts once the column reaches 10,000; cents otherwise
    scale = f.scale_of([7929.0, 12000.0], "en")
    assert [f.money(v, "en", scale=scale) for v in (7929.0, 12000.0, -0.4)] == ["¥7,929", "¥12,000", "¥0"]
    assert f.money(7929.0, "en", scale=f.scale_of([7929.0, 99.5], "en")) == "¥7,929.00"


def test_rates_read_apart_and_durations_as_said():
    from storeops.present import formats as f

    assert f.pct_places([0.0402, 0.0398, 0.04]) == 2 and f.pct_places([0.041, 0.052, None]) == 1
    assert [f.pct(v, places=2) for v in (0.0402, 0.0398)] == ["4.02%", "3.98%"]
    assert [f.duration(s, "zh") for s in (0, 59.6, 605, 3600, 3930)] == ["0秒", "1分00秒", "10分05秒", "1小时00分",
                                                                        "1小时05分"]
    assert f.duration(605, "en") == "10m 05s" and f.value(605, "seconds", "en") == "10m 05s"
