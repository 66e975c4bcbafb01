"""Loading through the day: the day's 订单报表 exported at 13:00 and again at 14:00 (more orders; one
paid since, one partly refunded since) leaves the warehouse as one load of the 14:00 file does."""

from __future__ import annotations

import pandas as pd

from storeops import schema
from tests.ingest import golden
from tests.ingest.conftest import ingested, stored

HEAD = "订单编号,买家会员名,买家应付货款,买家应付邮费,买家实际支付金额,订单状态,订单创建时间,订单付款时间,发货时间,确认收货时间,退款金额,收货地址,总金额\n"
PAID = "买家已付款，等待卖家发货"


def _row(oid, buyer, amount, status, created, paid="", shipped="", refund="0.00"):
    paid_amount = amount if paid else "0.00"
    return (f'="{oid}",{buyer},{amount},0.00,{paid_amount},{status},{created},{paid},{shipped},,{refund},'
            f"浙江省 杭州市 西湖区 文三路1号,{amount}\n")


AT_13 = [_row("2612050000000001", "tb_a", "120.00", PAID, "2026-12-05 09:00:00", "2026-12-05 09:01:00"),
         _row("2612050000000002", "tb_b", "80.00", "等待买家付款", "2026-12-05 12:30:00"),
         _row("2612050000000003", "tb_c", "45.50", "卖家已发货，等待买家确认", "2026-12-05 10:00:00",
              "2026-12-05 10:05:00", "2026-12-05 12:00:00")]
AT_14 = [_row("2612050000000001", "tb_a", "120.00", PAID, "2026-12-05 09:00:00", "2026-12-05 09:01:00",
              refund="50.00"),
         _row("2612050000000002", "tb_b", "80.00", PAID, "2026-12-05 12:30:00", "2026-12-05 13:10:00"),
         AT_13[2],
         _row("2612050000000004", "tb_d", "199.00", PAID, "2026-12-05 13:30:00", "2026-12-05 13:31:00")]


def _file(path, rows):
    path.write_bytes((HEAD + "".join(rows)).encode("gb18030"))
    return path


def test_the_hour_later_export_loaded_on_top_is_the_last_export_alone(tmp_path):
    hourly, once = golden.project(tmp_path / "hourly"), golden.project(tmp_path / "once")
    at_13, at_14 = _file(tmp_path / "订单报表-1300.csv", AT_13), _file(tmp_path / "订单报表-1400.csv", AT_14)
    ingested(hourly, at_13)
    first = stored(hourly, "orders", "order_id")
    assert first.paid_at.isna().tolist() == [False, True, False]  # o2 not paid at 13:00
    ingested(hourly, at_14)
    ingested(once, at_14)
    for name in set(schema.TABLES) - {"ingest_log"}:  # the log of loads differs: two loads, one load
        key = list(schema.table(name).key)
        a, b = stored(hourly, name, key), stored(once, name, key)
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)
    o = stored(once, "orders", "order_id")
    assert o.order_id.tolist() == [f"261205000000000{i}" for i in range(1, 5)]
    assert o.paid_at.notna().all() and o.refund_amount.astype(str).tolist() == ["50.00", "0.00", "0.00", "0.00"]
    assert o.status.tolist() == ["paid", "paid", "shipped", "paid"]
