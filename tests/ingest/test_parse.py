import contextlib
import datetime as _dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storeops.ingest import parse, plain


@pytest.mark.parametrize("raw, value", [
    ("¥1,234.00", Decimal("1234.00")), ("￥ 12", Decimal("12.00")), ("-5.5", Decimal("-5.50")),
    ("（1,000.10）", Decimal("-1000.10")), ("1234元", Decimal("1234.00")), ("", None), ("  ", None),
    ("1,234,567.89", Decimal("1234567.89")),
    # other stores' currencies, as their exports write them
    ("£12.30", Decimal("12.30")), ("-£5.50", Decimal("-5.50")), ("R$ 10.00", Decimal("10.00")),
    ("GBP 12.30", Decimal("12.30")), ("12.30 EUR", Decimal("12.30")), ("R 12.30", Decimal("12.30")),
    ("US$1,000", Decimal("1000.00")), ("€ 9.99", Decimal("9.99")),
])
def test_money(raw, value):
    assert parse.money(raw) == value


# placeholders are no amount (N/A is not 0); a comma must group thousands (125,55 is not 12555)
@pytest.mark.parametrize("raw", ["12.3.4", "abc", "1.005", "1e3", "-", "N/A", "nan", "NaN", "inf", "125,55",
                                 "1,0", "12,34.5", "123456789012345678901.00", "R", "£"])
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
                                 "2026-11-26 00:00:00"])
def test_dates(raw):
    assert parse.date(raw) == _dt.date(2026, 11, 26)


def test_day_and_month_only_in_the_order_a_preset_declares():
    # 04/05/2023: 4 May or 5 April? Neither is assumed
    with pytest.raises(parse.BadValue, match="declare date_order: dmy or mdy"):
        parse.date("04/05/2023")
    assert parse.date("04/05/2023", "dmy") == _dt.date(2023, 5, 4)
    assert parse.date("04/05/2023", "mdy") == _dt.date(2023, 4, 5)
    assert parse.date("11/26/2026", "mdy") == _dt.date(2026, 11, 26)


@pytest.mark.parametrize("raw", ["1600-01-01", "1999-12-31", "9999-12-31"])
def test_implausible_dates(raw):
    with pytest.raises(parse.BadValue, match="expected a date from 2000-01-01"):
        parse.date(raw)


@pytest.mark.parametrize("raw", ["9999-12-31 23:59:59 -0500", "0001-01-01 00:00:00 +0800", "1600-05-01 10:00:00"])
def test_implausible_times_are_refused_not_crashes(raw):
    with pytest.raises(parse.BadValue):
        parse.timestamp(raw, "Asia/Shanghai")


@pytest.mark.parametrize("raw, why", [
    ("2.61126E+15", "scientific notation"), ("2611260000178454.0", "a number with decimals"),
])
def test_excel_damaged_ids(raw, why):
    with pytest.raises(parse.BadValue, match=why):
        parse.key(raw)


@pytest.mark.parametrize("raw", ["2611260000178454\u200b", "\ufeff2611260000178454", "2611260000178454\x00",
                                 "２６１１２６００００１７８４５４", '="2611260000178454"'])
def test_keys_are_normalised(raw):
    assert parse.key(raw) == "2611260000178454"


def _rounded(ids):
    from storeops.ingest import columns

    counts = [0, 0]
    columns._count_long(pa.array(ids, pa.string()), counts, None)
    return columns.excel_rounded(counts)


def test_a_column_of_ids_rounded_by_excel():
    # 16–19 digit ids rounded to 15 significant digits: zeros past the 15th, in every one
    assert _rounded(["2611260000178450", "261126000017846000", None, "123"])
    # one in ten real ids ends in 0: that alone is no damage
    assert not _rounded(["2611260000178450", "2611260000178454"])
    assert not _rounded(["2611260000178450"])


def test_integers_fit_their_column():
    assert parse.integer("2,147,483,647", "int32") == 2**31 - 1
    for raw in ("2147483648", "1,0", "N/A", "inf"):
        with pytest.raises(parse.BadValue):
            parse.integer(raw, "int32")


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
    parser = plain.for_dtype("timestamp", "Asia/Shanghai")
    cells = pa.array(["2026-11-26 10:00:00", "", "soon", "2026-11-26 10:00:00 -0500"])
    out, bad = plain.column(cells, parser, pa.timestamp("us"))
    assert out.to_pylist() == [_dt.datetime(2026, 11, 26, 10), None, None, _dt.datetime(2026, 11, 26, 23)]
    assert bad == {2: "expected a time like 2026-11-26 10:15:00, got 'soon'"}


@pytest.mark.parametrize("address, province", [
    ("浙江省 杭州市 西湖区", "浙江"), ("上海 上海市 浦东新区", "上海"), ("广西壮族自治区 南宁市", "广西"), ("", None),
])
def test_province(address, province):
    assert parse.province(address) == province


# ---------------------------------------------------------------- the vectorised pass is the cell rules


def _cell_by_cell(cells, parser):
    out, bad = [], {}
    for i, c in enumerate(cells):
        try:
            out.append(parser(c))
        except parse.BadValue as e:
            out.append(None)
            bad[i] = str(e)
    return out, bad


