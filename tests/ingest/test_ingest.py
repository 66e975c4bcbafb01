"""Ingest end to end: parsed values, upserts, the log, dry runs, the command line, and round trips."""

from __future__ import annotations

import datetime as _dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import ibis
import pandas as pd
import pytest

from storeops import config, demo, ingest, warehouse
from storeops.errors import ConfigError
from storeops.ingest import export, presets
from tests.conftest import BIN, ROOT, write_config
from tests.ingest.conftest import stored

BAD = ROOT / "tests" / "data" / "bad"


def test_taobao_values_parse_exactly(project):
    ingest.ingest_paths(project, [BAD / "taobao_orders_gbk.csv"])
    o = stored(project, "orders", "order_id")
    first, unpaid = o.iloc[0], o.iloc[1]
    assert first.order_id == "2611260000000001"  # ="…" removed, all 16 digits kept
    assert (first.goods_amount, first.paid_amount, first.discount_amount) == (
        Decimal("1234.00"), Decimal("1214.00"), Decimal("20.00"))  # ¥1,234.00 − ¥1,214.00
    assert first.tax_amount == Decimal("0.00") and first.source == "taobao" and not first.is_urgent
    assert (first.status, first.province) == ("completed", "浙江")
    assert first.created_at == pd.Timestamp("2026-11-26 10:00:00")
    assert unpaid.status == "pending_payment" and pd.isna(unpaid.paid_at) and pd.isna(unpaid.shipped_at)


def test_shopify_times_become_store_time(project):
    ingest.ingest_paths(project, [BAD / "shopify_bad_line.csv"])
    o = stored(project, "orders", "order_id")
    assert o.order_id.tolist() == ["#1001"]  # #1002 had a bad line: the whole order waits
    # 10:00 at UTC−5 is 15:00 UTC, 23:00 in Shanghai
    assert o.created_at.iloc[0] == pd.Timestamp("2026-11-26 23:00:00")
    assert o.paid_at.iloc[0] == pd.Timestamp("2026-11-26 23:05:00")
    assert o.goods_amount.iloc[0] == Decimal("20.00") and o.paid_amount.iloc[0] == Decimal("25.00")
    items = stored(project, "order_items", "order_id")
    assert items[["order_id", "line_no", "sku", "qty"]].values.tolist() == [["#1001", 1, "TEE-M", 1]]


def _traffic_csv(path: Path, rows):
    path.write_text("date,uv,pv\n" + "".join(f"{d},{u},{p}\n" for d, u, p in rows))
    return path


def test_reingest_changes_nothing_and_a_later_export_corrects(project, tmp_path):
    a = _traffic_csv(tmp_path / "a.csv", [("2026-11-01", 10, 30), ("2026-11-02", 20, 60)])
    ingest.ingest_paths(project, [a])
    ingest.ingest_paths(project, [a])
    assert stored(project, "traffic", "date").uv.tolist() == [10, 20]
    b = _traffic_csv(tmp_path / "b.csv", [("2026-11-02", 25, 70), ("2026-11-03", 5, 9)])
    ingest.ingest_paths(project, [b])
    assert stored(project, "traffic", "date").uv.tolist() == [10, 25, 5]
    log = stored(project, "ingest_log", "ingested_at")
    assert log.file.tolist() == [str(a), str(a), str(b)]
    assert log[["rows_read", "rows_accepted", "rows_rejected", "rows_written"]].values.tolist() == [[2, 2, 0, 2]] * 3
    assert log.preset.unique().tolist() == ["canonical_traffic"] and log.file_hash.str.len().unique().tolist() == [64]


def test_dry_run_writes_nothing(project):
    done, _ = ingest.ingest_paths(project, [BAD / "traffic_bad_numbers.csv"], dry_run=True)
    assert (done[0].rows_read, done[0].rows_accepted, done[0].rows_rejected) == (3, 1, 2)
    assert done[0].summary().endswith("(dry run: nothing written)")
    assert not (project.root / "data").exists()  # no warehouse made, no rejects file


def test_command_line(project):
    def run(*args):
        return subprocess.run([BIN / "storeops", "ingest", *map(str, args), "--config", project.path],
                              capture_output=True, text=True)

    r = run(BAD / "traffic_bad_numbers.csv", BAD / "empty.csv")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("traffic_bad_numbers.csv [canonical_traffic, detected]: read 3, accepted 1, "
                               "rejected 2; wrote traffic 1; rejects in ")
    assert lines[-1] == "1 file(s): read 3, accepted 1, rejected 2; 1 file(s) refused"
    assert f"storeops ingest: refused {BAD / 'empty.csv'}: the file is empty" in r.stderr
    r = run(BAD / "traffic_utf8_bom.csv", "--preset", "canonical_traffic", "--dry-run")
    assert r.returncode == 0 and "[canonical_traffic, given]" in r.stdout


