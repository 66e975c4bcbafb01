"""The warehouse: open the ibis connection, create the canonical tables, upsert, freshness.

Any ibis backend works by URL (``params/store.yaml: warehouse.url``); the default
is a DuckDB file, ``pyspark://`` is Spark (storeops.spark). Writes go through :func:`upsert`,
which replaces rows by key, so loading the same export twice changes nothing; they go to
``warehouse.load`` where the reports read a warehouse ingest cannot write (Spark).
"""

from __future__ import annotations

import contextlib
import functools
import datetime as _dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import ibis
import pyarrow as pa
import pyarrow.compute as pc
import sqlglot

from storeops import compiled, schema, spark
from storeops.config import Config
from storeops.errors import Damaged, WarehouseError

if TYPE_CHECKING:  # rows may come as pandas frames; a bulk load never needs pandas
    import pandas as pd


def resolve_url(cfg: Config, url: str | None = None) -> str:
    """The warehouse URL (default: the one reports read) with a relative DuckDB path made absolute
    against the project root."""
    url = url or cfg.warehouse_url
    parts = urlsplit(url)
    if parts.scheme != "duckdb":
        return url
    path = (parts.netloc + parts.path) or ":memory:"
    if path == ":memory:":
        return "duckdb://:memory:"
    p = Path(path)
    if not p.is_absolute():
        p = cfg.root / p
    return f"duckdb://{p}" + (f"?{parts.query}" if parts.query else "")


