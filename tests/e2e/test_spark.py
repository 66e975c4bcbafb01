"""The Spark target end to end: the same demo store read by DuckDB and by Spark (local[2], the
canonical tables published as Parquet) gives every review the same figures and the same page.

Required: without Java or PySpark these tests fail, they do not skip (.ci/run installs both)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest

from storeops import config
from storeops.metrics import registry
from storeops.publish import run, summary
from tests.conftest import BIN

pytestmark = pytest.mark.e2e
#: one period of each review on the 70-day demo store ending 2026-11-26 (a Thursday)
REVIEWS = {"daily": "2026-11-26", "weekly": "2026-W47", "monthly": "2026-10", "replenishment": "2026-11-26"}
SPARK_WAREHOUSE = """warehouse:
  url: pyspark://
  load: duckdb://data/warehouse.duckdb
  spark:
    master: local[2]
    tables: data/spark
"""


def spark_store(root: Path, source: Path) -> Path:
    """A store folder whose reports read Spark, loaded from ``source``'s warehouse (copied)."""
    if shutil.which("java") is None:
        pytest.fail("the Spark tests need Java: apt-get install default-jre-headless (.ci/run does)")
    import pyspark  # noqa: F401 — required, not optional: an ImportError fails the test

    for d in ("params", "notebooks"):
        shutil.copytree(source / d, root / d)
    (root / "data").mkdir()
    shutil.copy(source / "data" / "warehouse.duckdb", root / "data" / "warehouse.duckdb")
    cfg = root / "params" / "store.yaml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(text.replace("warehouse:\n  url: duckdb://data/warehouse.duckdb\n", SPARK_WAREHOUSE),
                   encoding="utf-8")
    assert "pyspark://" in cfg.read_text(encoding="utf-8")
    return cfg


def storeops(cfg: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "storeops", *args, "--config", cfg], capture_output=True, text=True)


@pytest.fixture(scope="module")
def both(demo_project, review, tmp_path_factory):
    """{kind: (summary on DuckDB, summary on Spark, html on DuckDB, html on Spark)}: the DuckDB side as
    the session published it (tests/e2e/conftest.py), the Spark reports run in this process by the
    runner, as cron runs them, from a copy of the same warehouse."""
    duck = {kind: review(kind, "zh") for kind in REVIEWS}  # first: the copy below holds what they read
    cfg = spark_store(tmp_path_factory.mktemp("spark-store"), demo_project)
    published = storeops(cfg, "publish-tables")
    assert published.returncode == 0, published.stderr
    spark_cfg = config.load(cfg)
    out = {}
    # the reports' JVMs keep their scratch folders here: each is asked to end, and removes its own
    scratch = tmp_path_factory.mktemp("spark-scratch")
    os.environ["SPARK_LOCAL_DIRS"] = str(scratch)
    for kind, period in REVIEWS.items():
        _, html, page = duck[kind]
        if kind == "monthly":  # its first run wrote next month's plan file and says so; a later run keeps it
            again = run.run_report(config.load(demo_project / "params" / "store.yaml"), kind, period=period)
            html, page = again.html, again.html.read_text(encoding="utf-8")
        s = run.run_report(spark_cfg, kind, period=period)
        out[kind] = (json.loads(summary.beside(html).read_text()), json.loads(s.summary.read_text()),
                     page, s.html.read_text(encoding="utf-8"))
    del os.environ["SPARK_LOCAL_DIRS"]
    for _ in range(100):  # a JVM removes them as it exits, just after its kernel
        if not any(scratch.iterdir()):
            break
        time.sleep(0.1)
    assert list(scratch.iterdir()) == []
    return out


