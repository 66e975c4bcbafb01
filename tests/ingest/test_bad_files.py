"""The corpus of malformed and tricky exports (tests/data/bad/, made by tests/data/make_bad_corpus.py):
each gives the exact message, or the exact accounting with a reason per rejected line."""

from __future__ import annotations


import pytest

from storeops import ingest, warehouse
from tests.conftest import ROOT
from tests.ingest.conftest import READINGS, reading

BAD = ROOT / "tests" / "data" / "bad"
TB_STATUSES = ("等待买家付款, 买家已付款，等待卖家发货, 买家已付款,等待卖家发货, 卖家已发货，等待买家确认, "
               "卖家已发货,等待买家确认, 交易成功, 交易关闭, 交易关闭(退款)")

REFUSED = {
    "empty.csv": "the file is empty",
    "whitespace_only.csv": "the file is empty",
    "not_text.csv": "binary data, not a CSV or XLSX export",
    "not_a_workbook.xlsx": "not a valid XLSX workbook (expected a zip archive)",
    "corrupt.xlsx": "not a readable XLSX workbook (KeyError: \"There is no item named '[Content_Types].xml' in the archive\")",
    "no_preset_fits.csv": "its header (colour, flavour, smell) matches no preset; see params/sources/",
    "traffic_missing_pv.csv": "no preset fits its header; closest is canonical_traffic (67% of its columns), missing: pv",
    "traffic_renamed_column.csv": "no preset fits its header; closest is canonical_traffic (67% of its columns), "
                                  "missing: uv",
    "taobao_orders_missing_column.csv": "no preset fits its header; closest is taobao_orders (92% of its columns), "
                                        "missing: 订单状态",
}

# file: (preset detected, read, accepted, [(line, reason) of each rejected row])
ACCOUNTED = {
    "header_only_traffic.csv": ("canonical_traffic", 0, 0, []),
    "traffic_extra_columns.csv": ("canonical_traffic", 2, 2, []),
    "traffic_bad_numbers.csv": ("canonical_traffic", 3, 1, [(3, "column uv: expected a whole number, got 'abc'"),
                                                            (4, "column uv: expected a whole number, got '12.5'")]),
    "traffic_bad_dates.csv": ("canonical_traffic", 2, 1,
                              [(2, "column date: expected a date like 2026-11-26, got '2026-13-45'")]),
    "traffic_duplicate_keys.csv": ("canonical_traffic", 3, 2, [(4, "duplicate key date=2026-11-01 (first on line 2)")]),
    "traffic_negative.csv": ("canonical_traffic", 2, 1, [(2, "column uv: expected at least 0, got -5")]),
    "traffic_truncated_last_line.csv": ("canonical_traffic", 2, 1, [(3, "truncated: 2 of 3 fields")]),
    "traffic_extra_fields_row.csv": ("canonical_traffic", 2, 1, [(2, "4 fields, the header has 3")]),
    "traffic_utf8_bom.csv": ("canonical_traffic", 1, 1, []),
    "traffic_header_spaces.csv": ("canonical_traffic", 1, 1, []),
    "traffic_blank_lines.csv": ("canonical_traffic", 2, 2, []),
    "traffic_missing_required_value.csv": ("canonical_traffic", 1, 0, [(2, "column uv: required, but empty")]),
    "taobao_orders_gbk.csv": ("taobao_orders", 2, 2, []),
    "taobao_orders_utf8.csv": ("taobao_orders", 1, 1, []),
    "taobao_orders_header_spaces.csv": ("taobao_orders", 1, 1, []),
    "taobao_orders_apostrophe_ids.csv": ("taobao_orders", 1, 1, []),
    "taobao_orders_unknown_status.csv": ("taobao_orders", 1, 0, [
        (2, f"column 订单状态: unknown value '已发货未签收' (expected one of {TB_STATUSES})")]),
    "taobao_orders_paid_before_created.csv": ("taobao_orders", 1, 0, [(2, "paid_at is before created_at")]),
    "taobao_orders_bad_money.csv": ("taobao_orders", 1, 0, [
        (2, "column 买家实际支付金额: expected an amount like 1234.56 or 1,234.56, got '12.3.4'")]),
    "taobao_orders_three_decimals.csv": ("taobao_orders", 1, 0, [
        (2, "column 买家应付邮费: expected at most 2 decimals (cents), got '1.005'")]),
    "taobao_orders_empty_buyer.csv": ("taobao_orders", 1, 1, []),  # no buyer id is allowed (metrics.coverage)
    "taobao_orders_bad_time.csv": ("taobao_orders", 1, 0, [
        (2, "column 订单创建时间: expected a time like 2026-11-26 10:15:00, got '26/11/2026 10am'")]),
    "taobao_items_unknown_order.csv": ("taobao_items", 1, 0, [
        (2, "order 9999 is not in the warehouse (ingest the orders first)")]),
    "taobao_items_negative_qty.csv": ("taobao_items", 1, 0, [(2, "column qty: expected greater than 0, got -1")]),
    "taobao_items_zero_qty.csv": ("taobao_items", 1, 0, [(2, "column qty: expected greater than 0, got 0")]),
    "sycm_traffic_title_rows.xlsx": ("sycm_traffic", 2, 2, []),
    "sycm_traffic_bad_date.xlsx": ("sycm_traffic", 2, 1, [
        (3, "column 统计日期: expected a date like 2026-11-26, got '昨天'")]),
    "ztc_ads.xlsx": ("ztc_ads", 1, 1, []),
    "ztc_ads_negative_cost.csv": ("ztc_ads", 1, 0, [(2, "column cost: expected at least 0, got -1.00")]),
    "shopify_lines_without_sku.csv": ("shopify_orders", 3, 3, []),  # values: tests/ingest/test_real_shapes.py
    "shopify_bad_line.csv": ("shopify_orders", 3, 1, [
        (3, "order #1002 has a rejected line (line 4)"),
        (4, "column Lineitem quantity: expected a whole number, got 'two'")]),
    "shopify_order_repeated.csv": ("shopify_orders", 7, 3, [  # values: tests/ingest/test_hostile.py
        (2, "order #1001 has a rejected line (line 8)"),
        (6, "order #1002 again: its lines were listed from line 3"),
        (7, "order #1002 again: its lines were listed from line 3"),
        (8, "order #1001 is given Total '25.00' on line 2 and '26.00' here: which is right cannot be told, "
            "so the order is not loaded")]),
}


