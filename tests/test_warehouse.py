from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import pandas as pd
import pytest

from storeops import config, warehouse
from storeops.errors import WarehouseError
from tests.conftest import frame, write_config


def _traffic(*rows):
    return pd.DataFrame(rows, columns=["date", "uv", "pv"]).assign(date=lambda d: pd.to_datetime(d.date).dt.date)


def test_creates_every_canonical_table(con):
    from storeops import schema

    assert set(schema.TABLES) <= set(con.list_tables())
    assert con.table("orders").schema()["paid_amount"].is_decimal()


def test_upsert_twice_changes_nothing(con):
    rows = _traffic(("2026-03-01", 10, 30), ("2026-03-02", 20, 60))
    assert warehouse.upsert(con, "traffic", rows) == 2
    warehouse.upsert(con, "traffic", rows)
    got = con.table("traffic").order_by("date").execute()
    assert got.uv.tolist() == [10, 20] and len(got) == 2


def test_upsert_replaces_by_key_and_keeps_the_rest(con):
    warehouse.upsert(con, "traffic", _traffic(("2026-03-01", 10, 30), ("2026-03-02", 20, 60)))
    warehouse.upsert(con, "traffic", _traffic(("2026-03-02", 25, 70), ("2026-03-03", 5, 9)))
    got = con.table("traffic").order_by("date").execute()
    assert got.uv.tolist() == [10, 25, 5]


def test_composite_key_and_last_row_of_a_key_wins(con):
    rows = [dict(order_id="o1", line_no=1, sku="A", qty=1, unit_price="9.90", amount="9.90", refund_qty=0),
            dict(order_id="o1", line_no=2, sku="B", qty=1, unit_price="5.00", amount="5.00", refund_qty=0),
            dict(order_id="o1", line_no=2, sku="B", qty=2, unit_price="5.00", amount="10.00", refund_qty=0)]
    assert warehouse.upsert(con, "order_items", frame("order_items", rows)) == 2
    got = con.table("order_items").order_by("line_no").execute()
    assert got.qty.tolist() == [1, 2]
    assert str(got.amount.iloc[1]) == "10.000000"  # exact decimal: a line's amount as given, to 6 places


def test_rows_that_do_not_fit_change_nothing(con):
    warehouse.upsert(con, "traffic", _traffic(("2026-03-01", 10, 30)))
    bad = pd.DataFrame({"date": [_dt.date(2026, 3, 1)], "uv": ["many"], "pv": [1]})
    with pytest.raises(WarehouseError, match="traffic: rows do not fit the schema"):
        warehouse.upsert(con, "traffic", bad)
    with pytest.raises(WarehouseError, match="traffic: missing columns pv"):
        warehouse.upsert(con, "traffic", bad.drop(columns="pv"))
    assert con.table("traffic").uv.execute().tolist() == [10]


def test_null_in_a_required_column_is_refused(con):
    bad = pd.DataFrame({"date": [_dt.date(2026, 3, 1)], "uv": pd.array([None], "Int64"), "pv": [1]})
    with pytest.raises(WarehouseError, match="traffic: rows do not fit the schema"):
        warehouse.upsert(con, "traffic", bad)


def test_a_failure_inside_the_transaction_undoes_the_delete(con):
    warehouse.upsert(con, "traffic", _traffic(("2026-03-01", 10, 30)))
    with pytest.raises(RuntimeError):
        with warehouse._transaction(con):
            con.raw_sql('DELETE FROM "traffic"')
            raise RuntimeError("the INSERT failed")
    assert con.table("traffic").uv.execute().tolist() == [10]


def test_freshness(con):
    warehouse.upsert(con, "traffic", _traffic(("2026-03-01", 10, 30), ("2026-03-04", 1, 1)))
    f = {x.table: x for x in warehouse.freshness(con, ["traffic", "orders", "order_items"])}
    assert f["traffic"].rows == 2 and f["traffic"].latest == _dt.date(2026, 3, 4)
    assert f["orders"].rows == 0 and f["orders"].latest is None
    assert f["order_items"].latest is None  # no date column of its own


def test_relative_warehouse_path_resolves_against_the_project_root(tmp_path, monkeypatch):
    cfg = config.load(write_config(tmp_path))
    monkeypatch.chdir("/")
    assert warehouse.resolve_url(cfg) == f"duckdb://{tmp_path}/data/warehouse.duckdb"
    with pytest.raises(WarehouseError, match="does not exist: run `storeops demo`"):
        warehouse.connect(cfg)
    con = warehouse.connect(cfg, create=True)
    assert "orders" in con.list_tables()
    con.disconnect()
    assert (tmp_path / "data" / "warehouse.duckdb").is_file()