def connect(cfg: Config, *, read_only: bool = False, create: bool = False) -> ibis.BaseBackend:
    """Open the warehouse of ``cfg``; with ``create``, make the file and any missing tables.

    Reports open it read-only so that an ingest may run at the same time; a writer (ingest, demo)
    opens ``warehouse.load``.
    """
    url = resolve_url(cfg, cfg.warehouse_url if read_only else cfg.load_url)
    if spark.is_spark(url):
        if not read_only:
            raise WarehouseError(f"{cfg.path}: the reports read Spark, which ingest cannot write: set "
                                 f"warehouse.load to the DuckDB file ingest loads (e.g. duckdb://data/warehouse.duckdb)")
        return spark.connect(cfg)
    if url.startswith("duckdb://") and url != "duckdb://:memory:":
        path = Path(urlsplit(url).path)
        if not path.exists():
            if not create:
                raise WarehouseError(
                    f"warehouse {path} does not exist: run `storeops demo` or `storeops ingest` first"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = compiled.Backend().connect(str(path), read_only=read_only and path.exists())
        except Exception as e:  # duckdb says why in one line: locked, wrong version …
            if is_damage(e):
                raise damaged(cfg, path, str(e).splitlines()[0]) from None
            raise WarehouseError(f"cannot open warehouse {path}: {str(e).splitlines()[0]}") from None
        _check_whole(cfg, con, path)
        _limits(cfg, con)
    else:
        try:
            con = ibis.connect(url)
        except Exception as e:
            raise WarehouseError(f"cannot open warehouse {url}: {str(e).splitlines()[0]}") from None
    if create:
        create_tables(con)
    return con


def _limits(cfg: Config, con: ibis.BaseBackend) -> None:
    """DuckDB's memory limit and where it spills past it (``warehouse.memory_limit``,
    ``warehouse.temp_directory``): a big store's monthly spills to disk instead of failing, and a
    laptop keeps memory for the rest (DuckDB's own default is 80 % of the machine)."""
    from storeops.settings import Warehouse

    w = Warehouse.model_validate(cfg.raw.get("warehouse") or {})  # checked when read: its defaults here
    temp = Path(w.temp_directory)
    temp = temp if temp.is_absolute() else cfg.root / temp
    con.con.execute(f"SET memory_limit = '{w.memory_limit}'")
    # a file opened again in one process (an analyst's second context) is the same DuckDB database: its
    # temp directory, once spilled to, cannot be set again, not even to itself
    if con.con.execute("SELECT current_setting('temp_directory')").fetchone()[0] != str(temp):
        con.con.execute(f"SET temp_directory = '{str(temp).replace(chr(39), chr(39) * 2)}'")


#: how DuckDB says a file is damaged when it opens or reads it
DAMAGE = ("Could not read enough bytes", "Corrupt database file", "checksum", "not a valid DuckDB database")
_HEADERS = 3 * 4096  # DuckDB's main header and its two database headers, before the first block
_IN_MEMORY = 1 << 62  # block ids from here on are DuckDB's in-memory blocks (a replayed log), in no file


def is_damage(e: BaseException) -> bool:
    return any(s in str(e) for s in DAMAGE)


def _check_whole(cfg: Config, con: ibis.BaseBackend, path: Path) -> None:
    why = _damage(con, path)
    if why:
        con.disconnect()
        raise damaged(cfg, path, why)


def _damage(con: ibis.BaseBackend, path: Path) -> str | None:
    """Why a DuckDB file is damaged, if it ends before the last block its tables use (a copy or a
    disk that ran out): such a table would fail halfway through a report, or take writes. Reads the
    header and the catalog only; a bad block deeper in is caught when it is read (``verify`` reads
    them all). A file as long as all the blocks its header counts holds every table's blocks: that is
    asked first (2 ms); only a shorter one (blocks a replayed log allocated are counted too) is
    checked table by table (seconds on a big store)."""
    try:
        block_size, blocks = con.con.execute("SELECT block_size, total_blocks FROM pragma_database_size() "
                                             "WHERE database_name = current_database()").fetchone()
        tables = _table_names(con)
        size = path.stat().st_size
        if size >= _HEADERS + blocks * block_size:
            return None
        last = con.con.execute("SELECT max(m) FROM (" + " UNION ALL ".join(
            f"SELECT max(block_id) FILTER (WHERE block_id < {_IN_MEMORY}) AS m FROM pragma_storage_info('{t}')"
            for t in tables) + ")").fetchone()[0] if tables else None
    except Exception as e:  # noqa: BLE001 — any failure to read the catalog is damage here
        return str(e).splitlines()[0]
    need = _HEADERS + ((last + 1) * block_size if last is not None else 0)
    return f"the file is {size:,} bytes, its tables need {need:,}: it was cut short" if size < need else None


def _table_names(con: ibis.BaseBackend) -> list[str]:
    """The tables of a DuckDB warehouse's own database, read from its catalog."""
    return [r[0] for r in con.con.execute("SELECT table_name FROM duckdb_tables() "
                                          "WHERE database_name = current_database()").fetchall()]


def verify(cfg: Config, con: ibis.BaseBackend) -> None:
    """Read every block of every table of a DuckDB warehouse (each is checksummed): ``storeops check``
    finds damage before it shows any figure. A report or an ingest meets a bad block only when it
    reads one; this reads them all."""
    if con.name != "duckdb":
        return
    for name in _table_names(con):
        try:
            reader = con.con.execute(f'SELECT * FROM "{name}"').fetch_record_batch(1 << 17)
            for _ in reader:
                pass
        except Exception as e:  # noqa: BLE001 — only damage is turned into the one line
            if not is_damage(e):
                raise
            raise damage_found(cfg, e) from None


def damage_found(cfg: Config, e: BaseException) -> WarehouseError:
    """A damaged block met while reading (its checksum fails): the same one line as at opening."""
    url = resolve_url(cfg, cfg.load_url)
    return damaged(cfg, Path(urlsplit(url).path), str(e).splitlines()[0])


def damaged(cfg: Config, path: Path, why: str) -> WarehouseError:
    """The one line for a damaged warehouse: what is wrong, that nothing was touched, where to go."""
    good = last_good_copy(cfg)
    where = (f"the last good copy is {good} ({_dt.datetime.fromtimestamp(good.stat().st_mtime):%Y-%m-%d %H:%M}): "
             f"put it in place and load the exports since then again" if good else
             "restore it from a backup (warehouse.backup in store.yaml names where yours are kept), or move it aside "
             "and run `storeops ingest` on the exports again")
    return Damaged(f"warehouse {path} is damaged ({why}); nothing was read from it or written to it; {where}")


def last_good_copy(cfg: Config) -> Path | None:
    """The newest whole copy at ``warehouse.backup`` (a file, or a folder of copies), if the store keeps one."""
    setting = (cfg.raw.get("warehouse") or {}).get("backup")
    if not setting:
        return None
    where = Path(setting) if Path(setting).is_absolute() else cfg.root / setting
    copies = sorted(where.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True) if where.is_dir() \
        else [where] if where.is_file() else []
    for copy in copies:
        try:
            con = ibis.duckdb.connect(str(copy), read_only=True)
        except Exception:  # noqa: BLE001 — a copy that does not open is no good copy
            continue
        try:
            if _damage(con, copy) is None:
                return copy
        finally:
            con.disconnect()
    return None


def isolated(cfg: Config, fn, *args):
    """``fn(*args)`` run where it holds nothing a report's kernel needs: here for a DuckDB file, in a
    child process for Spark, whose JVM and catalog (an embedded Derby metastore is locked by the JVM
    that opened it) are gone when this returns."""
    if not spark.is_spark(cfg.warehouse_url):
        return fn(*args)
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_then_stop_spark, (fn, *args))