def assert_same(duck, spark, where: str = "") -> int:
    """Every figure equal: counts exactly, money to the cent, rates and ratios within 1e-9; returns
    how many numbers were compared."""
    if isinstance(duck, dict):
        assert duck.keys() == spark.keys(), where
        return sum(assert_same(duck[k], spark[k], f"{where}.{k}") for k in duck)
    if isinstance(duck, list):
        assert len(duck) == len(spark), where
        return sum(assert_same(a, b, f"{where}[{i}]") for i, (a, b) in enumerate(zip(duck, spark)))
    if isinstance(duck, bool) or not isinstance(duck, int | float):
        assert duck == spark, where
        return 0
    metric = registry.METRICS.get(where.rsplit(".", 1)[-1])
    if isinstance(duck, int) and isinstance(spark, int):
        assert duck == spark, where
    elif metric is not None and metric.unit == "money" and where.startswith(".metrics"):
        cent = Decimal("0.01")
        assert Decimal(str(duck)).quantize(cent) == Decimal(str(spark)).quantize(cent), where
    else:
        assert spark == pytest.approx(duck, rel=1e-9, abs=1e-9), where
    return 1


@pytest.mark.parametrize("kind", list(REVIEWS))
def test_every_figure_of_summary_json_is_the_same_on_spark(both, kind):
    duck, spark, _, _ = both[kind]
    assert duck["kind"] == kind and duck["period"] == spark["period"]
    assert assert_same(duck, spark) >= 10


@pytest.mark.parametrize("kind", list(REVIEWS))
def test_the_page_is_the_same_on_spark(both, kind):
    _, _, duck, spark = both[kind]
    assert "<section" in duck
    assert duck == spark


def test_the_runner_started_no_spark_of_its_own(both):
    """Its freshness check and the replenishment workbook ran in child processes: no JVM here holds
    a session or a catalog that a report's kernel would need."""
    from pyspark import SparkContext

    assert SparkContext._gateway is None and SparkContext._active_spark_context is None


