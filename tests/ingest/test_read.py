"""The column reader gives exactly the rows and lines of the row reader, or declines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storeops.ingest import read


def _rows(table: read.Table, start: int) -> list[tuple[int, list[str]]]:
    """(line, cells) of every row that is not blank, as ingest takes them."""
    return [(line, list(cells)) for line, cells in table.rows(start) if "".join(cells).strip()]


def _columns(table: read.Table, header: int) -> list[tuple[int, list[str]]]:
    out = []
    for rows, lines in read.batches(table, header):
        cells = zip(*(c.to_pylist() for c in rows.columns))
        out += [(int(line), list(r)) for line, r in zip(lines, cells) if "".join(r).strip()]
    return out


_TEXT = st.text(alphabet=st.sampled_from(['a', 'b', ',', '"', '\n', '\r', ' ', '\t', '广', '=', '\ufeff']), max_size=60)


@settings(max_examples=400, deadline=None)
@given(body=_TEXT, encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]), title=st.booleans())
def test_column_reader_is_the_row_reader(tmp_path_factory, body, encoding, title):
    path = tmp_path_factory.mktemp("csv") / "f.csv"
    head = ("订单报表 2026\r\n" if title else "") + "a,b,c\r\n"
    path.write_bytes((head + body).encode(encoding))
    table = read.read(path)
    header = int(title)
    try:
        got = _columns(table, header)
    except read.NotColumnar:
        return
    assert got == _rows(table, header + 1)


@pytest.mark.parametrize("body, why", [
    ("1,2\n", "a short row"), ('1,"2,3\n', "a quote left open"), ("1,2,3,4\n", "a long row"),
    ("\ufeff1,2,3\n", "a byte-order mark in the first cell, which Arrow would drop"),
    ("1,2,3\n\n4,5,6\n", None), ("1,2,3\r4,5,6\n", None), ('1,"x\r\ny",3\n4,5,6', None),
])
def test_column_reader_declines_what_it_cannot_read_exactly(tmp_path, body, why):
    path = tmp_path / "f.csv"
    path.write_text("a,b,c\n" + body, encoding="utf-8", newline="")
    table = read.read(path)
    if why:
        with pytest.raises(read.NotColumnar):
            _columns(table, 0)
    else:
        assert _columns(table, 0) == _rows(table, 1)


def test_undecodable_bytes_are_read_row_by_row(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes("a,b\n1,广东\n".encode("utf-8") + b"2,\xff\n")
    with pytest.raises(read.NotColumnar):
        _columns(read.read(path), 0)


@pytest.mark.parametrize("block", [5, read.BLOCK])
@pytest.mark.parametrize("lines, ending, expected", [
    # 3 UTF-8 lines and 1 with a stray byte: 3 of 4 wide lines are UTF-8 (≥ half): UTF-8, not whole
    (["订单,广东".encode(), "订单,深圳".encode(), "a,b".encode(), "订单,上海".encode(), b"x,\xff"], b"\n", ("utf-8", False)),
    # GBK throughout: no wide line is UTF-8
    (["订单,广东".encode("gbk"), "订单,深圳".encode("gbk"), b"a,b"], b"\n", ("gb18030", False)),
    # 1 UTF-8 and 2 GBK lines: 1 × 2 < 3 wide lines: GB18030; 2 and 2: 2 × 2 ≥ 4: UTF-8
    (["订单".encode(), "订单".encode("gbk"), "深圳".encode("gbk")], b"\n", ("gb18030", False)),
    (["订单".encode(), "广东".encode(), "订单".encode("gbk"), "深圳".encode("gbk")], b"\r\n", ("utf-8", False)),
    # lines ending in a lone CR are one line to the vote (as the line-by-line reading had them): GBK
    (["订单,广东".encode("gbk"), "订单".encode()], b"\r", ("gb18030", False)),
])
def test_the_encoding_vote_counts_wide_lines_that_are_utf8(tmp_path, monkeypatch, block, lines, ending, expected):
    """A file that is not UTF-8 throughout is UTF-8 when at least half its lines with a byte past
    ASCII are UTF-8 (one stray byte does not make mojibake of it), else GB18030; counted in blocks."""
    monkeypatch.setattr(read, "BLOCK", block)
    path = tmp_path / "f.csv"
    path.write_bytes(ending.join(lines) + ending)
    assert read.encoding(path) == expected


def test_the_header_row_is_the_one_with_the_required_and_most_expected_names(tmp_path):
    # a title line, an export-time line, the header on row 2 (a full-width space and a BOM cleaned off its
    # cells), a row of data; rows sharing no name with a preset are passed over without changing the answer
    path = tmp_path / "订单报表.csv"
    path.write_text("订单报表 2026-11\n导出时间,2026-11-27\n\ufeff订单编号,买家会员名\u3000,支付金额\n1001,tb1,9.90\n",
                    encoding="utf-8")
    table = read.read(path)
    assert read.find_header(table, ["订单编号", "买家会员名", "支付金额", "退款金额"], ["订单编号"]) == (2, 0.75, [])
    assert read.find_header(table, ["订单编号", "买家会员名", "支付金额", "退款金额"], ["订单编号", "物流单号"]) == (
        2, 0.75, ["物流单号"])
    # a required name only on row 1 makes row 1 the header (it fits; row 2 has more names but does not)
    assert read.find_header(table, ["订单编号"], ["导出时间"]) == (1, 0.0, [])
    assert read.find_header(table, ["物流单号"], ["物流单号"]) == (0, 0.0, ["物流单号"])  # no row: the first
