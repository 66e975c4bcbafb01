"""Writes tests/data/bad/: malformed and tricky exports, each checked in tests/ingest/test_bad_files.py.

The files are committed; this script documents how each was made (run it to rebuild them).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent / "bad"

TB_HEAD = ("订单编号,买家会员名,买家应付货款,买家应付邮费,买家实际支付金额,订单状态,订单创建时间,订单付款时间,"
           "发货时间,确认收货时间,退款金额,收货地址,总金额")


def tb_row(oid="2611260000000001", buyer="tb000000007", goods="¥1,234.00", ship="0.00", paid="¥1,214.00",
           status="交易成功", created="2026-11-26 10:00:00", paid_at="2026-11-26 10:01:00",
           shipped="2026-11-26 18:00:00", delivered="", refund="0.00", addr="浙江省 杭州市 西湖区 文三路1号",
           total="¥1,234.00"):
    return f'="{oid}",{buyer},"{goods}",{ship},"{paid}",{status},{created},{paid_at},{shipped},{delivered},{refund},{addr},"{total}"'


def w(name: str, text: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(text.encode(encoding))


def xlsx(name: str, rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(HERE / name)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    # whole-file problems
    w("empty.csv", "")
    w("whitespace_only.csv", " \n\n  \n")
    w("header_only_traffic.csv", "date,uv,pv\n")
    (HERE / "not_text.csv").write_bytes(bytes([0x81, 0x30, 0xFF, 0xFE, 0x00, 0x80, 0xFF]) * 40)
    w("not_a_workbook.xlsx", "date,uv,pv\n2026-11-01,1,2\n")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<not really a workbook")
    (HERE / "corrupt.xlsx").write_bytes(buf.getvalue())
    w("no_preset_fits.csv", "colour,flavour,smell\nred,sweet,none\n")
    w("traffic_missing_pv.csv", "date,uv\n2026-11-01,100\n")
    w("traffic_renamed_column.csv", "date,visitors,pv\n2026-11-01,100,300\n")
    # row problems, canonical traffic
    w("traffic_extra_columns.csv", "date,uv,pv,note\n2026-11-01,100,300,ok\n2026-11-02,110,320,\n")
    w("traffic_bad_numbers.csv", "date,uv,pv\n2026-11-01,100,300\n2026-11-02,abc,320\n2026-11-03,12.5,40\n")
    w("traffic_bad_dates.csv", "date,uv,pv\n2026-13-45,100,300\n2026/11/02,110,320\n")
    w("traffic_duplicate_keys.csv", "date,uv,pv\n2026-11-01,100,300\n2026-11-02,1,2\n2026-11-01,101,301\n")
    w("traffic_negative.csv", "date,uv,pv\n2026-11-01,-5,300\n2026-11-02,5,6\n")
    w("traffic_truncated_last_line.csv", "date,uv,pv\n2026-11-01,100,300\n2026-11-02,12")
    w("traffic_extra_fields_row.csv", "date,uv,pv\n2026-11-01,100,300,7\n2026-11-02,1,2\n")
    w("traffic_utf8_bom.csv", "date,uv,pv\n2026-11-01,100,300\n", "utf-8-sig")
    w("traffic_header_spaces.csv", " date , uv ,\u3000pv\n2026-11-01,100,300\n")
    w("traffic_blank_lines.csv", "date,uv,pv\n\n2026-11-01,100,300\n,,\n2026-11-02,1,2\n")
    w("traffic_missing_required_value.csv", "date,uv,pv\n2026-11-01,,300\n")
    # Taobao 订单报表
    w("taobao_orders_gbk.csv", "\n".join([TB_HEAD, tb_row(), tb_row(oid="2611260000000002", status="等待买家付款",
                                                              paid_at="", shipped="", paid="¥1,234.00")]) + "\n",
      "gb18030")
    w("taobao_orders_utf8.csv", TB_HEAD + "\n" + tb_row() + "\n")
    w("taobao_orders_header_spaces.csv", TB_HEAD.replace("订单编号,", " 订单编号 ,").replace(",订单状态,", ",订单状态\u3000,")
      + "\n" + tb_row() + "\n", "gb18030")
    w("taobao_orders_unknown_status.csv", TB_HEAD + "\n" + tb_row(status="已发货未签收") + "\n", "gb18030")
    w("taobao_orders_paid_before_created.csv", TB_HEAD + "\n" + tb_row(paid_at="2026-11-25 09:00:00") + "\n",
      "gb18030")
    w("taobao_orders_bad_money.csv", TB_HEAD + "\n" + tb_row(paid="12.3.4") + "\n", "gb18030")
    w("taobao_orders_three_decimals.csv", TB_HEAD + "\n" + tb_row(ship="1.005") + "\n", "gb18030")
    w("taobao_orders_missing_column.csv", TB_HEAD.replace(",订单状态", "") + "\n", "gb18030")
    w("taobao_orders_empty_buyer.csv", TB_HEAD + "\n" + tb_row(buyer="") + "\n", "gb18030")
    w("taobao_orders_apostrophe_ids.csv", TB_HEAD + "\n" + tb_row().replace('="2611260000000001"',
                                                                           "'2611260000000001") + "\n", "gb18030")
    w("taobao_orders_bad_time.csv", TB_HEAD + "\n" + tb_row(created="26/11/2026 10am") + "\n", "gb18030")
    # Taobao 宝贝报表
    items_head = "订单编号,商家编码,购买数量,价格,标题\n"
    w("taobao_items_unknown_order.csv", items_head + '="9999",SKU-1,1,10.00,t\n', "gb18030")
    w("taobao_items_negative_qty.csv", items_head + '="2611260000000001",SKU-1,-1,10.00,t\n', "gb18030")
    w("taobao_items_zero_qty.csv", items_head + '="2611260000000001",SKU-1,0,10.00,t\n', "gb18030")
    # 生意参谋 (XLSX with title rows) and 直通车
    xlsx("sycm_traffic_title_rows.xlsx", [["生意参谋 · 流量 · 店铺整体"], ["统计日期：2026-11-01 ~ 2026-11-02"], [],
                                          ["统计日期", "访客数", "浏览量"], ["2026-11-01", 100, 300],
                                          ["2026-11-02", 110, 320]])
    xlsx("sycm_traffic_bad_date.xlsx", [["生意参谋 · 流量"], ["统计日期", "访客数", "浏览量"], ["昨天", 100, 300],
                                        ["2026-11-02", 110, 320]])
    xlsx("ztc_ads.xlsx", [["直通车 推广计划报表"], ["日期", "推广计划名称", "展现量", "点击量", "花费", "总成交笔数", "总成交金额"],
                          ["2026-11-01", "搜索-核心词", 1000, 50, "100.00", 5, "400.00"]])
    w("ztc_ads_negative_cost.csv", "日期,推广计划名称,展现量,点击量,花费,总成交笔数,总成交金额\n"
      "2026-11-01,搜索-核心词,1000,50,-1.00,5,400.00\n", "gb18030")
    # Shopify orders_export.csv
    sh_head = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,"
               "Taxes,Total,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,"
               "Lineitem discount,Cancelled at,Refunded Amount,Shipping Province\n")
    w("shopify_bad_line.csv", sh_head +
      "#1001,a@x.com,paid,2026-11-26 10:05:00 -0500,unfulfilled,,USD,20.00,5.00,0.00,25.00,0.00,"
      "2026-11-26 10:00:00 -0500,1,Tee,20.00,TEE-M,0.00,,0.00,NY\n"
      "#1002,b@x.com,paid,2026-11-26 11:05:00 -0500,unfulfilled,,USD,30.00,0.00,0.00,30.00,0.00,"
      "2026-11-26 11:00:00 -0500,1,Tee,10.00,TEE-S,0.00,,0.00,CA\n"
      "#1002,,,,,,,,,,,,,two,Cap,20.00,CAP-1,0.00,,,\n")
    # lines that are no product (a tip, a gift card, a custom item) carry no SKU: real sales all the same
    w("shopify_lines_without_sku.csv", sh_head +
      "#2001,a@x.com,paid,2026-11-26 10:05:00 +0800,fulfilled,2026-11-26 15:00:00 +0800,CNY,120.00,10.00,0.00,"
      "130.00,0.00,2026-11-26 10:00:00 +0800,1,Tee,100.00,TEE-M,0.00,,0.00,Zhejiang\n"
      "#2001,,,,,,,,,,,,,1,Tip,20.00,,0.00,,,\n"
      "#2002,,paid,2026-11-26 11:05:00 +0800,unfulfilled,,CNY,50.00,0.00,0.00,50.00,0.00,"
      "2026-11-26 11:00:00 +0800,1,Gift Card,50.00,,0.00,,0.00,\n")
    # the same export pasted twice, once edited: #1002 again as it was (its copy must not add lines),
    # #1001 again with another Total (which one is right cannot be told)
    o1001 = ("#1001,a@x.com,paid,2026-11-26 10:05:00 -0500,unfulfilled,,USD,20.00,5.00,0.00,{total},0.00,"
             "2026-11-26 10:00:00 -0500,1,Tee,20.00,TEE-M,0.00,,0.00,NY\n")
    o1002 = ("#1002,b@x.com,paid,2026-11-26 11:05:00 -0500,unfulfilled,,USD,30.00,0.00,0.00,30.00,0.00,"
             "2026-11-26 11:00:00 -0500,1,Tee,10.00,TEE-S,0.00,,0.00,CA\n"
             "#1002,,,,,,,,,,,,,1,Cap,20.00,CAP-1,0.00,,,\n")
    w("shopify_order_repeated.csv", sh_head + o1001.format(total="25.00") + o1002 +
      "#1003,c@x.com,paid,2026-11-26 12:05:00 -0500,unfulfilled,,USD,10.00,0.00,0.00,10.00,0.00,"
      "2026-11-26 12:00:00 -0500,1,Tee,10.00,TEE-S,0.00,,0.00,CA\n" + o1002 + o1001.format(total="26.00"))


if __name__ == "__main__":
    main()