def test_no_spark_output_in_the_executed_notebooks(both, tmp_path_factory):
    reports = next(Path(p) for p in tmp_path_factory.getbasetemp().glob("spark-store*/reports"))
    streams = [o for nb in reports.rglob("*.ipynb") for c in json.loads(nb.read_text())["cells"]
               for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert streams == []
    assert "WARNING" in (reports / ".logs" / "spark.log").read_text()  # the JVM's own lines went here


def _files(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*.parquet"))}


def test_ingest_publishes_and_a_reload_changes_nothing(demo_project, tmp_path):
    """A store on Spark loads exports with ingest: the Parquet the reports read follows, and loading
    the same files again rewrites no file; a corrected order rewrites only its month."""
    cfg = spark_store(tmp_path / "store", demo_project)
    (tmp_path / "store" / "data" / "warehouse.duckdb").unlink()  # start empty: everything comes by ingest
    exports = tmp_path / "exports"
    made = storeops(cfg, "demo", "--days", "40", "--end", "2026-11-26", "--as-exports", str(exports))
    assert made.returncode == 0, made.stderr
    spark_dir = tmp_path / "store" / "data" / "spark"
    shutil.rmtree(spark_dir)
    (tmp_path / "store" / "data" / "warehouse.duckdb").unlink()
    files = sorted(map(str, exports.glob("*.csv")))

    first = storeops(cfg, "ingest", *files)
    assert first.returncode == 0, first.stderr
    assert "published to" in first.stdout and " 0 unchanged" in first.stdout
    before = _files(spark_dir)
    assert {"orders/2026-10.parquet", "orders/2026-11.parquet"} <= set(before)

    again = storeops(cfg, "ingest", *files)
    assert again.returncode == 0, again.stderr
    assert "published to" in again.stdout and " 0 file(s) written" in again.stdout
    assert _files(spark_dir) == before  # same bytes, and not even touched

    orders = next(p for p in exports.glob("*.csv") if p.name.startswith("orders"))
    lines = orders.read_text(encoding="utf-8-sig").splitlines()
    header, row = lines[0].split(","), lines[-1].split(",")  # the last order: a November one
    assert row[header.index("created_at")].startswith("2026-11")
    row[header.index("province")] = "西藏"
    fix = tmp_path / "orders-fix.csv"
    fix.write_text("\n".join([lines[0], ",".join(row)]) + "\n", encoding="utf-8")
    fixed = storeops(cfg, "ingest", str(fix))
    assert fixed.returncode == 0, fixed.stderr
    after = _files(spark_dir)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {"orders/2026-11.parquet"}


def test_a_clear_line_for_what_spark_cannot_read(demo_project, tmp_path):
    cfg = spark_store(tmp_path / "store", demo_project)
    empty = storeops(cfg, "check")
    assert empty.returncode == 1
    assert empty.stderr.count("\n") == 1 and "has no Parquet for orders" in empty.stderr
    assert "storeops publish-tables" in empty.stderr

    assert storeops(cfg, "publish-tables").returncode == 0
    # true instants (TIMESTAMP WITH TIME ZONE) where store-local wall-clock times belong
    import duckdb

    orders = tmp_path / "store" / "data" / "spark" / "orders"
    for f in orders.glob("*.parquet"):
        duckdb.sql(f"COPY (SELECT * REPLACE (created_at::TIMESTAMPTZ AS created_at) FROM '{f}') "
                   f"TO '{f}.tz' (FORMAT parquet)")
        f.unlink()
        Path(f"{f}.tz").rename(f)
    instants = storeops(cfg, "check")
    assert instants.returncode == 1 and instants.stderr.count("\n") == 1
    assert "orders.created_at is TIMESTAMP" in instants.stderr and "TIMESTAMP_NTZ" in instants.stderr


CATALOG = """
import sys
from pyspark.sql import SparkSession
root, tables = sys.argv[1], sys.argv[2:]
s = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
     .config("spark.sql.catalogImplementation", "hive").config("spark.sql.warehouse.dir", root + "/catalog")
     .config("spark.hadoop.javax.jdo.option.ConnectionURL",
             "jdbc:derby:;databaseName=" + root + "/metastore_db;create=true").getOrCreate())
s.sql("CREATE DATABASE shop")
for t in tables:
    s.sql(f"CREATE TABLE shop.{t} USING parquet LOCATION '{root}/spark/{t}'")
s.stop()
"""


def test_reports_from_a_catalog_database_with_an_embedded_metastore(both, demo_project, tmp_path):
    """The tables registered in a persistent (Derby) catalog, as a store's Spark set-up keeps them:
    the runner's check and the replenishment workbook open it in processes that end before and after
    the kernel, so the notebook finds the catalog free, and the figures are DuckDB's."""
    from storeops import spark

    cfg = spark_store(tmp_path / "store", demo_project)
    data = tmp_path / "store" / "data"
    assert storeops(cfg, "publish-tables").returncode == 0
    made = subprocess.run([BIN / "python", "-c", CATALOG, str(data), *spark.TABLES], capture_output=True, text=True,
                          cwd=data)  # Derby writes its derby.log where it runs
    assert made.returncode == 0, made.stderr[-2000:]
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("    tables: data/spark\n", f"""    database: shop
    conf:
      spark.sql.catalogImplementation: hive
      spark.sql.warehouse.dir: {data}/catalog
      spark.hadoop.javax.jdo.option.ConnectionURL: "jdbc:derby:;databaseName={data}/metastore_db"
      spark.driver.extraJavaOptions: -Dderby.stream.error.file={data}/derby.log
"""), encoding="utf-8")
    for kind in ("replenishment",):  # its runner's check and its workbook both open the catalog
        done = storeops(cfg, "run", kind, "--date", REVIEWS[kind])
        assert done.returncode == 0, done.stderr[-2000:]
        path = Path(done.stdout.strip()).with_suffix("").with_suffix(".summary.json")
        assert assert_same(both[kind][0], json.loads(path.read_text())) >= 10
    assert (data / "derby.log").is_file()  # the store's Java options beside storeops' own