def test_a_table_out_of_time_order_is_written_in_order_again_with_every_row(con):
    """Loads that replace earlier days' rows append them at the end: a day then lies in many row
    groups. keep_in_order rewrites such a table in date order, in one transaction, losing nothing."""
    db = con.con
    days, per_day = 200, 1_500  # 300,000 rows: 3 row groups
    db.execute(f"INSERT INTO product_traffic SELECT DATE '2026-01-01' + (i // {per_day})::INT, 'p' || (i % {per_day}), "
               f"i % 7, i % 11, 0, 0 FROM range({days * per_day}) t(i)")
    assert warehouse.spread(con, "product_traffic") == pytest.approx(1.0)  # 3 groups, in order
    assert warehouse.keep_in_order(con, ["product_traffic", "traffic"]) == []  # in order: nothing to do

    db.execute("CREATE TABLE before AS SELECT * FROM product_traffic")
    db.execute("DELETE FROM product_traffic")  # the same rows, stored in no order of time
    db.execute("INSERT INTO product_traffic SELECT * FROM before ORDER BY hash(product_id, date)")
    assert warehouse.spread(con, "product_traffic") > 2.9  # every day in each of the 3 groups
    assert warehouse.keep_in_order(con, ["product_traffic"]) == ["product_traffic"]
    assert warehouse.spread(con, "product_traffic") < 1.02
    assert db.execute("SELECT count(*) FROM product_traffic").fetchone()[0] == days * per_day
    for a, b in (("product_traffic", "before"), ("before", "product_traffic")):
        assert db.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()[0] == 0
    dates = [r[0] for r in db.execute("SELECT date FROM product_traffic ORDER BY rowid").fetchall()]
    assert dates == sorted(dates)


def test_a_warehouse_from_before_keeps_its_lines_when_their_prices_widen():
    # order_items as storeops wrote it before lines kept prices past the cent: DECIMAL(18,2)
    import ibis

    con = ibis.duckdb.connect()
    con.con.execute('CREATE TABLE order_items (order_id VARCHAR NOT NULL, line_no INTEGER NOT NULL, sku VARCHAR, '
                    'qty INTEGER NOT NULL, unit_price DECIMAL(18,2) NOT NULL, amount DECIMAL(18,2) NOT NULL, '
                    'refund_qty INTEGER NOT NULL)')
    con.con.execute("INSERT INTO order_items VALUES ('o1', 1, 'A', 3, 161.10, 483.30, 0)")
    warehouse.create_tables(con)
    cols = dict(con.con.sql("SELECT column_name, data_type || ' ' || is_nullable FROM information_schema.columns "
                            "WHERE table_name = 'order_items'").fetchall())
    assert cols["unit_price"] == cols["amount"] == "DECIMAL(18,6) NO"  # wider, still required
    assert con.con.sql("SELECT unit_price, amount FROM order_items").fetchall() == [
        (Decimal("161.100000"), Decimal("483.300000"))]
    con.con.execute("INSERT INTO order_items VALUES ('o2', 1, 'B', 1000, 0.001, 1.000, 0)")  # now it fits
    assert con.con.sql("SELECT sum(amount) FROM order_items").fetchone()[0] == Decimal("484.3")
    con.disconnect()


def test_duckdb_keeps_to_the_stores_memory_limit_and_spills_where_it_says(tmp_path):
    root = tmp_path / "store"
    write_config(root, extra="warehouse:\n  memory_limit: 512MB\n  temp_directory: spill\n")
    cfg = config.load(root / "params" / "store.yaml")
    con = warehouse.connect(cfg, create=True)
    try:
        limit, temp = con.con.sql("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
        assert limit == "488.2 MiB" and temp == str(root / "spill")  # DuckDB writes 512 MB in MiB
    finally:
        con.disconnect()
    write_config(root, extra="warehouse:\n  memory_limit: lots\n")
    with pytest.raises(Exception, match="memory_limit"):
        config.load(root / "params" / "store.yaml")


def test_the_warehouse_opens_again_in_one_process_after_it_spilled(tmp_path):
    """A big store's review spills to its temp directory; the same file opened again in the process (the
    analyst's next context) is the same DuckDB database, whose temp directory DuckDB will not set again."""
    root = tmp_path / "store"
    write_config(root, extra="warehouse:\n  memory_limit: 30MB\n  temp_directory: spill\n")
    cfg = config.load(root / "params" / "store.yaml")
    warehouse.connect(cfg, create=True).disconnect()
    first = warehouse.connect(cfg, read_only=True)  # as a review opens it
    # a sort of 3 million rows in 30 MB: written out to spill/
    assert first.con.sql("SELECT count(*) FROM (SELECT * FROM range(3000000) t(x) ORDER BY random())").fetchone() == (
        3000000,)
    assert (root / "spill").is_dir()
    again = warehouse.connect(cfg, read_only=True)
    assert again.con.sql("SELECT current_setting('temp_directory')").fetchone() == (str(root / "spill"),)
    again.disconnect()
    first.disconnect()
