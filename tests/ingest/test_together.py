"""Small files of one preset and one header read as one (ingest.together): each file gets exactly what
reading it alone gives, and files that would not read cleanly as one are read one by one."""

from __future__ import annotations

import pytest

from storeops import ingest, warehouse
from storeops.ingest import presets, read, together
from tests.ingest.conftest import stored
from tests.ingest.test_batch import HEAD, NARROW, _csv, _preset


def _row(order, paid="10.00", buyer="b1"):
    return (order, buyer, "2026-11-01 10:00:00", "2026-11-01 10:05:00", "paid", "10.00", paid, "浙江")


def _staged(cfg, paths):
    """The files as ingest_paths stages them: (rank, position, path, table, (preset, header row, detected))."""
    available = presets.all_presets(cfg.root)
    out = []
    for i, path in enumerate(paths):
        t = read.read(path)
        out.append((0, i, path, t, ingest.choose_preset(t, available, None)))
    return out


def _as_one(cfg, paths):
    staged = _staged(cfg, paths)
    con = warehouse.connect(cfg, create=True)
    try:
        return together.read_as_one(cfg, con, together.run(staged, 0), False), staged
    finally:
        con.disconnect()


def test_clean_files_read_as_one_give_what_each_gives_alone(project, tmp_path):
    _preset(project)
    files = [_csv(tmp_path / "d1.csv", HEAD, [_row("o1"), _row("o2", "7.50")]),
             _csv(tmp_path / "d2.csv", HEAD, [_row("o3", "0.00")]),
             _csv(tmp_path / "d3.csv", HEAD, [_row("o4"), _row("o5"), _row("o6", "99.99", "b9")])]
    got, staged = _as_one(project, files)
    assert list(got) == files
    con = warehouse.connect(project, create=True)
    try:
        for path, (_, _, _, t, chosen) in zip(files, staged):
            alone = ingest.read_file(project, con, path, table=t, chosen=chosen)
            mine = got[path]
            assert (mine.report.preset, mine.report.detected, mine.report.rows_read, mine.report.rows_accepted,
                    mine.report.rows_rejected) == (alone.report.preset, True, alone.report.rows_read,
                                                   alone.report.rows_accepted, 0)
            assert mine.out.keys() == alone.out.keys() and all(mine.out[t].equals(alone.out[t]) for t in mine.out)
            assert (mine.carried, mine.names, mine.rejected) == (alone.carried, alone.names, [])
    finally:
        con.disconnect()
    assert [got[f].report.rows_read for f in files] == [2, 1, 3]
    assert [got[f].out["orders"]["order_id"].to_pylist() for f in files] == [["o1", "o2"], ["o3"], ["o4", "o5", "o6"]]
    done, refused = ingest.ingest_paths(project, files)
    assert refused == []
    assert [(r.path.name, r.rows_read, r.rows_accepted, r.written) for r in done] == \
        [("d1.csv", 2, 2, {"orders": 2}), ("d2.csv", 1, 1, {"orders": 1}), ("d3.csv", 3, 3, {"orders": 3})]
    o = stored(project, "orders", "order_id")
    assert [str(v) for v in o.paid_amount] == ["10.00", "7.50", "0.00", "10.00", "10.00", "99.99"]
    assert sorted(stored(project, "ingest_log", "file").rows_read) == [1, 2, 3]


def test_a_run_is_files_of_one_preset_and_header_each_small(project, tmp_path, monkeypatch):
    _preset(project)
    a = _csv(tmp_path / "a.csv", HEAD, [_row("o1")])
    b = _csv(tmp_path / "b.csv", HEAD, [_row("o2")])
    narrow = _csv(tmp_path / "c.csv", NARROW, [_row("o3")[:-1]])
    d = _csv(tmp_path / "d.csv", HEAD, [_row("o4")])
    staged = _staged(project, [a, b, narrow, d])
    assert [x[2] for x in together.run(staged, 0)] == [a, b]  # the narrower header ends the run
    assert [x[2] for x in together.run(staged, 2)] == [narrow]
    monkeypatch.setattr(together, "SMALL", b.stat().st_size - 1)  # b is now too big to join a
    assert [x[2] for x in together.run(staged, 0)] == []  # nor is a: each goes alone