def test_the_corpus_is_complete():
    assert len(REFUSED) + len(ACCOUNTED) >= 30
    assert sorted(REFUSED) + sorted(ACCOUNTED) and set(REFUSED) | set(ACCOUNTED) == {
        p.name for p in BAD.iterdir()}


def _counts(cfg):
    con = warehouse.connect(cfg, read_only=True)
    try:
        return {t: con.table(t).count().execute() for t in ("orders", "order_items", "traffic", "ads")}
    finally:
        con.disconnect()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_whole_with_one_line(project, name):
    done, refused = ingest.ingest_paths(project, [BAD / name])
    assert done == [] and [str(e) for e in refused] == [f"{BAD / name}: {REFUSED[name]}"]
    assert _counts(project) == {"orders": 0, "order_items": 0, "traffic": 0, "ads": 0}  # untouched


@pytest.mark.parametrize("how", READINGS)
@pytest.mark.parametrize("name", sorted(ACCOUNTED))
def test_exact_accounting(project, name, how, monkeypatch):
    # read in chunks of one row (an order's lines still together), or all row by row, a file must
    # come out the same: duplicates, repeated orders and contradictions are seen across chunks
    reading(how, monkeypatch)
    if name.startswith("taobao_items") and name != "taobao_items_unknown_order.csv":
        ingest.ingest_paths(project, [BAD / "taobao_orders_gbk.csv"])  # the lines' order exists
    preset, read, accepted, rejected = ACCOUNTED[name]
    done, refused = ingest.ingest_paths(project, [BAD / name])
    assert refused == []
    (r,) = done
    assert (r.preset, r.detected, r.rows_read, r.rows_accepted) == (preset, True, read, accepted)
    assert r.rows_read == r.rows_accepted + r.rows_rejected  # nothing lost
    assert r.reasons == rejected
    if rejected:
        text = r.rejects.read_text(encoding="utf-8-sig").splitlines()
        assert r.rejects.parent == project.root / "data" / "rejects" and r.rejects.name.startswith(name + ".")
        assert text[0].startswith("line,reason,") and len(text) == 1 + len(rejected)
        assert text[1].startswith(f"{rejected[0][0]},")
    else:
        assert r.rejects is None
