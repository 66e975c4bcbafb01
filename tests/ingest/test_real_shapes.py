"""Shapes real exports have that hand-written samples lack: lines without a SKU, no buyer column,
headers with trailing spaces. Each loads whole, and the figures count it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from storeops import warehouse
from storeops.metrics import coverage, products, sales
from storeops.metrics.base import evaluate
from storeops.periods import Period
from tests.conftest import ROOT
from tests.ingest.conftest import READINGS, ingested, reading

BAD = ROOT / "tests" / "data" / "bad"
DAY = Period.day("2026-11-26")


def test_shopify_lines_without_a_sku_are_sales(project):
    # #2001: a tee (100.00) and a tip (20.00, no SKU) + 10.00 shipping = 130.00, by a@x.com
    # #2002: a gift card (50.00, no SKU), no email (a guest)
    (r,) = ingested(project, BAD / "shopify_lines_without_sku.csv")
    assert (r.rows_read, r.rows_accepted, r.written) == (3, 3, {"orders": 2, "order_items": 3})
    con = warehouse.connect(project, read_only=True)
    try:
        o = con.table("orders").order_by("order_id").execute()
        assert o[["order_id", "paid_amount"]].values.tolist() == [["#2001", Decimal("130.00")],
                                                                  ["#2002", Decimal("50.00")]]
        assert o.buyer_id.tolist()[0] == "a@x.com" and o.buyer_id.isna().tolist() == [False, True]
        items = con.table("order_items").order_by(["order_id", "line_no"]).execute()
        assert items[["order_id", "line_no", "amount"]].values.tolist() == [
            ["#2001", 1, Decimal("100.00")], ["#2001", 2, Decimal("20.00")], ["#2002", 1, Decimal("50.00")]]
        assert items.sku.tolist()[0] == "TEE-M" and items.sku.isna().tolist() == [False, True, True]
        t = warehouse.Tables(con)
        v = evaluate({k: sales.BLOCK[k](t, DAY) for k in ("paid_amount", "paid_orders", "paying_buyers", "atv")})
        # 130 + 50 = 180 over 2 orders; the guest order is a buyer of its own: 2 buyers, 90.00 each
        assert v == {"paid_amount": Decimal("180.00"), "paid_orders": 2, "paying_buyers": 2, "atv": 90.0}
        perf = products.performance(t, DAY).set_index("product_id")
        # the tip and the gift card (20 + 50) are "no SKU"; TEE-M, which the products table lacks, is its own row
        assert perf.loc[products.NO_SKU, "paid_amount"] == 70.0 and perf.loc[products.NO_SKU, "units"] == 2
        assert perf.loc["#sku:TEE-M", ["paid_amount", "units", "title"]].tolist() == [100.0, 1, "TEE-M"]
    finally:
        con.disconnect()


TB_NO_BUYER = ("订单编号,买家应付货款,买家应付邮费,买家实际支付金额,总金额,订单状态,订单创建时间,订单付款时间,"
               "发货时间,收货地址\n"
               '="2611260000000001",100.00,10.00,100.00,110.00,交易成功,2026-11-26 09:00:00,2026-11-26 09:01:00,'
               "2026-11-26 15:00:00,浙江省 杭州市\n"
               '="2611260000000002",50.00,0.00,50.00,50.00,买家已付款，等待卖家发货,2026-11-26 10:00:00,'
               "2026-11-26 10:01:00,,上海 上海市\n")


def test_an_order_report_without_buyers_loads_and_has_no_buyer_figures(project, tmp_path):
    path = tmp_path / "订单报表.csv"
    path.write_bytes(TB_NO_BUYER.encode("gb18030"))
    (r,) = ingested(project, path)
    assert (r.preset, r.rows_accepted, r.rows_rejected) == ("taobao_orders", 2, 0)
    con = warehouse.connect(project, read_only=True)
    try:
        t = warehouse.Tables(con)
        assert con.table("orders").buyer_id.isnull().all().execute()
        got = coverage.tracked(t, DAY)
        assert got["orders"] and not got["buyers"]
        # paid amount is there (买家实际支付金额 100.00 + 50.00); what needs buyers is not judged
        assert evaluate({"p": sales.paid_amount(t, DAY)})["p"] == Decimal("150.00")
        assert {"paying_buyers", "atv", "payment_rate", "conversion"} <= coverage.untracked_metrics(got)
    finally:
        con.disconnect()


def test_headers_match_after_trimming_on_both_sides(project, tmp_path):
    # the preset copies the header with its trailing space, as it appears in the file; another file
    # of the same report has no space, a third has a full-width one
    (project.root / "params" / "sources" / "erp_traffic.yaml").write_text(
        "name: erp_traffic\ntables:\n  traffic:\n    date: '日期 '\n    uv: '访客 '\n"
        "    pv: {expr: '`浏览 ` * 1'}\n", encoding="utf-8")
    rows = "2026-11-26,10,30\n"
    for i, head in enumerate(("日期 ,访客 ,浏览 \n", "日期,访客,浏览\n", "日期\u3000,访客,浏览\n")):
        path = tmp_path / f"t{i}.csv"
        path.write_text(head + rows, encoding="utf-8")
        (r,) = ingested(project, path)
        assert (r.preset, r.rows_accepted) == ("erp_traffic", 1)
    con = warehouse.connect(project, read_only=True)
    try:
        assert con.table("traffic").execute()[["uv", "pv"]].values.tolist() == [[10, 30]]
    finally:
        con.disconnect()


def test_sycm_source_report_with_paid_figures(project, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["生意参谋 · 流量 · 店铺来源"], ["统计日期：2026-11-26 ~ 2026-11-26"], [],
                ["统计日期", "流量来源", "访客数", "浏览量", "支付买家数", "支付金额"],
                ["2026-11-26", "手淘搜索", 400, 1200, 12, "1,234.50"], ["2026-11-26", "购物车", 100, 300, 8, "800.00"]):
        ws.append(row)
    path = tmp_path / "来源.xlsx"
    wb.save(path)
    (r,) = ingested(project, path)
    assert (r.preset, r.rows_accepted) == ("sycm_traffic_source", 2)
    con = warehouse.connect(project, read_only=True)
    try:
        from storeops.metrics import traffic

        df = traffic.by_source(warehouse.Tables(con), DAY).set_index("source")
        # 12 ÷ 400 = 3 %, 8 ÷ 100 = 8 %
        assert df.loc["手淘搜索", "paid_amount"] == Decimal("1234.50") and df.loc["购物车", "paying_buyers"] == 8
        assert df.conversion.to_dict() == pytest.approx({"手淘搜索": 0.03, "购物车": 0.08})
        assert coverage.tracked(warehouse.Tables(con), DAY)["source_sales"]
    finally:
        con.disconnect()


def test_a_canonical_source_file_from_before_the_paid_columns_still_fits_its_table(project, tmp_path):
    # date,source,uv,pv (no paying_buyers, paid_amount): traffic by source, never the store total
    path = tmp_path / "traffic_by_source.csv"
    path.write_text("date,source,uv,pv\n2026-11-26,搜索,1000,3000\n", encoding="utf-8")
    (r,) = ingested(project, path)
    assert (r.preset, r.rows_accepted) == ("canonical_traffic_by_source", 1)
    con = warehouse.connect(project, read_only=True)
    try:
        assert con.table("traffic").count().execute() == 0
        row = con.table("traffic_by_source").execute().iloc[0]
        assert row.uv == 1000 and row.paid_amount is None or row.paid_amount != row.paid_amount
    finally:
        con.disconnect()


# A Tmall 订单报表 whose paid column is net of refunds: an order refunded whole shows 0 in 买家实际支付金额
# with 退款金额 equal to its 总金额. 0001 refunded whole (110.00 of 110.00), 0002 likewise (50.00), 0003
# a partly refunded one showing what was charged (100.00, refund 30.00), 0004 a plain order (80.00,
# total 90.00: a 10.00 shop discount).
TB_NET = ("订单编号,买家会员名,买家应付货款,买家应付邮费,买家实际支付金额,总金额,订单状态,订单创建时间,订单付款时间,"
          "发货时间,退款金额,收货地址\n"
          '="2611260000000001",tb1,100.00,10.00,0.00,110.00,交易关闭(退款),2026-11-26 09:00:00,'
          '2026-11-26 09:01:00,,110.00,浙江省 杭州市\n'
          '="2611260000000002",tb2,50.00,0.00,0.00,50.00,交易关闭(退款),2026-11-26 10:00:00,'
          '2026-11-26 10:01:00,,50.00,上海 上海市\n'
          '="2611260000000003",tb3,100.00,0.00,100.00,100.00,交易成功,2026-11-26 11:00:00,'
          '2026-11-26 11:01:00,2026-11-26 15:00:00,30.00,上海 上海市\n'
          '="2611260000000004",tb4,80.00,10.00,80.00,90.00,交易成功,2026-11-26 12:00:00,'
          '2026-11-26 12:01:00,2026-11-26 16:00:00,0.00,上海 上海市\n')


def _paid_and_discounts(project) -> list:
    con = warehouse.connect(project, read_only=True)
    try:
        o = con.table("orders").order_by("order_id").execute()
        return o[["paid_amount", "discount_amount"]].values.tolist()
    finally:
        con.disconnect()


@pytest.mark.parametrize("declared, reading, paid", [
    # not said: 2 orders show 0 paid and a refund (what was never paid cannot be refunded) → read net for
    # them, and only them: 110, 50, 100, 80; their discounts 0 (not 110 and 50 of "discount")
    (None, "2 orders show 0 paid and a refund (refunded whole, paid read net of it): stored paid + refund "
           "for them; say paid_is_net_of_refunds (fully_refunded, or true if every paid is net) in the preset",
     [[Decimal("110.00"), Decimal("0.00")], [Decimal("50.00"), Decimal("0.00")],
      [Decimal("100.00"), Decimal("0.00")], [Decimal("80.00"), Decimal("10.00")]]),
    # as the shipped preset says it
    ("fully_refunded", None,
     [[Decimal("110.00"), Decimal("0.00")], [Decimal("50.00"), Decimal("0.00")],
      [Decimal("100.00"), Decimal("0.00")], [Decimal("80.00"), Decimal("10.00")]]),
    # said to be net throughout: 0003 becomes 100 + 30 = 130, whose discount 100 − 100 − 30 = −30 is refused
    (True, None, None),
    # said to be as charged: read as it is, the refunds turned into discounts (110 and 50)
    (False, None, [[Decimal("0.00"), Decimal("110.00")], [Decimal("0.00"), Decimal("50.00")],
                   [Decimal("100.00"), Decimal("0.00")], [Decimal("80.00"), Decimal("10.00")]]),
])
def test_a_paid_column_net_of_refunds_is_read_gross(project, tmp_path, declared, reading, paid):
    import yaml

    preset = yaml.safe_load((ROOT / "params" / "sources" / "taobao_orders.yaml").read_text(encoding="utf-8"))
    assert preset.pop("paid_is_net_of_refunds") == "fully_refunded"
    if declared is not None:
        preset["paid_is_net_of_refunds"] = declared
    (project.root / "params" / "sources").mkdir(parents=True, exist_ok=True)
    (project.root / "params" / "sources" / "taobao_orders.yaml").write_text(
        yaml.safe_dump(preset, allow_unicode=True), encoding="utf-8")
    path = tmp_path / "订单报表.csv"
    path.write_bytes(TB_NET.encode("gb18030"))
    (r,) = ingested(project, path)
    assert r.paid_reading == reading and (reading is None or reading in r.summary())
    if paid is None:
        assert (r.rows_accepted, r.rows_rejected) == (3, 1) and "discount_amount" in r.reasons[0][1]
        return
    assert (r.rows_accepted, r.rows_rejected) == (4, 0)
    assert _paid_and_discounts(project) == paid


POS = ("name: pos_sales\ntables:\n  orders:\n    order_id: Invoice\n    buyer_id: {column: Customer ID}\n"
       "    created_at: InvoiceDate\n    paid_at: InvoiceDate\n    status: {value: completed}\n    goods_amount: Total\n"
       "    paid_amount: Total\n    shipping_fee: {value: 0}\n    discount_amount: {value: 0}\n    tax_amount: {value: 0}\n"
       "    refund_amount: {value: 0}\n    is_urgent: {value: false}\n")


@pytest.mark.parametrize("how", READINGS)
def test_ids_written_as_floats_are_whole_ids(project, tmp_path, how, monkeypatch):
    # pandas wrote every customer id and invoice number as a float (a column with a blank becomes
    # float64): 17850.0 is customer 17850, as the summary line says
    reading(how, monkeypatch)
    (project.root / "params" / "sources" / "pos_sales.yaml").write_text(POS, encoding="utf-8")
    path = tmp_path / "sales.csv"
    path.write_text("Invoice,InvoiceDate,Customer ID,Total\n"
                    "536365.0,2026-11-26 08:26:00,17850.0,139.12\n536366.0,2026-11-26 08:28:00,17850.0,22.20\n"
                    "536367.0,2026-11-26 08:34:00,13047.0,278.73\n536368.0,2026-11-26 08:35:00,,70.05\n",
                    encoding="utf-8")
    (r,) = ingested(project, path)
    assert (r.preset, r.rows_read, r.rows_accepted, r.rows_rejected) == ("pos_sales", 4, 4, 0)
    assert r.summary().endswith("ids written as numbers (17850.0) read as whole ids (17850) in Customer ID, Invoice; "
                                "wrote orders 4")
    con = warehouse.connect(project, read_only=True)
    try:
        o = con.table("orders").order_by("order_id").execute()
        assert o.order_id.tolist() == ["536365", "536366", "536367", "536368"]
        assert o.buyer_id.tolist()[:3] == ["17850", "17850", "13047"] and o.buyer_id.isna().tolist()[3]
        t = warehouse.Tables(con)
        # 139.12 + 22.20 + 278.73 + 70.05 = 510.10 from 3 buyers (17850 twice; the guest is one of its own)
        v = evaluate({k: sales.BLOCK[k](t, DAY) for k in ("paid_amount", "paid_orders", "paying_buyers")})
        assert v == {"paid_amount": Decimal("510.10"), "paid_orders": 4, "paying_buyers": 3}
    finally:
        con.disconnect()


def test_a_float_id_among_whole_ones_is_still_refused(project, tmp_path):
    # one customer id with .0 in a column of whole ids is no float column: that id stays in doubt
    (project.root / "params" / "sources" / "pos_sales.yaml").write_text(POS, encoding="utf-8")
    path = tmp_path / "sales.csv"
    path.write_text("Invoice,InvoiceDate,Customer ID,Total\n536365,2026-11-26 08:26:00,17850.0,139.12\n"
                    "536366,2026-11-26 08:28:00,13047,22.20\n", encoding="utf-8")
    (r,) = ingested(project, path)
    assert (r.rows_accepted, r.rows_rejected, r.floated) == (1, 1, [])
    assert r.reasons == [(2, "column Customer ID: expected an exact id, got '17850.0': a number with decimals; "
                             "export the column as text")]


SKIPPING = POS + ("skip:\n  - {column: Invoice, matches: '^TEST'}   # test orders\n"
                  "  - {column: Customer ID, in: [STOCKADJ, ' SAMPLE ']}   # stock adjustments, samples\n")


@pytest.mark.parametrize("how", READINGS)
def test_rows_a_preset_skips_are_counted_apart(project, tmp_path, how, monkeypatch, capsys):
    reading(how, monkeypatch)
    (project.root / "params" / "sources" / "pos_sales.yaml").write_text(SKIPPING, encoding="utf-8")
    path = tmp_path / "sales.csv"
    path.write_text("Invoice,InvoiceDate,Customer ID,Total\n"
                    "536365,2026-11-26 08:26:00,17850,139.12\n"
                    "TEST-1,2026-11-26 08:27:00,17850,1.00\n"          # skipped: a test order
                    "536366,2026-11-26 08:28:00,STOCKADJ,-40.00\n"     # skipped: a stock adjustment
                    "536367,2026-11-26 08:34:00,13047,abc\n"           # rejected: no amount
                    "536368,2026-11-26 08:35:00,SAMPLE,0.00\n"         # skipped: a sample (trimmed as the rule)
                    "536369,2026-11-26 08:36:00,13047,22.20\n", encoding="utf-8")
    (r,) = ingested(project, path)
    assert (r.rows_read, r.rows_accepted, r.rows_rejected, r.rows_skipped) == (6, 2, 1, 3)
    assert "read 6, accepted 2, rejected 1, skipped 3 (the preset's skip rules)" in r.summary()
    assert [line for line, _ in r.reasons] == [5]  # the rejected row keeps its line in the file
    rejects = r.rejects.read_text(encoding="utf-8")
    assert "536367" in rejects and "TEST-1" not in rejects and "STOCKADJ" not in rejects  # skipped: written nowhere
    con = warehouse.connect(project, read_only=True)
    try:
        assert con.table("orders").order_by("order_id").order_id.execute().tolist() == ["536365", "536369"]
        log = con.table("ingest_log").execute()
        assert log[["rows_read", "rows_accepted", "rows_rejected", "rows_skipped"]].values.tolist() == [[6, 2, 1, 3]]
    finally:
        con.disconnect()
    if how == "columns":  # storeops check tells the same, once per file load
        from storeops import cli

        capsys.readouterr()
        assert cli.main(["check", "--config", str(project.path)]) == 0
        assert "  ingest: 1 file load(s) read 6 rows, accepted 2, rejected 1, skipped 3 by presets' skip rules\n" \
            in capsys.readouterr().out


def test_skip_rules_that_skip_everything_or_are_malformed_are_refused(project, tmp_path):
    from storeops import ingest
    from storeops.errors import ConfigError
    from storeops.ingest import presets

    sources = project.root / "params" / "sources"
    (sources / "pos_sales.yaml").write_text(POS + "skip:\n  - {column: Invoice, matches: '.'}\n", encoding="utf-8")
    path = tmp_path / "sales.csv"
    path.write_text("Invoice,InvoiceDate,Customer ID,Total\n536365,2026-11-26 08:26:00,17850,139.12\n",
                    encoding="utf-8")
    done, refused = ingest.ingest_paths(project, [path])
    assert done == [] and [str(e) for e in refused] == [
        f"{path}: the skip rules of preset pos_sales (Invoice matches '.') skip all 1 rows: nothing would load; "
        "check the rules"]
    for rule, says in (("{column: Invoice}", "a skip rule is {column: <header>, in: [values]}"),
                       ("{column: Invoice, in: ['']}", "a skip rule cannot skip empty cells"),
                       ("{column: Invoice, matches: '('}", "'(' is no regular expression")):
        (sources / "pos_sales.yaml").write_text(POS + f"skip:\n  - {rule}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(says)):
            presets.load_preset(sources / "pos_sales.yaml")


LEDGER_PRESET = """\
# a sales ledger with one row per invoice line and no order total (ERP, POS, small shops)
name: retail_ledger
group_by: Invoice
skip:
  - {column: StockCode, in: [POST, M, BANK CHARGES]}   # postage and manual lines: no goods
