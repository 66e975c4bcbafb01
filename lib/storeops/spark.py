"""The Spark target: the reports read the canonical tables on Spark, ingest stays on DuckDB.

In ``params/store.yaml``::

    warehouse:
      url: pyspark://                      # the reports read Spark
      load: duckdb://data/warehouse.duckdb # ingest loads here, then publishes to spark.tables
      spark:
        master: local[2]                   # or spark://host:7077, yarn …; leave out on a cluster
        tables: data/spark                 # Parquet, a folder per table, a file per month
        # database: shop                   # or: the tables of this catalog database
        conf: {spark.sql.shuffle.partitions: 4}

Ingest keeps its accounting and idempotency on the embedded DuckDB (Parquet has no
transactions, keys or DELETE) and then rewrites the month files whose rows changed, each by
an atomic rename: a re-load changes no file. Every Spark setting is given when the session is
built, where Spark accepts static ones too.

Timestamps are store-local wall-clock times: on Spark they must be TIMESTAMP_NTZ, or the day
boundary would move with the session zone; :func:`check` refuses anything else at connect.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from storeops import schema
from storeops.config import Config
from storeops.errors import WarehouseError

#: storeops' settings unless store.yaml says otherwise: no web UI or progress bars (they would land
#: in the reports), few shuffle partitions (a store's day is small; Spark's 200 cost a task each),
#: and the session zone the metrics assume (ibis' PySpark backend reads results as UTC)
DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{Path(__file__).with_name('log4j2.properties')}",
}
#: what the reports read; the ingest log is the loader's own record and stays with it
TABLES = [n for n in schema.TABLES if n != schema.INGEST_LOG.name]
#: ibis' PySpark backend converts results as UTC; with TIMESTAMP_NTZ columns nothing depends on it
SESSION_ZONE = "UTC"


def is_spark(url: str) -> bool:
    return urlsplit(url).scheme == "pyspark"


@dataclass(frozen=True)
class Settings:
    master: str | None
    tables: Path | None
    database: str | None
    conf: dict[str, str]


def settings(cfg: Config) -> Settings:
    """``warehouse.spark`` of store.yaml, checked (its keys and their types by storeops.settings as
    the settings load; here, what the schema cannot say)."""
    raw = (cfg.raw.get("warehouse") or {}).get("spark") or {}
    where = f"{cfg.path}: warehouse.spark"
    if raw.get("tables") and raw.get("database"):
        raise WarehouseError(f"{where}: give tables (a folder of Parquet) or database (a catalog's), not both")
    conf = raw.get("conf") or {}
    conf = {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in conf.items()}
    database = raw.get("database")
    tables = None if database else cfg.resolve(raw.get("tables") or "data/spark")
    return Settings(raw.get("master"), tables, database, conf)


def session_conf(s: Settings) -> dict[str, str]:
    conf = {**DEFAULTS, **s.conf}
    java = "spark.driver.extraJavaOptions"
    if java in s.conf:  # the store's JVM options beside our quiet logging
        conf[java] = f"{DEFAULTS[java]} {s.conf[java]}"
    return conf


def connect(cfg: Config) -> Any:
    """An ibis PySpark backend whose session sees the canonical tables, checked by :func:`check`."""
    try:
        import ibis
        from pyspark.sql import SparkSession
    except ImportError:
        raise WarehouseError("the Spark target needs PySpark: pip install -e '.[spark]'") from None
    s = settings(cfg)
    builder = SparkSession.builder.appName(f"storeops {cfg.store_name_en}")
    if s.master:
        builder = builder.master(s.master)
    for k, v in session_conf(s).items():
        builder = builder.config(k, v)
    try:
        with _output_to(cfg.reports_dir / ".logs" / "spark.log"):
            session = builder.getOrCreate()
    except Exception as e:  # no Java, a master that does not answer …
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        hint = " (is Java installed? apt-get install default-jre-headless)" if "JAVA" in first.upper() else ""
        raise WarehouseError(f"cannot start Spark ({s.master or 'the cluster default'}): {first}{hint}") from None
    session.sparkContext.setLogLevel("ERROR")
    if s.tables:
        _register(session, s.tables)
    else:
        try:
            session.catalog.setCurrentDatabase(s.database)
        except Exception:
            raise WarehouseError(f"Spark: the catalog has no database {s.database!r}") from None
    con = ibis.pyspark.connect(session)
    check(con, s)
    return con


@contextlib.contextmanager
def _output_to(log: Path):
    """The JVM started inside writes its stdout and stderr to ``log``: the lines the JVM itself
    prints (not through log4j) would otherwise land in a report's notebook, whose kernel forwards
    what its process writes."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        for f in (sys.stdout, sys.stderr):
            f.flush()
        saved = [os.dup(1), os.dup(2)]
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            for fd, old in zip((1, 2), saved):
                os.dup2(old, fd)
                os.close(old)