def _then_stop_spark(fn, *args):
    try:
        return fn(*args)
    finally:
        spark.shutdown()


def create_tables(con: ibis.BaseBackend, names: Iterable[str] | None = None) -> None:
    """Create every canonical table that does not exist yet; bring existing ones up to the schema.
    On DuckDB all in one transaction: a load killed while it starts leaves all the tables or none."""
    existing = set(con.list_tables())
    with _transaction(con) if con.name == "duckdb" else contextlib.nullcontext():
        for name in names or schema.TABLES:
            if name in existing:
                _migrate(con, schema.table(name))
            elif con.name == "duckdb":  # one statement each, as ibis would write it, without its round trips
                con.con.execute(_duckdb_ddl(schema.table(name)))
            else:
                con.create_table(name, schema=schema.table(name).schema)


def _duckdb_ddl(table: schema.Table) -> str:
    from ibis.backends.sql.datatypes import DuckDBType

    cols = ", ".join(f'"{c.name}" {DuckDBType.from_ibis(c.ibis_type).sql("duckdb")}' + ("" if c.nullable else " NOT NULL")
                     for c in table.columns)
    return f'CREATE TABLE "{table.name}" ({cols})'


def _migrate(con: ibis.BaseBackend, table: schema.Table) -> None:
    """Add columns a newer schema has and relax NOT NULL where it now allows empty values
    (a warehouse built by an older storeops keeps its rows)."""
    have = con.table(table.name).schema()
    for c in table.columns:
        sql = None
        if c.name not in have:
            sql = f'ALTER TABLE "{table.name}" ADD COLUMN "{c.name}" {c.ibis_type.copy(nullable=True)}'
        elif c.nullable and not have[c.name].nullable:
            sql = f'ALTER TABLE "{table.name}" ALTER COLUMN "{c.name}" DROP NOT NULL'
        elif _widened(have[c.name], c.ibis_type):  # cents to a line's exact price: every value kept
            sql = f'ALTER TABLE "{table.name}" ALTER COLUMN "{c.name}" TYPE {c.ibis_type.copy(nullable=True)}'
        if sql:
            con.raw_sql(sqlglot.transpile(sql, read="duckdb", write=con.name)[0])


def _widened(have: ibis.expr.datatypes.DataType, want: ibis.expr.datatypes.DataType) -> bool:
    """A decimal column the schema now keeps with more decimals: a line's price in cents before, to 6
    decimals now. Its values must stay below 10^12 (no line sells a trillion): DuckDB's ALTER names one
    that does not, and the warehouse is left as it was."""
    return have.is_decimal() and want.is_decimal() and want.scale > have.scale


@dataclass(frozen=True)
class Tables:
    """The canonical tables of one warehouse as ibis tables: what metric functions take."""

    con: ibis.BaseBackend

    def __getattr__(self, name: str) -> ibis.Table:
        if name in schema.TABLES:
            # asked once: each con.table() is a catalog query (a round trip on Spark), and a review
            # names its tables hundreds of times
            table = self.__dict__[name] = self.con.table(name)
            return table
        raise AttributeError(name)

    def optional(self, name: str) -> ibis.Table | None:
        """A table added after the first release (schema.LATE), or None where this warehouse predates
        it: the figures then read it as empty."""
        return self.con.table(name) if name in self._names else None

    @functools.cached_property
    def _names(self) -> frozenset[str]:  # asked once: on Spark the catalog is a round trip
        return frozenset(self.con.list_tables())


