"""Shared fixtures: tiny hand-made warehouses, and one small demo project for end-to-end tests."""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import ibis
import pandas as pd
import pytest

from storeops import compiled, schema, warehouse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# every query a test runs is compiled both ways: through the cache of compiled SQL (in memory and kept
# on disk, shared by the test processes and the kernels and commands they start), and afresh; any
# difference fails the test
compiled.Backend.check = True
os.environ["STOREOPS_CHECK_SQL"] = "1"
os.environ.setdefault("STOREOPS_SQL_CACHE", str(ROOT / "build" / "sql-cache"))

ORDER_DEFAULTS = dict(status="paid", shipping_fee="0", discount_amount="0", tax_amount="0", refund_amount="0",
                      is_urgent=False, source="test")


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows for a canonical table: absent columns are NULL, money given as strings becomes Decimal."""
    t = schema.table(table)
    defaults = ORDER_DEFAULTS if table == "orders" else {}
    out = []
    for r in rows:
        full = {c: r.get(c, defaults.get(c)) for c in t.column_names}
        for c in t.columns:
            v = full[c.name]
            if c.dtype.startswith("decimal") and v is not None:
                full[c.name] = Decimal(v)
            elif c.dtype == "timestamp" and isinstance(v, str):
                full[c.name] = pd.Timestamp(v)
            elif c.dtype == "date" and isinstance(v, str):
                full[c.name] = _dt.date.fromisoformat(v)
        out.append(full)
    return pd.DataFrame(out, columns=t.column_names)


def load(con: ibis.BaseBackend, **tables: list[dict]) -> warehouse.Tables:
    for name, rows in tables.items():
        warehouse.upsert(con, name, frame(name, rows))
    return warehouse.Tables(con)


@pytest.fixture(autouse=True)
def _store_currency():
    """Each test starts with money in yuan: loading a store's settings sets its currency (formats)."""
    from storeops.present import formats

    formats.set_currency("CNY")
    yield
    formats.set_currency("CNY")


@pytest.fixture
def con():
    c = compiled.Backend().connect()
    warehouse.create_tables(c)
    yield c
    c.disconnect()


def write_config(root: Path, *, language: str = "zh", extra: str = "") -> Path:
    (root / "params").mkdir(parents=True, exist_ok=True)
    cfg = root / "params" / "store.yaml"
    cfg.write_text(
        "store:\n  name: 测试服饰店\n  name_en: Test Apparel\n  timezone: Asia/Shanghai\n"
        f"  language: {language}\nwarehouse:\n  url: duckdb://data/warehouse.duckdb\n"
        "thresholds:\n  gross_margin_rate: 0.5\n" + extra,
        encoding="utf-8",
    )
    return cfg


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory) -> Path:
    """A project folder with the real notebooks and a 70-day demo warehouse ending 2026-11-26."""
    root = tmp_path_factory.mktemp("project")
    write_config(root)
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    subprocess.run([BIN / "storeops", "demo", "--days", "70", "--end", "2026-11-26", "--config",
                    root / "params" / "store.yaml"], check=True, capture_output=True)
    return root


def pytest_sessionfinish(session, exitstatus):
    """Under STOREOPS_NO_SKIP=1 (set by .ci/run) a skipped test fails the run: every test is required."""
    import os

    if os.environ.get("STOREOPS_NO_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"STOREOPS_NO_SKIP=1: {len(skipped)} test(s) skipped; every test is required here",
                            red=True)
        session.exitstatus = 1