def shutdown(timeout: float = 60) -> None:
    """Stop this process's Spark and wait for its JVM to exit, releasing what it held (the catalog)."""
    from pyspark import SparkContext

    if SparkContext._active_spark_context is not None:
        SparkContext._active_spark_context.stop()
    gateway = SparkContext._gateway
    if gateway is None:
        return
    gateway.shutdown()
    proc = getattr(gateway, "proc", None)  # the JVM pyspark started; it exits when its stdin closes
    if proc is not None:
        proc.stdin.close()
        proc.wait(timeout)
    SparkContext._gateway = SparkContext._jvm = None


def _register(session: Any, root: Path) -> None:
    """The Parquet folders under ``root`` as the session's temporary views, one per canonical table,
    read with the canonical schema once their files are checked (no Spark job to infer it)."""
    missing = [n for n in TABLES if not any((root / n).glob("*.parquet"))]
    if set(missing) - set(schema.LATE):
        raise WarehouseError(f"Spark: {root} has no Parquet for {', '.join(missing)}: write the tables with "
                             f"`storeops publish-tables` (ingest does it after each load)")
    for name in (n for n in TABLES if n not in missing):  # a table newer than the folder: read as empty
        _check_files(name, sorted((root / name).glob("*.parquet")))
        session.read.schema(spark_schema(name)).parquet(str(root / name)).createOrReplaceTempView(name)


def spark_schema(name: str) -> Any:
    """The canonical table ``name`` as a Spark schema; timestamps are wall-clock (TIMESTAMP_NTZ)."""
    from ibis.backends.pyspark.datatypes import PySparkType
    from pyspark.sql.types import StructField, StructType, TimestampNTZType

    return StructType([StructField(c.name, TimestampNTZType() if c.ibis_type.is_timestamp()
                                   else PySparkType.from_ibis(c.ibis_type), True)
                       for c in schema.table(name).columns])


