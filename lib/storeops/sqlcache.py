"""Compiled SQL kept on disk between runs, for storeops.compiled.

Every review is a new process: without this, each compiles its 40–200 query shapes afresh (0.3 s for
a daily, 0.7 s for a monthly, whatever the store's size). A shape's SQL is a function of its
expression and of the versions that compile it, so it is kept under a digest of both:

- the expression's whole graph, every argument of every node, walked generically: a node is its
  class and its arguments, a value its type and exact repr (0.0 and -0.0 differ, though Python
  finds them equal). A table is its name, schema and namespace (the SQL names nothing else of
  it); a parameter its place among the expression's parameters (ibis numbers them per process)
  and its type; a table whose name ibis made up for this run (Table.cache's, a memtable's) its
  place among those and its columns, the name kept as a placeholder for the next run's own.
- anything the walk does not know (a numpy value; a node of a class made at run time, as a UDF's,
  whose SQL its arguments do not say) makes the expression one that is not kept: the cache fails
  closed, never guesses;
- the versions of ibis, sqlglot and DuckDB, ibis's SQL options, and the text of this module and of
  storeops.compiled (what it keeps, the sentinels it writes for dates).

``STOREOPS_SQL_CACHE`` names the folder (default ``$XDG_CACHE_HOME/storeops/sql``, or
``~/.cache/storeops/sql``); ``off`` turns the cache off. A file is used only if its first line
names its key and a digest of the SQL under it; a folder that cannot be read or written is no
error: the SQL is compiled as it would be without the cache.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import functools
import hashlib
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.operations as ops
import sqlglot
from ibis.common.collections import FrozenDict
from ibis.common.grounds import Concrete

#: files the folder keeps; past it, the least recently used go (a query with a value that changes
#: daily, such as a list of SKUs, is a shape of its own each day)
KEPT = 5000
#: this module's own text: a change to what it keeps, or how, is a new key
_SOURCE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


#: the names ibis makes up for a table of one process (util.gen_name: Table.cache's, a memtable's)
_MADE_UP = re.compile(r"ibis_[a-z_]+_[a-z2-7]{26}")


class Unkept(Exception):
    """An expression with something the digest cannot write exactly: its SQL is not kept."""


def folder() -> Path | None:
    where = os.environ.get("STOREOPS_SQL_CACHE")
    if where == "off":
        return None
    if where:
        return Path(where)
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "storeops" / "sql"
    except RuntimeError:  # no home (a container's user without one): no cache
        return None


@dataclass(frozen=True)
class Entry:
    """Where an expression's SQL is kept, and the names this run made up for its tables (kept as
    placeholders: the same query in another run names its own)."""

    key: str
    names: tuple[str, ...]

    def get(self) -> str | None:
        """The SQL kept, if a whole file of this key's holds it (a file cut short, altered or another
        key's is compiled anew, and rewritten)."""
        where = folder()
        if where is None:
            return None
        path = where / f"{self.key}.sql"
        try:
            with path.open(encoding="utf-8", newline="") as f:  # as written: a CR in a literal stays one
                head, _, sql = f.read().partition("\n")
            if head != _head(self.key, sql):
                return None
            os.utime(path)  # used: pruning takes the least recently used first
        except Exception:  # noqa: BLE001 — a cache that cannot be read is a compile, never an error
            return None
        for i, name in enumerate(self.names):
            sql = sql.replace(_placeholder(i), name)
        return None if _PLACEHOLDER in sql else sql  # a placeholder left: not this query's text

    def put(self, sql: str) -> None:
        if _PLACEHOLDER in sql:  # a query that writes the placeholder itself is not kept
            return
        for i, name in enumerate(self.names):
            sql = sql.replace(name, _placeholder(i))
        _write(self.key, f"{_head(self.key, sql)}\n{sql}")


def _head(key: str, sql: str) -> str:
    """A kept file's first line: its key and a digest of the SQL under it."""
    return f"-- storeops {key} {hashlib.sha256(sql.encode('utf-8', 'surrogatepass')).hexdigest()}"


def entry(op: ops.Node, *context: object) -> Entry | None:
    """Where ``op``'s SQL is kept, given ``context`` (what else its SQL depends on); None where ``op`` is
    not kept (:class:`Unkept`)."""
    digest = _Digest()
    try:
        graph = digest.node(op)
    except (Unkept, RecursionError):
        return None
    versions = (_SOURCE, ibis.__version__, sqlglot.__version__, repr(ibis.options.sql), *map(repr, context))
    return Entry(hashlib.sha256(repr((versions, graph)).encode()).hexdigest(), tuple(digest.names))


