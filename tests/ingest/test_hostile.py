"""Damaged and hostile exports (issue: no silent damage, no crash): each class on a small file of
its own, with the exact stored values or the exact reason."""

from __future__ import annotations

import gzip
from decimal import Decimal

import pytest

from storeops import config, ingest
from tests.conftest import ROOT, write_config
from tests.ingest.conftest import READINGS, ingested, reading, stored

HEAD = "date,uv,pv\n"


def _one(cfg, path):
    (r,) = ingested(cfg, path)
    return r


def test_one_stray_byte_rejects_its_row_not_the_files_encoding(project, tmp_path):
    # a UTF-8 ticket file: 3 rows in Chinese, the second with a byte that is no UTF-8
    body = ("ticket_id,order_id,kind,opened_at,resolved_at,status,severity\n"
            "k1,o1,广东退款,2026-11-26 10:00:00,,open,高\n").encode() + \
        b"k2,o2,\xff\xfe\xe9,2026-11-26 10:00:00,,open,\xe9\xab\n" + \
        "k3,o3,物流异常,2026-11-26 11:00:00,,open,低\n".encode()
    path = tmp_path / "tickets.csv"
    path.write_bytes(body)
    r = _one(project, path)
    assert (r.rows_accepted, r.reasons) == (2, [(3, "column kind: not valid utf-8 text (the file's encoding); "
                                                    "the row was cut or damaged")])
    assert stored(project, "cs_tickets", "ticket_id").kind.tolist() == ["广东退款", "物流异常"]  # no 骞夸笢


def test_a_file_cut_in_the_middle_of_a_character(project, tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes(("ticket_id,order_id,kind,opened_at,resolved_at,status,severity\n"
                      "k1,o1,退款,2026-11-26 10:00:00,,open,高\nk2,o2,退款,2026-11-26 10:00:00,,open,高").encode()[:-1])
    r = _one(project, path)
    assert r.rows_accepted == 1 and r.reasons[0][0] == 3 and "not valid utf-8 text" in r.reasons[0][1]


def test_one_bad_row_in_a_gbk_file_is_that_row_alone(project, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("ticket_id,order_id,kind,opened_at,resolved_at,status,severity\n"
                     "k1,o1,退款,2026-11-26 10:00:00,,open,高\n".encode("gb18030") + b"k2,o2,\x81\x20,2026-11-26 "
                     b"10:00:00,,open,x\n" + "k3,o3,物流异常,2026-11-26 10:00:00,,open,低\n".encode("gb18030"))
    r = _one(project, path)
    assert r.rows_accepted == 2 and [line for line, _ in r.reasons] == [3]
    assert stored(project, "cs_tickets", "ticket_id").kind.tolist() == ["退款", "物流异常"]


@pytest.mark.parametrize("body, message", [
    ("date,uv,pv,uv\n2026-11-26,1,2,3\n", "the column 'uv' appears 2 times with different values"),
])
def test_duplicated_headers_that_differ_refuse_the_file(project, tmp_path, body, message):
    path = tmp_path / "dup.csv"
    path.write_text(body, encoding="utf-8")
    done, refused = ingest.ingest_paths(project, [path])
    assert done == [] and message in str(refused[0])
    path.write_text("date,uv,pv,uv\n2026-11-26,1,2,1\n", encoding="utf-8")  # identical copies: fine
    assert _one(project, path).rows_accepted == 1


@pytest.mark.parametrize("cell, reason", [
    ("N/A", "column uv: expected a whole number, got 'N/A'"), ("-", "column uv: expected a whole number, got '-'"),
    ("1,0", "column uv: expected a whole number, got '1,0'"), ("inf", "column uv: expected a whole number, got 'inf'"),
    ("3000000000000000000000", "column uv: expected a whole number up to 9,223,372,036,854,775,807, "
                               "got '3000000000000000000000'"),
])
def test_placeholders_and_locale_numbers_are_rejected(project, tmp_path, cell, reason):
    path = tmp_path / "t.csv"
    path.write_text(HEAD + f'2026-11-25,"1,234",5\n2026-11-26,"{cell}",5\n', encoding="utf-8")
    r = _one(project, path)
    assert r.reasons == [(3, reason)]
    assert stored(project, "traffic", "date").uv.tolist() == [1234]  # 1,234 is a thousands separator


def test_a_narrower_export_never_erases_what_a_wider_one_loaded(project, tmp_path):
    head = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,"
            "Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,"
            "Lineitem discount,Cancelled at")
    row = ("#3001,a@x.com,paid,2026-11-26 10:05:00 +0800,fulfilled,,CNY,100.00,0.00,0.00,100.00,0.00,"
           "2026-11-26 10:00:00 +0800,1,Tee,100.00,TEE-M,0.00,")
    wide = tmp_path / "wide.csv"
    wide.write_text(f"{head},Refunded Amount,Shipping Province\n{row},5.00,Zhejiang\n", encoding="utf-8")
    narrow = tmp_path / "narrow.csv"  # no refunds, no province: absent columns get their defaults, on new rows only
    narrow.write_text(f"{head}\n{row}\n{row.replace('#3001', '#3002')}\n", encoding="utf-8")
    _one(project, wide)
    r = _one(project, narrow)
    assert (r.rows_accepted, r.rows_rejected) == (2, 0)
    o = stored(project, "orders", "order_id")
    assert o.province.tolist()[0] == "Zhejiang" and o.province.isna().tolist() == [False, True]
    assert o.refund_amount.tolist() == [Decimal("5.00"), Decimal("0.00")]


def test_invisible_characters_do_not_make_a_second_order(project, tmp_path):
    path = tmp_path / "o.csv"
    path.write_text(HEAD.replace("date,uv,pv", "ticket_id,order_id,kind,opened_at,resolved_at,status,severity")
                    + "k1\u200b,o1\ufeff,退款,2026-11-26 10:00:00,,open,高\n", encoding="utf-8")
    _one(project, path)
    path.write_text(path.read_text(encoding="utf-8").replace("\u200b", "").replace("\ufeff", ""), encoding="utf-8")
    _one(project, path)
    t = stored(project, "cs_tickets", "ticket_id")
    assert t[["ticket_id", "order_id"]].values.tolist() == [["k1", "o1"]]


def test_an_order_listed_twice_counts_once_or_not_at_all(project):
    # #1002 pasted again unchanged: its copy adds no line; #1001 again with another Total: not loaded
    ingested(project, ROOT / "tests" / "data" / "bad" / "shopify_order_repeated.csv")
    o = stored(project, "orders", "order_id")
    assert o[["order_id", "paid_amount"]].values.tolist() == [["#1002", Decimal("30.00")],
                                                             ["#1003", Decimal("10.00")]]
    items = stored(project, "order_items", ["order_id", "line_no"])
    assert items[["order_id", "line_no", "sku", "qty"]].values.tolist() == [
        ["#1002", 1, "TEE-S", 1], ["#1002", 2, "CAP-1", 1], ["#1003", 1, "TEE-S", 1]]


SH_HEAD = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,"
           "Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,"
           "Lineitem discount,Cancelled at,Refunded Amount,Shipping Province\n")