def to_arrow(name: str, data: pd.DataFrame | pa.Table) -> pa.Table:
    """Cast incoming rows to the table's schema (column order, types) or say what is wrong."""
    table = schema.table(name)
    if not isinstance(data, pa.Table):  # a pandas frame
        missing = [c for c in table.column_names if c not in data.columns]
        if missing:
            raise WarehouseError(f"{name}: missing columns {', '.join(missing)}")
        if data.empty:  # pandas types an empty column as float, which will not cast to a date
            return table.schema.to_pyarrow().empty_table()
        data = pa.Table.from_pandas(data[table.column_names], preserve_index=False)
    target = table.schema.to_pyarrow()
    try:
        return data.select(table.column_names).cast(target)
    except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError, ValueError) as e:
        raise WarehouseError(f"{name}: rows do not fit the schema ({e})") from None


def upsert(con: ibis.BaseBackend, name: str, data: pd.DataFrame | pa.Table) -> int:
    """Insert rows into a canonical table, replacing rows with the same key. Returns rows written.

    Done in one transaction: either all rows land or none. Within ``data`` the
    last row of a key wins.

    >>> upsert(con, "traffic", pd.DataFrame({"date": [d], "uv": [10], "pv": [30]}))  # doctest: +SKIP
    1
    """
    return upsert_many(con, {name: data})[name]


