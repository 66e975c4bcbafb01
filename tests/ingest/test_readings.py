"""However a file is read — column-wise in big blocks or small ones, or row by row in chunks of any
size — its outcome is the same: the same rows accepted and stored, the same rows rejected with the
same reasons. Random multi-line exports (the layout where chunking matters: an order's lines, its
values on the first, copies and contradictions), and the cases a review found."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storeops import ingest
from tests.ingest import golden
from tests.ingest.conftest import READINGS, reading

HEAD = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Currency", "Subtotal",
        "Shipping", "Taxes", "Total", "Discount Amount", "Created at", "Lineitem quantity", "Lineitem name",
        "Lineitem price", "Lineitem sku", "Lineitem discount", "Cancelled at", "Refunded Amount", "Shipping Province"]
ORDER_LEVEL = HEAD[1:13] + HEAD[18:]
_money = st.sampled_from(["10.00", "20.00", "0.00", "-0", "007.50", "1,234.00", " 10.00", "abc", "", "0.001"])
_time = st.sampled_from(["2026-11-26 10:00:00 -0500", "2026-11-26 10:00:00", "2026-03-08 07:30:00 +0000",
                         "2026-11-01 06:00:00 +0000", "2026-11-26 24:00:00", "", "1999-12-31 23:00:00 -0500"])
_name = st.sampled_from(["#1001", "#1002", "#1003", "1004", " #1005", '="#1006"', "1e5", "na", ""])


@st.composite
def _order(draw) -> list[dict]:
    name = draw(_name)
    first = {h: "" for h in HEAD} | {
        "Name": name, "Email": draw(st.sampled_from(["a@x.com", "", "b@x.com"])),
        "Financial Status": draw(st.sampled_from(["paid", "refunded", "weird", ""])), "Paid at": draw(_time),
        "Currency": "USD", "Subtotal": draw(_money), "Shipping": draw(_money), "Taxes": "0.00", "Total": draw(_money),
        "Discount Amount": "0.00", "Created at": draw(_time), "Refunded Amount": draw(st.sampled_from(["0.00", ""])),
        "Shipping Province": draw(st.sampled_from(["NY", "", " NY"]))}
    out = []
    for i in range(draw(st.integers(1, 3))):
        line = dict(first) if i == 0 else {h: "" for h in HEAD} | {"Name": name}
        if i and draw(st.booleans()):  # a later line repeats or changes an order-level value
            h = draw(st.sampled_from(ORDER_LEVEL))
            line[h] = draw(st.sampled_from([first[h], first[h] + " ", "x"]))
        line |= {"Lineitem quantity": draw(st.sampled_from(["1", "2", "0", ""])), "Lineitem name": "Tee",
                 "Lineitem price": draw(_money), "Lineitem sku": draw(st.sampled_from(["TEE-M", "", "1E5"])),
                 "Lineitem discount": "0.00"}
        out.append(line)
    return out


@st.composite
def _export(draw) -> str:
    orders = draw(st.lists(_order(), min_size=1, max_size=7))
    again = draw(st.lists(st.integers(0, len(orders) - 1), max_size=2))  # orders pasted again further down
    f = io.StringIO()
    w = csv.writer(f, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    w.writerow(HEAD)
    for lines in orders + [orders[i] for i in again]:
        w.writerows([line[h] for h in HEAD] for line in lines)
    return f.getvalue()


def _outcome(project, path, how, monkeypatch) -> tuple:
    with monkeypatch.context() as m:
        reading(how, m)
        (r,) = ingest.ingest_paths(project, [path], dry_run=True)[0]
    return r.rows_read, r.rows_accepted, r.reasons


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_export())
def test_a_multi_line_export_comes_out_the_same_however_it_is_read(monkeypatch, body):
    with tempfile.TemporaryDirectory() as d:
        project = golden.project(Path(d))
        path = Path(d) / "orders_export.csv"
        path.write_text(body, encoding="utf-8", newline="")
        outcomes = {how: _outcome(project, path, how, monkeypatch) for how in READINGS}
    assert outcomes["columns"] == outcomes["rows"] == outcomes["small-chunks"]


def test_long_ids_of_a_block_read_again_row_by_row_count_once(project, tmp_path):
    # one 16-digit id ending in zeros is no sign of Excel rounding (that takes two or more); a bad
    # amount further down sends the block row by row, which must not count the id a second time
    head = "订单编号,买家会员名,买家应付货款,买家应付邮费,买家实际支付金额,订单状态,订单创建时间,订单付款时间,发货时间,确认收货时间,退款金额,收货地址,总金额\n"
    row = '="{}",tb1,{},0.00,10.00,交易成功,2026-11-26 10:00:00,2026-11-26 10:01:00,,,0.00,浙江省 杭州市,10.00\n'
    path = tmp_path / "taobao.csv"
    path.write_bytes((head + row.format("2611260000000000", "10.00") + row.format("777", "10.00")
                      + row.format("123", "abc")).encode("gb18030"))
    (r,) = ingest.ingest_paths(project, [path], dry_run=True)[0]
    assert (r.rows_accepted, [line for line, _ in r.reasons]) == (2, [4])


def test_a_quoted_line_break_on_a_block_boundary_keeps_both_characters(project, tmp_path, monkeypatch):
    from storeops.ingest import read

    monkeypatch.setattr(read, "BLOCK", 256)
    head = "sku,product_id,title,category,color,size,price,unit_cost,status,launched_on,supplier,lead_time_days,moq,case_pack\r\n"
    tail = ",cat,red,M,10.00,5.00,active,2026-01-01,sup,7,1,1\r\n"
    prefix = 'S0,P0,"'
    title = "y" * (256 - len(prefix) - 1) + "\r\nz"  # the \r is the block's last byte
    path = tmp_path / "products.csv"
    path.write_bytes((head + prefix + title + '"' + tail + "S1,P1,last" + tail).encode())
    (r,) = ingest.ingest_paths(project, [path])[0]
    from tests.ingest.conftest import stored

    assert r.rows_accepted == 2
    assert stored(project, "products", "sku").title.tolist() == [title, "last"]
