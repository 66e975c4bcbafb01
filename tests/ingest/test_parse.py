import datetime as _dt
from decimal import Decimal

import pytest

from storeops.ingest import parse


@pytest.mark.parametrize("raw, value", [
    ("¥1,234.00", Decimal("1234.00")), ("￥ 12", Decimal("12.00")), ("-5.5", Decimal("-5.50")),
    ("（1,000.10）", Decimal("-1000.10")), ("1234元", Decimal("1234.00")), ("", None), ("-", None),
])
def test_money(raw, value):
    assert parse.money(raw) == value


@pytest.mark.parametrize("raw", ["12.3.4", "abc", "1.005", "1e3"])
def test_money_refused(raw):
    with pytest.raises(parse.BadValue):
        parse.money(raw)


@pytest.mark.parametrize("raw, value", [
    ('="2611260000178454"', "2611260000178454"), ("'2611260000178454", "2611260000178454"),
    ("  tb123  ", "tb123"), ("", None), ("null", None),
])
def test_text(raw, value):
    assert parse.text(raw) == value


@pytest.mark.parametrize("raw, value", [("是", True), ("否", False), ("TRUE", True), ("0", False), ("y", True)])
def test_boolean(raw, value):
    assert parse.boolean(raw) is value


@pytest.mark.parametrize("raw", ["2026-11-26", "2026/11/26", "20261126", "2026.11.26", "2026年11月26日",
                                 "11/26/2026", "2026-11-26 00:00:00"])
def test_dates(raw):
    assert parse.date(raw) == _dt.date(2026, 11, 26)


@pytest.mark.parametrize("raw, value", [
    ("2026-11-26 10:15:42", _dt.datetime(2026, 11, 26, 10, 15, 42)),
    ("2026/11/26 10:15", _dt.datetime(2026, 11, 26, 10, 15)),
    ("2026-11-26T10:15:42", _dt.datetime(2026, 11, 26, 10, 15, 42)),
    ("2026-11-26 10:15:42 -0500", _dt.datetime(2026, 11, 26, 23, 15, 42)),  # to Shanghai
    ("2026-11-26T02:15:42Z", _dt.datetime(2026, 11, 26, 10, 15, 42)),
    ("2026-11-26 10:15:42 +08:00", _dt.datetime(2026, 11, 26, 10, 15, 42)),
    ("2026-11-26", _dt.datetime(2026, 11, 26)),
])
def test_timestamps_in_store_time(raw, value):
    assert parse.timestamp(raw, "Asia/Shanghai") == value


def test_column_keeps_every_cell_and_names_the_bad_ones():
    import pandas as pd

    parser = parse.for_dtype("timestamp", "Asia/Shanghai")
    out, bad = parse.column(pd.Series(["2026-11-26 10:00:00", "", "soon", "2026-11-26 10:00:00 -0500"]), parser)
    assert out == [_dt.datetime(2026, 11, 26, 10), None, None, _dt.datetime(2026, 11, 26, 23)]
    assert bad == {2: "expected a time like 2026-11-26 10:15:00, got 'soon'"}


@pytest.mark.parametrize("address, province", [
    ("浙江省 杭州市 西湖区", "浙江"), ("上海 上海市 浦东新区", "上海"), ("广西壮族自治区 南宁市", "广西"), ("", None),
])
def test_province(address, province):
    assert parse.province(address) == province
