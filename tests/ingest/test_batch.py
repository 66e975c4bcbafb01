"""Many files in one `storeops ingest`: written a batch at a time (files of one preset in one
transaction, ingest._write_batch), with the same result and accounting as one file after another."""

from __future__ import annotations

from storeops import ingest
from tests.ingest.conftest import stored

HEAD = "单号,买家,下单时间,付款时间,状态,商品金额,实付,省份\n"
NARROW = "单号,买家,下单时间,付款时间,状态,商品金额,实付\n"  # no province column
#: a store's own export (params/sources/): its province column optional
PRESET = """name: shop_orders
label: the shop's orders export
format: csv
encoding: utf-8
tables:
  orders:
    order_id: 单号
    buyer_id: 买家
    created_at: 下单时间
    paid_at: 付款时间
    status: 状态
    goods_amount: 商品金额
    paid_amount: 实付
    province: {column: 省份, optional: true}
    is_urgent: {value: false}
"""


def _preset(project):
    (project.root / "params" / "sources" / "shop_orders.yaml").write_text(PRESET, encoding="utf-8")


def _csv(path, head, rows):
    path.write_text(head + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_batch_lands_as_the_files_would_one_by_one(project, tmp_path):
    _preset(project)
    a = _csv(tmp_path / "a.csv", HEAD, [("o1", "b1", "2026-11-01 10:00:00", "2026-11-01 10:05:00", "paid", "10.00", "10.00", "浙江"),
                                        ("o2", "b2", "2026-11-01 11:00:00", "", "created", "20.00", "0.00", "广东")])
    # the next hour's export: o2 paid since, o3 new
    b = _csv(tmp_path / "b.csv", HEAD, [("o2", "b2", "2026-11-01 11:00:00", "2026-11-01 12:00:00", "paid", "20.00", "20.00", "广东"),
                                        ("o3", "b3", "2026-11-01 12:30:00", "2026-11-01 12:31:00", "paid", "30.00", "30.00", "江苏")])
    # a narrower export of o1 (no province): it must not erase the province a wider one loaded
    c = _csv(tmp_path / "c.csv", NARROW, [("o1", "b1", "2026-11-01 10:00:00", "2026-11-01 10:05:00", "paid", "10.00", "12.00")])
    lines = _csv(tmp_path / "lines.csv", "order_id,line_no,sku,qty,unit_price,amount,refund_qty\n",
                 [("o3", "1", "S1", "1", "30.00", "30.00", "0")])
    done, refused = ingest.ingest_paths(project, [a, b, c, lines])
    assert refused == []
    o = stored(project, "orders", "order_id")
    assert o.order_id.tolist() == ["o1", "o2", "o3"]
    assert [str(v) for v in o.paid_amount] == ["12.00", "20.00", "30.00"]  # the later file wins
    assert o.province.tolist() == ["浙江", "广东", "江苏"]  # the narrower file left o1's province
    assert stored(project, "order_items", "order_id").order_id.tolist() == ["o3"]  # its order was stored first
    by_file = {r.path.name: (r.rows_read, r.rows_accepted, r.written) for r in done}
    assert by_file == {"a.csv": (2, 2, {"orders": 2}), "b.csv": (2, 2, {"orders": 2}), "c.csv": (1, 1, {"orders": 1}),
                       "lines.csv": (1, 1, {"order_items": 1})}
    log = stored(project, "ingest_log", "file")
    assert sorted(log.file.map(lambda f: f.rsplit("/", 1)[-1])) == ["a.csv", "b.csv", "c.csv", "lines.csv"]


def test_a_batch_that_will_not_load_is_written_file_by_file(project, tmp_path, monkeypatch):
    """Should the batch's one transaction fail, each file is tried alone: only the file at fault is
    refused (with the warehouse's reason), the others land."""
    from storeops import warehouse

    _preset(project)
    files = [_csv(tmp_path / f"d{i}.csv", HEAD, [(f"o{i}", "b", "2026-11-02 10:00:00", "2026-11-02 10:01:00", "paid",
                                                  "5.00", "5.00", "浙江")]) for i in range(3)]
    real = warehouse.upsert_many

    def refuses_d1(con, data, columns=None):
        if any("d1.csv" in f for f in data["ingest_log"].column("file").to_pylist()):
            raise warehouse.WarehouseError("orders: the disk said no")
        return real(con, data, columns)

    monkeypatch.setattr(warehouse, "upsert_many", refuses_d1)
    done, refused = ingest.ingest_paths(project, files)
    assert [r.path.name for r in done] == ["d0.csv", "d2.csv"]
    assert [(e.path.rsplit("/", 1)[-1], e.problem) for e in refused] == \
        [("d1.csv", "not loaded, warehouse unchanged: orders: the disk said no")]
    assert stored(project, "orders", "order_id").order_id.tolist() == ["o0", "o2"]