def _sh_order(name, email="a@x.com", total="20.00"):
    return (f"{name},{email},paid,2026-11-26 10:05:00 -0500,unfulfilled,,USD,20.00,0.00,0.00,{total},0.00,"
            f"2026-11-26 10:00:00 -0500,1,Tee,20.00,TEE-M,0.00,,0.00,NY\n")


def _sh_item(name, email=""):
    return f"{name},{email},,,,,,,,,,,,1,Cap,5.00,CAP-1,0.00,,,\n"


@pytest.mark.parametrize("body", [
    _sh_order("#1") + "\n" + _sh_item("#1") + _sh_order("#2"),  # a blank line inside an order
    _sh_order("#1") + _sh_item("#1") + _sh_order("#2") + _sh_item("#1"),  # a copy of an item line only
    _sh_order("#1") + _sh_item("#1") + _sh_order("#2") + _sh_order("#1") + _sh_item("#1", "z@x.com"),  # contradicts
    _sh_order("#1") + _sh_order("") + _sh_order("") + _sh_order("#2"),  # lines without an order id
], ids=["blank-line", "item-copy", "copy-contradicts-itself", "no-order-id"])
def test_chunks_never_change_the_outcome(project, tmp_path, monkeypatch, body):
    path = tmp_path / "orders_export.csv"
    path.write_text(SH_HEAD + body, encoding="utf-8")
    whole = ingest.ingest_paths(project, [path], dry_run=True)[0][0]
    for how in READINGS[1:]:
        with monkeypatch.context() as m:
            reading(how, m)
            chunked = ingest.ingest_paths(project, [path], dry_run=True)[0][0]
        # the same lines accepted and rejected (a reason may cite the copy of a line rather than the line)
        assert [line for line, _ in chunked.reasons] == [line for line, _ in whole.reasons], how
        assert chunked.rows_accepted == whole.rows_accepted, how
        assert not any("order None" in why or "order nan" in why for _, why in chunked.reasons)
    assert whole.rows_read == whole.rows_accepted + whole.rows_rejected


def test_a_line_that_contradicts_its_orders_first_line(project, tmp_path):
    lines = (ROOT / "tests" / "data" / "bad" / "shopify_bad_line.csv").read_text(encoding="utf-8").splitlines()
    # #1002's second line names another buyer: the whole order goes, naming both lines
    lines[3] = lines[3].replace("#1002,,", "#1002,c@x.com,").replace(",two,", ",1,")
    path = tmp_path / "orders_export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (r,) = ingested(project, path)
    assert r.reasons == [(3, "order #1002 has a rejected line (line 4)"),
                         (4, "order #1002 is given Email 'b@x.com' on line 3 and 'c@x.com' here: which is right "
                             "cannot be told, so the order is not loaded")]
    assert stored(project, "orders", "order_id").order_id.tolist() == ["#1001"]