def test_bad_preset_files_say_what_is_wrong(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("name: x\ntables:\n  orders:\n    order_key: 订单号\n")
    with pytest.raises(ConfigError, match="orders has no column 'order_key'"):
        presets.load_preset(p)
    p.write_text("name: x\ntables:\n  orders:\n    goods_amount: {expr: \"__import__('os')\"}\n")
    with pytest.raises(ConfigError, match="only \\+ − × ÷, numbers and column names are allowed"):
        presets.load_preset(p)
    # a typo in a preset's own keys is refused on its line, with the key meant
    p.write_text("name: x\npaid_is_net_of_refund: true\ntables:\n  orders:\n    order_id: 订单号\n")
    with pytest.raises(ConfigError, match="x.yaml:2: paid_is_net_of_refund is no setting \\(did you mean "
                                          "paid_is_net_of_refunds\\?\\)"):
        presets.load_preset(p)


# ---------------------------------------------------------------- round trips


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("rt")
    write_config(root)
    shutil.copytree(ROOT / "params" / "sources", root / "params" / "sources")
    cfg = config.load(root / "params" / "store.yaml")
    con = warehouse.connect(cfg, create=True)
    demo.generate(con, days=40, seed=5, end=_dt.date(2026, 11, 26))  # 双11 and its campaign included
    yield cfg, con
    con.disconnect()


#: the demo has no refund documents (its refunds are on its orders): canonical_refunds round-trips below
ALL = sorted(n for n in presets.all_presets(ROOT) if n != "canonical_refunds")


@pytest.mark.parametrize("name", ALL)
def test_round_trip(demo_store, name, tmp_path):
    """The demo written in each preset's format and ingested again gives identical canonical rows,
    in every column the format carries."""
    cfg, con = demo_store
    preset = presets.all_presets(ROOT)[name]
    path = export.write(preset, con, tmp_path / "out", cfg.timezone)
    target_root = tmp_path / "target"
    write_config(target_root)
    shutil.copytree(ROOT / "params" / "sources", target_root / "params" / "sources")
    target = config.load(target_root / "params" / "store.yaml")
    if "order_items" in preset.tables and "orders" not in preset.tables:  # lines need their orders
        orders = export.write(presets.all_presets(ROOT)["canonical_orders"], con, tmp_path / "o", cfg.timezone)
        ingest.ingest_paths(target, [orders])
    done, refused = ingest.ingest_paths(target, [path])
    assert refused == [] and done[0].preset == name and done[0].rows_rejected == 0, done[0].reasons[:3]
    got_con = warehouse.connect(target, read_only=True)
    try:
        for table, specs in preset.tables.items():
            key = list(warehouse.schema.table(table).key)
            cols = [s.target for s in specs if not s.has_value and s.target not in preset.lossy] or key
            expected = con.table(table)
            for s in specs:
                if s.has_value and s.target in key:
                    expected = expected.filter(expected[s.target] == s.value)
            want = expected.select(*key, *[c for c in cols if c not in key]).order_by(key).execute()
            have = got_con.table(table).select(*want.columns).order_by(key).execute()
            assert len(want) > 0
            pd.testing.assert_frame_equal(have.reset_index(drop=True), want.reset_index(drop=True))
    finally:
        got_con.disconnect()


def test_refund_documents_round_trip(project, tmp_path):
    from tests.conftest import load

    src = ibis.duckdb.connect()
    warehouse.create_tables(src)
    load(src, refunds=[dict(refund_id="C1", line_no=1, order_id="o1", refunded_at="2026-11-26 15:00:01", sku="S1",
                            qty=2, amount="12.50"),
                       dict(refund_id="C1", line_no=2, order_id="o1", refunded_at="2026-11-26 15:00:01", sku=None,
                            qty=0, amount="0.99"),
                       dict(refund_id="C2", line_no=1, order_id=None, refunded_at="2026-11-27 09:30:00", sku="S2",
                            qty=1, amount="1234567.89")])
    path = export.write(presets.canonical("refunds"), src, tmp_path / "out", "Asia/Shanghai")
    done, refused = ingest.ingest_paths(config.load(project.path), [path])
    assert refused == [] and (done[0].preset, done[0].rows_accepted, done[0].rows_rejected) == ("canonical_refunds", 3, 0)
    got = warehouse.connect(project, read_only=True)
    try:
        key = ["refund_id", "line_no"]
        pd.testing.assert_frame_equal(got.table("refunds").order_by(key).execute(),
                                      src.table("refunds").order_by(key).execute())
    finally:
        got.disconnect()
        src.disconnect()


def test_the_readme_example_preset(project, tmp_path):
    """README: a new format is a YAML file — a semicolon-separated ERP export of daily traffic."""
    (project.root / "params" / "sources" / "my_erp_traffic.yaml").write_text(
        "name: my_erp_traffic\nlabel: 我们 ERP 的日流量\nformat: csv\ntables:\n  traffic:\n"
        "    date: 日期\n    uv: 访客\n    pv: 浏览\n", encoding="utf-8")
    f = tmp_path / "erp.csv"
    f.write_text("日期;访客;浏览\n2026-11-01;1,200;3600\n2026-11-02;1300;3900\n", encoding="utf-8")
    done, refused = ingest.ingest_paths(config.load(project.path), [f])
    assert refused == [] and (done[0].preset, done[0].rows_accepted) == ("my_erp_traffic", 2)
    assert stored(project, "traffic", "date").uv.tolist() == [1200, 1300]
