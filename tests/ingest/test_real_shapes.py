"""Shapes real exports have that hand-written samples lack: lines without a SKU, no buyer column,
headers with trailing spaces. Each loads whole, and the figures count it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storeops import warehouse
from storeops.metrics import coverage, products, sales
from storeops.metrics.base import evaluate
from storeops.periods import Period
from tests.conftest import ROOT
from tests.ingest.conftest import ingested

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