route:
  refunds: {column: Invoice, matches: "^C"}             # credit notes are refunds, on their own date
tables:
  orders:
    order_id: Invoice
    created_at: {column: InvoiceDate, first: true}      # the lines may differ by a minute
    paid_at: {column: InvoiceDate, first: true}
    buyer_id: {column: Customer ID, optional: true}
    status: {value: completed}
    goods_amount: {sum: "Quantity * Price"}
    paid_amount: {sum: "Quantity * Price"}
    shipping_fee: {value: 0}
    discount_amount: {value: 0}
    tax_amount: {value: 0}
    refund_amount: {value: 0}
    is_urgent: {value: false}
  order_items:
    order_id: Invoice
    line_no: {line_number: true}
    sku: StockCode
    qty: Quantity
    unit_price: Price
    amount: {expr: "Quantity * Price"}
    refund_qty: {value: 0}
  refunds:
    refund_id: Invoice
    line_no: {line_number: true}
    refunded_at: InvoiceDate
    sku: StockCode
    qty: {expr: "0 - Quantity"}                         # a credit note's quantities are negative
    amount: {expr: "0 - Quantity * Price"}
"""

LEDGER = """\
Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
536365,85123A,WHITE HANGING HEART,6,2026-11-26 08:26:00,2.55,17850.0,United Kingdom
536365,71053,WHITE METAL LANTERN,6,2026-11-26 08:26:00,3.39,17850.0,United Kingdom
536366,22633,HAND WARMER,6,2026-11-26 08:28:00,1.85,17850.0,United Kingdom
536365,POST,POSTAGE,1,2026-11-26 08:26:00,18.00,17850.0,United Kingdom
C536367,22633,HAND WARMER,-2,2026-11-26 09:00:00,1.85,17850.0,United Kingdom
536365,84406B,CREAM CUPID HEARTS,8,2026-11-26 08:27:00,2.75,17850.0,United Kingdom
536368,22960,JAM MAKING SET,6,2026-11-26 08:34:00,4.25,13047.0,United Kingdom
536368,22913,RED COAT RACK,3,2026-11-26 08:34:00,4.95,13047.0,United Kingdom
536369,22914,BLUE COAT RACK,3,2026-11-26 08:35:00,4.95,13047.0,United Kingdom
536369,22915,GREEN COAT RACK,2,2026-11-26 08:35:00,1.00,12583.0,United Kingdom
"""


def _ledger(project, tmp_path, rows: str):
    """``rows`` loaded through the README's ledger preset: the file's accounting."""
    (project.root / "params" / "sources" / "retail_ledger.yaml").write_text(LEDGER_PRESET, encoding="utf-8")
    path = tmp_path / "ledger.csv"
    path.write_text(rows, encoding="utf-8")
    (r,) = ingested(project, path)
    return r


@pytest.mark.parametrize("how", READINGS)
def test_orders_built_from_their_lines(project, tmp_path, how, monkeypatch):
    reading(how, monkeypatch)
    r = _ledger(project, tmp_path, LEDGER)
    # 10 lines: the postage line skipped, the credit note a refund; 536369 names two customers on its
    # two lines (13047 and 12583): which is right cannot be told, so both lines are rejected
    assert (r.preset, r.rows_read, r.rows_accepted, r.rows_rejected, r.rows_skipped) == ("retail_ledger", 10, 7, 2, 1)
    assert [line for line, _ in r.reasons] == [10, 11] and "order 536369 is given Customer ID" in r.reasons[1][1]
    assert r.written == {"orders": 3, "order_items": 6, "refunds": 1} and r.floated == ["Customer ID"]
    con = warehouse.connect(project, read_only=True)
    try:
        o = con.table("orders").order_by("order_id").execute()
        # 536365: 6 × 2.55 + 6 × 3.39 + 8 × 2.75 (its line 7, after another invoice's) = 15.30 + 20.34 + 22.00
        # 536366: 6 × 1.85 = 11.10; 536368: 6 × 4.25 + 3 × 4.95 = 25.50 + 14.85
        assert o[["order_id", "goods_amount", "paid_amount", "buyer_id"]].values.tolist() == [
            ["536365", Decimal("57.64"), Decimal("57.64"), "17850"],
            ["536366", Decimal("11.10"), Decimal("11.10"), "17850"],
            ["536368", Decimal("40.35"), Decimal("40.35"), "13047"]]
        assert [str(t) for t in o.created_at] == ["2026-11-26 08:26:00", "2026-11-26 08:28:00", "2026-11-26 08:34:00"]
        items = con.table("order_items").order_by(["order_id", "line_no"]).execute()
        assert items[["order_id", "line_no", "sku", "qty", "amount"]].values.tolist() == [
            ["536365", 1, "85123A", 6, Decimal("15.30")], ["536365", 2, "71053", 6, Decimal("20.34")],
            ["536365", 3, "84406B", 8, Decimal("22.00")], ["536366", 1, "22633", 6, Decimal("11.10")],
            ["536368", 1, "22960", 6, Decimal("25.50")], ["536368", 2, "22913", 3, Decimal("14.85")]]
        # C536367: 2 hand warmers back at 1.85, at 09:00 the same day, linked to no invoice
        refunds = con.table("refunds").execute()
        assert refunds[["refund_id", "line_no", "sku", "qty", "amount"]].values.tolist() == [
            ["C536367", 1, "22633", 2, Decimal("3.70")]] and refunds.order_id.isna().all()
        assert str(refunds.refunded_at[0]) == "2026-11-26 09:00:00"
        t = warehouse.Tables(con)
        v = evaluate({k: sales.BLOCK[k](t, DAY) for k in ("paid_amount", "paid_orders", "paying_buyers",
                                                         "refund_amount")})
        assert v == {"paid_amount": Decimal("109.09"), "paid_orders": 3, "paying_buyers": 2,
                     "refund_amount": Decimal("3.70")}
        assert coverage.tracked(t, DAY)["refund_times"]  # the store's data carries refunds: not "—"
    finally:
        con.disconnect()


def test_sum_and_first_belong_to_orders_built_from_lines(project):
    from storeops.errors import ConfigError
    from storeops.ingest import presets

    path = project.root / "params" / "sources" / "retail_ledger.yaml"
    for text, says in ((LEDGER_PRESET.replace("group_by: Invoice\n", ""), "they belong in tables.orders of a preset "
                                                                           "with group_by"),
                       (LEDGER_PRESET.replace("    status: {value: completed}", "    status: {sum: Quantity}"),
                        "orders.status: sum adds amounts"),
                       (LEDGER_PRESET.replace("{column: InvoiceDate, first: true}      #", "{first: true}  #"),
                        "first takes the first line's value of a column"),
                       (LEDGER_PRESET.replace("  refunds: {column: Invoice", "  returns: {column: Invoice"),
                        "route names returns, which tables does not map"),
                       (LEDGER_PRESET.replace("route:\n", "route:\n  orders: {column: Invoice, matches: '^5'}\n"
                                                          "  order_items: {column: Invoice, matches: '^5'}\n"),
                        "route gives every table a rule")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError, match=re.escape(says)):
            presets.load_preset(path)


def test_float_ids_far_down_a_column_of_whole_ones_stay_refused(project, tmp_path, monkeypatch):
    # read in blocks of a row or two: the whole ids in the first blocks still count against the column
    reading("small-chunks", monkeypatch)
    (project.root / "params" / "sources" / "pos_sales.yaml").write_text(POS, encoding="utf-8")
    path = tmp_path / "sales.csv"
    path.write_text("Invoice,InvoiceDate,Customer ID,Total\n" + "".join(
        f"5363{i:02d},2026-11-26 08:{i:02d}:00,{'13047' if i < 10 else '17850.0'},10.00\n" for i in range(12)),
        encoding="utf-8")
    (r,) = ingested(project, path)
    assert (r.rows_accepted, r.rows_rejected, r.floated) == (10, 2, [])


SUBCENT = """\
Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
537000,10002,PAPER CLIP,1000,2026-11-26 10:00:00,0.001,12000,United Kingdom
537000,10003,WASHER,7,2026-11-26 10:00:00,0.0085,12000,United Kingdom
537000,10004,SPRING,3,2026-11-26 10:00:00,0.335,12000,United Kingdom
537001,10003,WASHER,5,2026-11-26 10:05:00,0.0085,12001,United Kingdom
537002,10005,PIN,1,2026-11-26 10:10:00,0.005,12002,United Kingdom
C537003,10003,WASHER,-10,2026-11-26 11:00:00,0.0085,12000,United Kingdom
"""


@pytest.mark.parametrize("how", READINGS)
def test_unit_prices_past_the_cent_load_as_given(project, tmp_path, how, monkeypatch):
    reading(how, monkeypatch)
    r = _ledger(project, tmp_path, SUBCENT)
    assert (r.rows_read, r.rows_accepted, r.rows_rejected) == (6, 6, 0)  # not one line lost for its price
    assert r.written == {"orders": 3, "order_items": 5, "refunds": 1}
    con = warehouse.connect(project, read_only=True)
    try:
        items = con.table("order_items").order_by(["order_id", "line_no"]).execute()
        # each line as given: its unit price and its amount (quantity × price) unrounded
        assert items[["order_id", "sku", "qty", "unit_price", "amount"]].values.tolist() == [
            ["537000", "10002", 1000, Decimal("0.001"), Decimal("1.000")],
            ["537000", "10003", 7, Decimal("0.0085"), Decimal("0.0595")],
            ["537000", "10004", 3, Decimal("0.335"), Decimal("1.005")],
            ["537001", "10003", 5, Decimal("0.0085"), Decimal("0.0425")],
            ["537002", "10005", 1, Decimal("0.005"), Decimal("0.005")]]
        # an order's total is rounded to the cent once, half away from zero, as an invoice is:
        # 537000: 1.000 + 0.0595 + 1.005 = 2.0645 → 2.06 (line by line 1.00 + 0.06 + 1.01 would be 2.07);
        # 537001: 0.0425 → 0.04; 537002: 0.005 → 0.01 (half to even would make it 0.00)
        o = con.table("orders").order_by("order_id").execute()
        assert o[["order_id", "goods_amount", "paid_amount"]].values.tolist() == [
            ["537000", Decimal("2.06"), Decimal("2.06")], ["537001", Decimal("0.04"), Decimal("0.04")],
            ["537002", Decimal("0.01"), Decimal("0.01")]]
        # the credit note: 10 washers back at 0.0085, 0.085 paid back, exactly
        refunds = con.table("refunds").execute()
        assert refunds[["refund_id", "qty", "amount"]].values.tolist() == [["C537003", 10, Decimal("0.085")]]
        t = warehouse.Tables(con)
        v = evaluate({k: sales.BLOCK[k](t, DAY) for k in ("paid_amount", "refund_amount")})
        assert v == {"paid_amount": Decimal("2.11"), "refund_amount": Decimal("0.085")}  # 2.06 + 0.04 + 0.01
        # a product's sales add its lines exactly: the washer's 0.0595 + 0.0425 = 0.102
        washer = con.table("order_items").filter(lambda r: r.sku == "10003").amount.sum().execute()
        assert washer == Decimal("0.102")
    finally:
        con.disconnect()