@pytest.mark.parametrize("case", ["key in two files", "bad cell", "rounded in one file", "floats in one file"])
def test_files_that_do_not_read_cleanly_as_one_are_read_one_by_one(project, tmp_path, case):
    _preset(project)
    if case == "key in two files":  # the later file updates the order: no duplicate to reject
        first = [_row("o1"), _row("o2")]
        second = [_row("o2", "12.00"), _row("o3")]
    elif case == "bad cell":
        first = [_row("o1"), _row("o2", "abc")]
        second = [_row("o3")]
    elif case == "rounded in one file":  # Excel rounded the first file's ids (zeros past the 15th digit)
        first = [_row("123456789012345000"), _row("223456789012345000")]
        second = [_row("323456789012345678")]
    else:  # pandas wrote the first file's ids as floats (every one ends in .0): read as whole ids
        first = [_row("17850.0"), _row("17851.0")]
        second = [_row("17852")]
    a, b = _csv(tmp_path / "a.csv", HEAD, first), _csv(tmp_path / "b.csv", HEAD, second)
    got, _ = _as_one(project, [a, b])
    assert got == {}
    done, refused = ingest.ingest_paths(project, [a, b])
    assert refused == []
    by_file = {r.path.name: (r.rows_read, r.rows_accepted, r.rows_rejected) for r in done}
    o = stored(project, "orders", "order_id")
    if case == "key in two files":
        assert by_file == {"a.csv": (2, 2, 0), "b.csv": (2, 2, 0)}
        assert [str(v) for v in o.paid_amount] == ["10.00", "12.00", "10.00"]
    elif case == "bad cell":
        assert by_file == {"a.csv": (2, 1, 1), "b.csv": (1, 1, 0)}
        assert o.order_id.tolist() == ["o1", "o3"]
        assert "column 实付" in done[0].reasons[0][1] and done[0].reasons[0][0] == 3
    elif case == "rounded in one file":
        assert by_file == {"a.csv": (2, 0, 2), "b.csv": (1, 1, 0)}
        assert o.order_id.tolist() == ["323456789012345678"]
        assert "Excel" in done[0].reasons[0][1]
    else:
        assert by_file == {"a.csv": (2, 2, 0), "b.csv": (1, 1, 0)}
        assert o.order_id.tolist() == ["17850", "17851", "17852"]
        assert (done[0].floated, done[1].floated) == (["单号"], [])


#: one row gives an order and one line, the line naming its order in a column of its own
SPLIT = """name: split_orders
label: orders with their one line
tables:
  orders:
    order_id: 单号
    created_at: 下单时间
    status: 状态
    goods_amount: 商品金额
    paid_amount: 实付
    is_urgent: {value: false}
  order_items:
    order_id: 主单号
    line_no: 行
    sku: 商品
    qty: 数量
    unit_price: 单价
    amount: 金额
    refund_qty: {value: 0}
"""
SPLIT_HEAD = "单号,主单号,行,商品,数量,单价,金额,下单时间,状态,商品金额,实付\n"


@pytest.mark.parametrize("elsewhere", [False, True])
def test_a_line_finds_its_order_only_in_its_own_file_or_the_warehouse(project, tmp_path, elsewhere):
    """Read alone, b.csv's line whose order is in a.csv is rejected (a.csv is not written yet when b.csv
    is read): read as one, the files must not find it either."""
    (project.root / "params" / "sources" / "split.yaml").write_text(SPLIT, encoding="utf-8")
    a = _csv(tmp_path / "a.csv", SPLIT_HEAD, [("A1", "A1", "1", "S1", "1", "10.00", "10.00", "2026-11-01 10:00:00",
                                               "paid", "10.00", "10.00")])
    b = _csv(tmp_path / "b.csv", SPLIT_HEAD, [("B1", "A1" if elsewhere else "B1", "2", "S2", "1", "5.00", "5.00",
                                               "2026-11-01 11:00:00", "paid", "5.00", "5.00")])
    got, _ = _as_one(project, [a, b])
    assert list(got) == ([] if elsewhere else [a, b])
    done, refused = ingest.ingest_paths(project, [a, b])
    assert refused == []
    assert [(r.path.name, r.rows_read, r.rows_accepted, r.rows_rejected) for r in done] == \
        [("a.csv", 1, 1, 0), ("b.csv", 1, 0 if elsewhere else 1, 1 if elsewhere else 0)]
    if elsewhere:
        assert "order A1 is not in the warehouse" in done[1].reasons[0][1]
    assert stored(project, "order_items", "order_id").order_id.tolist() == (["A1"] if elsewhere else ["A1", "B1"])