_CELLS = st.one_of(
    st.text(alphabet=st.sampled_from("aZ09_-#/:@.eE+ '=\"\t\n\u3000\u200b\ufeff\xa0\x85无是"), max_size=8),
    st.none(), st.text(max_size=6),
    st.sampled_from(["-", "--", "NaN", "n/a", "None", "1e5", "12E3", "'007", '="0012"', '="1e5"', '="null"', "a-b",
                     "true", "FALSE", "Yes", "是", "1 ", "2026-02-30", "2026-02-29 10:00:00", "1999-12-31",
                     "2026-11-26 23:59:60", "2026-11-26 10:00:00 +2400", "-0", "007.50", "1.500", "１２"]),
    st.from_regex(r"-?\d{1,17}(\.\d{1,3})?", fullmatch=True),
    st.from_regex(r"(19|20|21)\d\d-[01]\d-[0-3]\d", fullmatch=True),
    st.from_regex(r"(19|20|21)\d\d-[01]\d-[0-3]\d [0-2]\d:[0-5]\d:[0-5]\d( [+-][0-2]\d[0-6]\d)?", fullmatch=True))

#: (parser, Arrow type) of every column type ingest reads
_PARSERS = [(parse.text, pa.string()), (parse.key, pa.string()), (parse.money, pa.decimal128(18, 2)),
            (parse.number, pa.float64()), (parse.boolean, pa.bool_()), (parse.province, pa.string()),
            (plain.for_dtype("int32", "UTC"), pa.int32()), (plain.for_dtype("int64", "UTC"), pa.int64()),
            (plain.for_dtype("date", "UTC"), pa.date32()),
            (plain.for_dtype("timestamp", "Asia/Shanghai"), pa.timestamp("us")),
            (plain.for_dtype("timestamp", "America/New_York"), pa.timestamp("us"))]


@settings(max_examples=500, deadline=None)
@given(st.lists(_CELLS, max_size=12))
def test_a_column_parses_as_its_cells_one_by_one(cells):
    """plain.column's plain-layout pass gives what every cell gives on its own: value or reason, with
    the few-distinct-cells way (plain.FEW) and without it (every column through the plain pass)."""
    expected = {parser: _cell_by_cell(cells, parser) for parser, _ in _PARSERS}
    for few in (plain.FEW, 0):
        with _few(few):
            for parser, type in _PARSERS:
                out, bad = plain.column(pa.array(cells, pa.string()), parser, type)
                assert (out.to_pylist(), bad) == expected[parser], (parser, few)


@contextlib.contextmanager
def _few(n: int):
    kept, plain.FEW = plain.FEW, n
    try:
        yield
    finally:
        plain.FEW = kept


def test_long_columns_of_few_and_of_many_distinct_cells():
    """Columns longer than plain._SAMPLE: few distinct cells throughout (parsed cell by cell whole),
    few at the start and many after (the plain pass), few but longer than plain.SHORT (the plain
    pass), each with a bad cell named by its row."""
    few = ["139.00", "", "12.5", "abc"] * 40  # 4 distinct cells; "abc" at rows 3, 7, …
    many = ["0.00"] * 70 + [f"{i}.{i % 100:02d}" for i in range(90)] + ["1.234"]
    for cells in (few, many, few * (plain.SHORT // len(few) + 1)):
        out, bad = plain.column(pa.array(cells), parse.money, pa.decimal128(18, 2))
        assert (out.to_pylist(), bad) == _cell_by_cell(cells, parse.money)
    out, bad = plain.column(pa.array(few), parse.money, pa.decimal128(18, 2))
    assert sorted(bad) == list(range(3, 160, 4))
    assert out.to_pylist()[:3] == [Decimal("139.00"), None, Decimal("12.50")]
    assert list(plain.column(pa.array(many), parse.money, pa.decimal128(18, 2))[1]) == [160]


def test_new_york_times_across_the_clock_change():
    """An hour in which the store's zone changes its offset is converted cell by cell."""
    cells = ["2026-03-08 06:30:00 +0000", "2026-03-08 07:30:00 +0000", "2026-11-01 05:59:59 +0000",
             "2026-11-01 06:00:00 +0000", "2026-03-08 01:59:59 -0500"]
    parser = plain.for_dtype("timestamp", "America/New_York")
    out, bad = plain.column(pa.array(cells), parser, pa.timestamp("us"))
    assert not bad
    assert out.to_pylist() == [_dt.datetime(2026, 3, 8, 1, 30), _dt.datetime(2026, 3, 8, 3, 30),
                               _dt.datetime(2026, 11, 1, 1, 59, 59), _dt.datetime(2026, 11, 1, 1),
                               _dt.datetime(2026, 3, 8, 1, 59, 59)]


def test_whitespace_is_what_python_strips():
    import re
    import sys

    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    arrow = pc.match_substring_regex(pa.array(list(spaces) + ["x"]), f"^[{plain.WHITESPACE}]$").to_pylist()
    assert arrow == [True] * len(spaces) + [False]
    assert all(re.fullmatch(r"\s", c) for c in spaces)