_PLACEHOLDER = "storeops-made-up-name-"


def _placeholder(i: int) -> str:
    return f"{_PLACEHOLDER}{i}."


class _Digest:
    def __init__(self) -> None:
        self.seen: dict[int, str] = {}
        self.params: dict[ops.ScalarParameter, int] = {}
        self.held: list[ops.Node] = []  # the nodes digested, so no id is reused while the walk runs
        self.names: list[str] = []  # names made up for this run's tables, as the walk meets them

    def node(self, n: ops.Node) -> str:
        done = self.seen.get(id(n))
        if done is not None:
            return done
        if isinstance(n, ops.ScalarParameter):
            text = f"param {self.params.setdefault(n, len(self.params))} {self.value(n.dtype)}"
        elif isinstance(n, (ops.DatabaseTable, ops.InMemoryTable)) and _MADE_UP.fullmatch(n.name):
            # a name of this run's (Table.cache's table, a memtable's): its place, and its columns
            # (a memtable's rows are not in the SQL: ibis hands them to the warehouse apart)
            if n.name not in self.names:
                self.names.append(n.name)
            text = (f"made-up {type(n).__name__} {self.names.index(n.name)} {self.value(n.schema)} "
                    f"{self.value(getattr(n, 'namespace', None))}")
        elif isinstance(n, ops.DatabaseTable):
            text = f"table {n.name!r} {self.value(n.schema)} {self.value(n.namespace)}"
        else:
            text = self.concrete(n)
        digest = hashlib.sha256(text.encode()).hexdigest()
        self.seen[id(n)] = digest
        self.held.append(n)
        return digest

    def concrete(self, v: Concrete) -> str:
        t = type(v)
        if not _importable(t):  # a class made at run time (a UDF's): what it compiles to is not in its args
            raise Unkept(f"an instance of {t.__qualname__}")
        args = ", ".join(f"{a}={self.value(x)}" for a, x in zip(t.__argnames__, v.__args__))
        return f"{t.__module__}.{t.__qualname__}({args})"

    def value(self, v: object) -> str:
        t = type(v)
        if isinstance(v, ops.Node):
            return self.node(v)
        if v is None or t in (bool, int, float, str, bytes, decimal.Decimal, _dt.date, _dt.datetime, _dt.time,
                              _dt.timedelta):
            return f"{t.__name__}:{v!r}"
        if isinstance(v, Concrete):  # data types, schemas, namespaces
            return self.concrete(v)
        if isinstance(v, enum.Enum):
            return f"{t.__module__}.{t.__qualname__}.{v.name}"
        if t in (tuple, list):
            return f"{t.__name__}[" + ", ".join(map(self.value, v)) + "]"
        if isinstance(v, (FrozenDict, dict)):
            return "{" + ", ".join(f"{self.value(k)}: {self.value(x)}" for k, x in v.items()) + "}"
        if isinstance(v, frozenset):
            return "frozenset{" + ", ".join(sorted(map(self.value, v))) + "}"
        raise Unkept(f"a {t.__module__}.{t.__qualname__}")


@functools.cache
def _importable(t: type) -> bool:
    """Whether ``t`` is the class its module names so: one defined once, the same in every run (not
    a notebook's or a script's own, whose __main__ is another module in each)."""
    if t.__module__ == "__main__":
        return False
    found: object = sys.modules.get(t.__module__)
    for part in t.__qualname__.split("."):
        found = getattr(found, part, None)
    return found is t


_pruned = False  # whether this process has pruned the folder


def _write(k: str, text: str) -> None:
    """Keep ``text`` under ``k``: written whole or not at all (another process may read it meanwhile)."""
    global _pruned
    where = folder()
    if where is None:
        return
    tmp = None
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=where, suffix=".tmp",
                                         delete=False) as f:
            tmp = Path(f.name)
            f.write(text)
        os.replace(tmp, where / f"{k}.sql")
        tmp = None
        if not _pruned:  # once a process: past KEPT, the least recently used go, and stray temp files
            _pruned = True
            kept = sorted(where.glob("*.sql"), key=lambda p: p.stat().st_mtime)
            stale = [p for p in where.glob("*.tmp") if p.stat().st_mtime < time.time() - 3600]
            for old in kept[:max(0, len(kept) - KEPT)] + stale:
                old.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 — a cache that cannot be written is a compile, never an error
        if tmp is not None:
            tmp.unlink(missing_ok=True)