def _check_files(name: str, files: list[Path]) -> None:
    """Each file holds the table's columns in its types, timestamps without a zone: read from the
    footers, so that a wrong file is named here, not in a failed query."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    want = schema.table(name).schema.to_pyarrow()
    for f in files:
        try:
            have = pq.read_schema(f)
        except (OSError, pa.ArrowInvalid) as e:
            raise WarehouseError(f"Spark: {f} is no readable Parquet ({e})") from None
        for field in want:
            if field.name not in have.names:
                raise WarehouseError(f"Spark: {f} lacks column {field.name}: publish the tables again with this "
                                     f"storeops")
            got = have.field(field.name).type
            if pa.types.is_timestamp(got) and got.tz is not None:
                raise WarehouseError(_INSTANT.format(f"{name}.{field.name}", f"in {f}"))
            if got != field.type:
                raise WarehouseError(f"Spark: {name}.{field.name} is {got} in {f}, storeops expects {field.type}: "
                                     f"publish the tables again with this storeops")


_INSTANT = ("Spark: {} is TIMESTAMP (an instant, read in the session zone) {}; storeops needs store-local "
            "wall-clock times as TIMESTAMP_NTZ, or days would start at the wrong hour (storeops publish-tables "
            "writes them so)")


def check(con: Any, s: Settings) -> None:
    """The session in the zone the metrics assume and, for a catalog database, every canonical table
    there with its columns and its timestamps naive store-local times (Parquet folders had their files
    checked by :func:`_check_files`); else one line saying what is wrong."""
    from pyspark.sql.types import TimestampType

    session = con._session
    zone = session.conf.get("spark.sql.session.timeZone")
    if zone != SESSION_ZONE:
        raise WarehouseError(f"Spark: the session time zone is {zone}; storeops needs {SESSION_ZONE} (leave "
                             f"spark.sql.session.timeZone out of warehouse.spark.conf)")
    if s.tables:
        return
    have = set(con.list_tables())
    where = f"database {s.database}"
    for name in TABLES:
        table = schema.table(name)
        if name not in have and name in schema.LATE:
            continue  # newer than the catalog: read as empty
        if name not in have:
            raise WarehouseError(f"Spark: {where} has no table {name}")
        fields = {f.name: f.dataType for f in session.table(name).schema.fields}
        lacking = [c for c in table.column_names if c not in fields]
        if lacking:
            raise WarehouseError(f"Spark: {name} in {where} lacks column(s) {', '.join(lacking)}: publish the "
                                 f"tables again with this storeops")
        for c in table.columns:
            if c.ibis_type.is_timestamp() and isinstance(fields[c.name], TimestampType):
                raise WarehouseError(_INSTANT.format(f"{name}.{c.name}", f"in {where}"))


def publish_after_load(cfg: Config, con: Any) -> list[Published]:
    """After a load into the DuckDB warehouse: the Parquet folders the Spark target reads, brought up
    to date (nothing when the reports read DuckDB, or a catalog the store fills itself)."""
    tables = settings(cfg).tables if is_spark(cfg.warehouse_url) else None
    return publish(con, tables) if tables else []


@dataclass(frozen=True)
class Published:
    table: str
    rows: int
    written: int
    unchanged: int
    removed: int


def publish(con: Any, dest: Path) -> list[Published]:
    """Write the canonical tables of the DuckDB warehouse ``con`` to ``dest`` as Parquet: a folder per
    table, a file per month of its date column (``2026-11.parquet``; ``undated.parquet`` for rows
    without one, ``all.parquet`` for a table without a date). Each file is written beside its place
    and renamed over it only when its content changed, so a reader sees old or new, never half, and
    a re-load rewrites nothing. Months the warehouse no longer has are removed."""
    db = con.con  # the duckdb connection under ibis
    out = []
    for name in TABLES:
        table = schema.table(name)
        folder = dest / name
        folder.mkdir(parents=True, exist_ok=True)
        cols = ", ".join(f'"{c}"' for c in table.column_names)
        order = ", ".join(f'"{k}"' for k in table.key)
        if table.date_column:
            part = f"""coalesce(strftime("{table.date_column}", '%Y-%m'), 'undated')"""
            stems = [r[0] for r in db.execute(f'SELECT DISTINCT {part} FROM "{name}" ORDER BY 1').fetchall()]
        else:
            part, stems = "'all'", ["all"]
        stems = stems or ["empty"]  # an empty table still tells Spark its columns
        written = unchanged = 0
        for stem in stems:
            target, tmp = folder / f"{stem}.parquet", folder / f".{stem}.parquet.tmp"
            where = "false" if stem == "empty" else f"{part} = '{stem}'"
            db.execute(f'COPY (SELECT {cols} FROM "{name}" WHERE {where} ORDER BY {order}) '
                       f"TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)")
            if target.exists() and filecmp.cmp(target, tmp, shallow=False):
                tmp.unlink()
                unchanged += 1
            else:
                os.replace(tmp, target)
                written += 1
        stale = [f for f in folder.glob("*.parquet") if f.stem not in stems]
        for f in stale:
            f.unlink()
        rows = db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        out.append(Published(name, rows, written, unchanged, len(stale)))
    return out