def upsert_many(con: ibis.BaseBackend, data: dict[str, pd.DataFrame | pa.Table],
                columns: dict[str, list[str]] | None = None) -> dict[str, int]:
    """:func:`upsert` into several tables in one transaction (an export that feeds orders and
    their lines lands whole or not at all).

    ``columns`` names, per table, the columns the source really carries: a row already stored
    gets only those updated, so a narrower export (no province column) never erases what a
    wider one loaded; a new row is inserted whole, the other columns at their defaults."""
    columns = columns or {}
    prepared = {}
    for name, rows in data.items():
        rows = to_arrow(name, rows)
        prepared[name] = _last_of_each_key(rows, list(schema.table(name).key))
    staged = {}
    duck = con.name == "duckdb"
    try:
        for name, rows in prepared.items():
            if rows.num_rows:
                staged[name] = f"_stage_{name}_{uuid.uuid4().hex[:8]}"
                if duck:  # DuckDB reads the Arrow rows where they are: no copy into a temp table first
                    con.con.register(staged[name], rows)
                else:
                    con.create_table(staged[name], rows, temp=True)
        with _transaction(con):
            for name, stage in staged.items():
                table = schema.table(name)
                cond = " AND ".join(f't."{k}" = s."{k}"' for k in table.key)
                cols = ", ".join(f'"{c}"' for c in table.column_names)
                carried = [c for c in columns.get(name, table.column_names) if c not in table.key]
                if set(carried) >= set(table.column_names) - set(table.key):
                    sqls = [f'DELETE FROM "{name}" AS t WHERE EXISTS (SELECT 1 FROM "{stage}" AS s WHERE {cond})',
                            f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM "{stage}"']
                else:
                    sets = ", ".join(f'"{c}" = s."{c}"' for c in carried)
                    sqls = ([f'UPDATE "{name}" AS t SET {sets} FROM "{stage}" AS s WHERE {cond}'] if carried else [])
                    sqls.append(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM "{stage}" AS s '
                                f'WHERE NOT EXISTS (SELECT 1 FROM "{name}" AS t WHERE {cond})')
                for sql in sqls:
                    if duck:
                        con.con.execute(sql)
                    else:
                        con.raw_sql(sqlglot.transpile(sql, read="duckdb", write=con.name)[0])
    finally:
        for stage in staged.values():
            if duck:
                con.con.unregister(stage)
            else:
                con.drop_table(stage, force=True)
    return {name: rows.num_rows for name, rows in prepared.items()}


def distinct(keys: pa.Table) -> bool:
    """Whether no row of ``keys`` (key columns; an empty one counts as a value) repeats another."""
    if keys.num_columns == 1:
        return pc.count_distinct(keys.column(0), mode="all").as_py() == keys.num_rows
    return keys.group_by(keys.column_names, use_threads=False).aggregate([]).num_rows == keys.num_rows


def _last_of_each_key(rows: pa.Table, key: list[str]) -> pa.Table:
    """The last row of each key, in order: a later line of an export corrects an earlier one."""
    if distinct(rows.select(key)):
        return rows  # every key once: the common case
    last = rows.select(key).append_column("_at", pa.array(range(rows.num_rows), pa.int64())) \
        .group_by(key, use_threads=False).aggregate([("_at", "max")])
    if last.num_rows == rows.num_rows:
        return rows
    at = last["_at_max"]
    return rows.take(at.take(pc.sort_indices(at)))  # in the order the rows came


class _transaction:
    def __init__(self, con: ibis.BaseBackend):
        self.con = con

    def __enter__(self) -> None:
        self.con.raw_sql("BEGIN TRANSACTION")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.con.raw_sql("ROLLBACK" if exc_type else "COMMIT")


#: DuckDB's rows per row group: the unit its zone maps skip when a report reads one period
ROW_GROUP = 122_880
#: how many row groups a table's days may span, on average, before it is written in time order again
SPREAD_LIMIT = 2.0


def spread(con: ibis.BaseBackend, name: str) -> float:
    """How many row groups the average day of table ``name`` lies in: about 1 when rows are stored in
    time order (a report of one day then reads one or two), more as loads that replace earlier days'
    rows (an order shipped, refunded) append them at the end."""
    col = schema.table(name).date_column
    row = con.con.execute(
        f'SELECT sum(datediff(\'day\', lo, hi) + 1), datediff(\'day\', min(lo), max(hi)) + 1, count(*) FROM '
        f'(SELECT min(CAST("{col}" AS DATE)) AS lo, max(CAST("{col}" AS DATE)) AS hi FROM "{name}" '
        f'WHERE "{col}" IS NOT NULL GROUP BY rowid // {ROW_GROUP})').fetchone()
    spans, days, groups = row
    return 1.0 if not days else float(spans - (groups - 1)) / days


def keep_in_order(con: ibis.BaseBackend, names: Iterable[str]) -> list[str]:
    """Rewrite in time order each DuckDB table among ``names`` whose days spread over more than
    SPREAD_LIMIT row groups (:func:`spread`), in one transaction; returns the tables rewritten."""
    if con.name != "duckdb":
        return []
    done = []
    for name in names:
        table = schema.table(name)
        if not table.date_column or spread(con, name) <= SPREAD_LIMIT:
            continue
        order = ", ".join(f'"{c}"' for c in (table.date_column, *table.key))
        with _transaction(con):
            con.raw_sql(f'CREATE TEMP TABLE _ordered AS SELECT * FROM "{name}" ORDER BY {order}')
            con.raw_sql(f'DELETE FROM "{name}"')
            con.raw_sql(f'INSERT INTO "{name}" SELECT * FROM _ordered')
            con.raw_sql("DROP TABLE _ordered")
        done.append(name)
    if done:
        con.raw_sql("CHECKPOINT")  # the deleted row groups go
    return done


@dataclass(frozen=True)
class Freshness:
    table: str
    rows: int
    latest: _dt.date | None


def freshness(con: ibis.BaseBackend, names: Iterable[str] | None = None) -> list[Freshness]:
    """Row count and latest date present, per table (``latest`` is None for tables without a date)."""
    out = []
    for name in names or schema.TABLES:
        table = schema.table(name)
        t = con.table(name)
        if table.date_column:
            row = t.aggregate(n=t.count(), latest=t[table.date_column].max().cast("date")).to_pyarrow().to_pylist()[0]
            out.append(Freshness(name, int(row["n"]), row["latest"]))
        else:
            out.append(Freshness(name, int(t.count().to_pyarrow().as_py()), None))
    return out