def test_rejects_csv_cannot_run_formulas(project, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(HEAD + '2026-11-26,"=HYPERLINK(""http://x"")",-5\n', encoding="utf-8")
    r = _one(project, path)
    line = r.rejects.read_text(encoding="utf-8-sig").splitlines()[1]
    assert line.endswith(',"\'=HYPERLINK(""http://x"")",-5')  # a plain number stays a number


def test_a_long_cell_a_long_name_and_a_leading_dash(project, tmp_path):
    path = tmp_path / ("-" + "x" * 230 + ".csv")
    path.write_text(HEAD + "2026-11-26,1,2\n2026-11-27," + "9" * 200_000 + ",2\n", encoding="utf-8")
    r = _one(project, path)
    assert r.reasons == [(3, "column uv: a cell of 200,000 characters (at most 32,767)")]
    assert r.rejects.is_file() and len(r.rejects.name.encode()) < 255


def test_a_workbook_named_csv_is_read(project, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for row in (["date", "uv", "pv"], ["2026-11-26", 10, 30]):
        wb.active.append(row)
    path = tmp_path / "traffic.csv"
    wb.save(path)
    assert _one(project, path).rows_accepted == 1


def _rewrite_sheet(path, change):
    """The workbook at ``path`` with its first sheet's XML passed through ``change`` (as other writers
    than Excel leave it, or damaged)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert change(xml) != xml
    parts["xl/worksheets/sheet1.xml"] = change(xml).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_a_workbook_without_dimension_and_with_short_rows(project, tmp_path):
    import re

    import openpyxl

    wb = openpyxl.Workbook()
    for row in (["ticket_id", "order_id", "kind", "opened_at", "resolved_at", "status", "severity"],
                ["k1", "o1", "退款", "2026-11-26 10:00:00", None, "open", "高"],
                ["k2", "o2", "物流", "2026-11-26 11:00:00", "2026-11-26 12:00:00", "resolved"],  # no severity cell
                ["k3", "o3", "咨询", "2026-11-26 12:00:00"]):  # nothing after opened_at
        wb.active.append(row)
    path = tmp_path / "tickets.xlsx"
    wb.save(path)
    _rewrite_sheet(path, lambda xml: re.sub(r"<dimension[^>]*/>", "", xml))
    r = _one(project, path)
    assert (r.rows_read, r.rows_accepted, r.reasons) == (3, 2, [(4, "column status: required, but empty")])
    t = stored(project, "cs_tickets", "ticket_id")
    assert t[["ticket_id", "kind", "status"]].values.tolist() == [["k1", "退款", "open"], ["k2", "物流", "resolved"]]
    assert t.severity.fillna("").tolist() == ["高", ""]


def test_a_workbook_is_judged_by_its_header_before_its_rows_are_read(project, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["编号", "名称", "数值"])  # matches no preset
    for i in range(200):
        wb.active.append([i, f"x{i}", i * 2])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    # row 150 onwards is broken XML: reading the whole sheet would fail there, so the refusal below
    # shows that only the head was read
    _rewrite_sheet(path, lambda xml: xml.replace('<row r="150"', '<row r="150"><<'))
    done, refused = ingest.ingest_paths(project, [path])
    assert done == [] and [e.problem for e in refused] == ["its header (编号, 名称, 数值) matches no preset; see "
                                                           "params/sources/"]


@pytest.mark.parametrize("data, message", [
    ("date,uv,pv\n2026-11-26,1,2\n".encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    (gzip.compress(b"date,uv,pv\n", mtime=0), "a compressed archive (gzip), not an export: unpack it first"),
    (b"PK\x03\x04\x14\x00\x00\x00", "a truncated or damaged file"),
    (bytes(range(256)) * 4, "binary data, not a CSV or XLSX export"),
], ids=["utf16", "gzip", "zip", "binary"])  # ids, not the bytes: every test process must name them alike
def test_refusals_say_what_the_file_is(project, tmp_path, data, message):
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    done, refused = ingest.ingest_paths(project, [path])
    assert done == [] and message in str(refused[0])


def test_the_date_window_is_a_store_setting(tmp_path):
    write_config(tmp_path, extra="ingest:\n  earliest: 2020-01-01\n")
    cfg = config.load(tmp_path / "params" / "store.yaml")
    path = tmp_path / "t.csv"
    path.write_text(HEAD + "2019-12-31,1,2\n2020-01-01,1,2\n", encoding="utf-8")
    r = _one(cfg, path)
    assert r.reasons[0][0] == 2 and "expected a date from 2020-01-01" in r.reasons[0][1] and r.rows_accepted == 1
