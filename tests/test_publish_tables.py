"""The Spark target's settings and the Parquet it reads (storeops.spark), without Spark: a month a
file, only changed months rewritten, every row there; the end-to-end Spark runs are in tests/e2e."""

from __future__ import annotations

import duckdb
import pytest

from storeops import config, spark, warehouse
from storeops.errors import ConfigError, WarehouseError
from tests.conftest import load, write_config

SPARK = "warehouse:\n  url: pyspark://\n"


def _spark_config(tmp_path, block: str):
    p = write_config(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace("warehouse:\n  url: duckdb://data/warehouse.duckdb\n", block),
                 encoding="utf-8")
    return config.load(p)


def test_settings_default_and_checked(tmp_path):
    cfg = _spark_config(tmp_path, SPARK + "  spark:\n    master: local[2]\n    conf: {spark.sql.shuffle.partitions: 2}\n")
    s = spark.settings(cfg)
    assert (s.master, s.tables, s.database) == ("local[2]", tmp_path / "data" / "spark", None)
    conf = spark.session_conf(s)
    assert conf["spark.sql.shuffle.partitions"] == "2" and conf["spark.ui.showConsoleProgress"] == "false"
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert spark.is_spark(cfg.warehouse_url) and cfg.load_url == "pyspark://"

    both = _spark_config(tmp_path, SPARK + "  spark:\n    tables: data/spark\n    database: shop\n")
    with pytest.raises(WarehouseError, match="give tables .* or database .*, not both"):
        spark.settings(both)
    # a typo is refused as the settings load (storeops.settings), with its line and the key meant
    with pytest.raises(ConfigError, match=r"store.yaml:\d+: warehouse.spark.tabels is no setting \(did you mean "
                                          r"tables\?\)"):
        _spark_config(tmp_path, SPARK + "  spark:\n    tabels: data/spark\n")


def test_store_options_keep_the_quiet_logging(tmp_path):
    cfg = _spark_config(tmp_path, SPARK + "  spark:\n    conf:\n      spark.driver.extraJavaOptions: -Xss4m\n")
    opts = spark.session_conf(spark.settings(cfg))["spark.driver.extraJavaOptions"]
    assert opts.startswith("-Dlog4j2.configurationFile=file:") and opts.endswith(" -Xss4m")
    assert spark.DEFAULTS["spark.driver.extraJavaOptions"].split("file:")[1].endswith("log4j2.properties")


def test_ingest_into_spark_needs_a_load_warehouse(tmp_path):
    cfg = _spark_config(tmp_path, SPARK)
    with pytest.raises(WarehouseError, match="set warehouse.load to the DuckDB file ingest loads"):
        warehouse.connect(cfg, create=True)


def _read(folder):
    return duckdb.sql(f"SELECT * FROM read_parquet('{folder}/*.parquet') ORDER BY ALL").fetchall()


def test_a_file_a_month_rewritten_only_when_it_changed(con, tmp_path):
    rows = [dict(order_id="o1", buyer_id="b1", created_at="2026-10-31 23:59:59", paid_amount="10.00",
                 goods_amount="10.00"),
            dict(order_id="o2", buyer_id="b2", created_at="2026-11-01 00:00:00", paid_amount="20.50",
                 goods_amount="20.50"),
            dict(order_id="o3", buyer_id="b2", created_at="2026-11-15 12:00:00", paid_amount="5.25",
                 goods_amount="5.25")]
    load(con, orders=rows, traffic=[])
    dest = tmp_path / "spark"
    first = {p.table: p for p in spark.publish(con, dest)}
    assert sorted(f.name for f in (dest / "orders").iterdir()) == ["2026-10.parquet", "2026-11.parquet"]
    assert (first["orders"].rows, first["orders"].written) == (3, 2)
    assert [f.name for f in (dest / "traffic").iterdir()] == ["empty.parquet"]  # its columns, no rows
    assert "ingest_log" not in {f.name for f in dest.iterdir()}
    assert _read(dest / "orders") == con.con.sql("SELECT * FROM orders ORDER BY ALL").fetchall()
    assert duckdb.sql(f"DESCRIBE SELECT * FROM '{dest}/orders/2026-10.parquet'").fetchall()[2][1] == "TIMESTAMP"

    stamps = {f: f.stat().st_mtime_ns for f in dest.rglob("*.parquet")}
    again = spark.publish(con, dest)
    assert sum(p.written for p in again) == 0 and sum(p.removed for p in again) == 0
    assert {f: f.stat().st_mtime_ns for f in dest.rglob("*.parquet")} == stamps

    con.raw_sql("UPDATE orders SET paid_amount = 21.50 WHERE order_id = 'o2'")
    con.raw_sql("DELETE FROM orders WHERE order_id = 'o1'")
    third = {p.table: p for p in spark.publish(con, dest)}["orders"]
    assert (third.written, third.unchanged, third.removed) == (1, 0, 1)
    assert [f.name for f in (dest / "orders").iterdir()] == ["2026-11.parquet"]
    assert [r[0] for r in _read(dest / "orders")] == ["o2", "o3"]
    assert not list(dest.rglob(".*.tmp"))


def test_files_spark_would_misread_are_named_before_any_query(con, tmp_path):
    """The footers of each published file are checked at connect: a missing column, another type, or
    instants where wall-clock times belong (TIMESTAMPTZ) get one line naming the file."""
    load(con, traffic=[dict(date="2026-11-01", uv=5, pv=9)],
         orders=[dict(order_id="o1", buyer_id="b1", created_at="2026-11-01 08:00:00", paid_amount="1.00",
                      goods_amount="1.00")])
    spark.publish(con, tmp_path)
    spark._check_files("orders", [tmp_path / "orders" / "2026-11.parquet"])  # as published: fine
    bad = tmp_path / "bad.parquet"
    for select, message in (
            ("* EXCLUDE (pv)", "lacks column pv"),
            ("* REPLACE (uv::INTEGER AS uv)", "traffic.uv is int32 in .*bad.parquet, storeops expects int64"),
    ):
        duckdb.sql(f"COPY (SELECT {select} FROM '{tmp_path}/traffic/2026-11.parquet') TO '{bad}' (FORMAT parquet)")
        with pytest.raises(WarehouseError, match=message):
            spark._check_files("traffic", [bad])
    duckdb.sql(f"COPY (SELECT * REPLACE (created_at::TIMESTAMPTZ AS created_at) FROM "
               f"'{tmp_path}/orders/2026-11.parquet') TO '{bad}' (FORMAT parquet)")
    with pytest.raises(WarehouseError, match="orders.created_at is TIMESTAMP .* TIMESTAMP_NTZ"):
        spark._check_files("orders", [bad])
