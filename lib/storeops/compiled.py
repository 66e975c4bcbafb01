"""The warehouse's DuckDB backend, compiling each shape of query once.

A review asks the same questions of many periods: the headline KPIs of the day, the day before, the
same weekday of four weeks … are one query each that differ only in their dates. ibis compiles an
expression to SQL in 5–20 ms, more than DuckDB takes to answer it on a small store, so compiling
them once per shape is most of what a review's queries cost at 1×.

The shape of a query is its expression with each distinct date (and naive timestamp) literal
replaced by a numbered slot. The first query of a shape is compiled with a sentinel date in each
slot; later ones take that SQL and put their own dates where the sentinels are. Nothing else is
abstracted, so two queries share SQL only when they differ in nothing but their dates. A query
built once on date parameters (metrics.base.Days) is its own shape, found without that rewrite.

Each shape's SQL is also kept on disk (storeops.sqlcache), so the next run of a review compiles
only what it has never asked before.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.operations as ops
from ibis.backends.duckdb import Backend as _DuckDB

from storeops import sqlcache

#: sentinels sit in a year no store's data or report has: slot i is this day + i days
_SENTINEL = _dt.datetime(1111, 1, 1)
#: a date literal's slot is a parameter numbered from here, far above those ibis numbers itself
_SLOT = 1 << 40
#: shapes a connection keeps (the oldest go first): a review has under 100
SHAPES_KEPT = 1000
#: this module's own text, part of every key of SQL kept on disk (what it keeps, its sentinels)
_SOURCE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _dated(lit: ops.Literal) -> bool:
    t = lit.dtype
    return lit.value is not None and (t.is_date() or (t.is_timestamp() and t.timezone is None))


_EXCLUDE = re.compile(r"EXCLUDE \(([^)]*)\)")


def _canonical(sql: str) -> str:
    """``sql`` with the columns of each ``EXCLUDE (…)`` in order: ibis lists a dropped set of
    columns in the order the set gives, which changes from process to process."""
    return _EXCLUDE.sub(lambda m: "EXCLUDE (" + ", ".join(sorted(m.group(1).split(", "))) + ")", sql)


class Backend(_DuckDB):
    """ibis's DuckDB backend, whose ``compile`` reuses the SQL of a query of the same shape.

    ``check = True`` (the tests; ``STOREOPS_CHECK_SQL=1`` in a kernel they start) compiles every
    query both ways too and fails on any difference."""

    check = os.environ.get("STOREOPS_CHECK_SQL") == "1"

    @functools.cached_property
    def _shapes(self) -> dict[tuple, tuple[str, list[tuple[str, ops.ScalarParameter]], re.Pattern]]:
        return {}

    @functools.cached_property
    def memo(self) -> dict:
        """What is built once per connection from an expression (metrics.base.evaluate's)."""
        return {}

    def compile(self, expr, /, *, limit=None, params=None, pretty=False) -> str:
        if pretty:
            return super().compile(expr, limit=limit, params=params, pretty=pretty)
        if limit == "default":  # ibis reads the option when it compiles: the key holds its value
            limit = ibis.options.sql.default_limit
        op = expr.as_table().op()  # what ibis compiles: an unnamed value is named after this expression
        if params:  # built once on parameters (metrics.base.Days): the query is its own shape
            values = {p.op(): v for p, v in params.items()}
            if not all(_dated(ops.Literal(v, p.dtype)) for p, v in values.items()):
                return super().compile(expr, limit=limit, params=params)
            shape = op
        else:
            dated = [lit for lit in op.find(ops.Literal) if _dated(lit)]
            if not dated:  # nothing to vary: a query asked once (in this run)
                if next(iter(op.find(ops.ScalarParameter)), None) is not None:  # a parameter left unbound:
                    return super().compile(expr, limit=limit)  # ibis says so
                return self._checked(self._kept(self._entry(op, limit), op, limit, {}, []), expr, limit, params)
            slots = {v: ops.ScalarParameter(v[1], counter=_SLOT + i)
                     for i, v in enumerate(dict.fromkeys((lit.value, lit.dtype) for lit in dated))}
            shape = op.replace({lit: slots[lit.value, lit.dtype] for lit in dated})
            values = {p: v for (v, _), p in slots.items()}
        kept = self._entry(shape, limit)
        # ibis finds 0.0 and -0.0 equal, and maps of the same pairs in another order: the digest does not
        key = (shape, limit, ibis.options.sql.fuse_selects, kept and kept.key)
        if key not in self._shapes:
            self._shapes[key] = self._template(shape, limit, kept)
            if len(self._shapes) > SHAPES_KEPT:  # a long process (a group's stores) keeps the latest
                del self._shapes[next(iter(self._shapes))]
        sql, marks, at = self._shapes[key]
        if marks:  # one pass: a date put in is never taken for a sentinel
            texts = {mark: self._literal(values[p], p.dtype) for mark, p in marks}
            sql = at.sub(lambda m: texts[m.group(0)], sql)
        return self._checked(sql, expr, limit, params)

    def _checked(self, sql: str, expr, limit, params) -> str:
        """``sql``, compared in checking mode with a fresh compile of ``expr``."""
        if self.check:
            direct = super().compile(expr, limit=limit, params=params)
            assert _canonical(sql) == _canonical(direct), f"cached SQL differs:\n{sql}\n{direct}"
        return sql

    def _template(self, shape: ops.Node, limit, kept: sqlcache.Entry | None
                  ) -> tuple[str, list[tuple[str, ops.ScalarParameter]], re.Pattern]:
        """The shape's SQL with a sentinel for each parameter, (the sentinel's SQL, its parameter), and
        a pattern finding the sentinels."""
        params, marks = {}, []
        for i, p in enumerate(shape.find(ops.ScalarParameter)):
            value = _SENTINEL + _dt.timedelta(days=i)
            value = value.date() if p.dtype.is_date() else value
            params[p.to_expr()] = value
            marks.append((self._literal(value, p.dtype), p))
        at = re.compile("|".join(re.escape(mark) for mark, _ in marks))
        return self._kept(kept, shape, limit, params, [mark for mark, _ in marks]), marks, at

    def _entry(self, op: ops.Node, limit) -> sqlcache.Entry | None:
        return sqlcache.entry(op, limit, type(self.compiler), duckdb.__version__, _SOURCE)

    def _kept(self, kept: sqlcache.Entry | None, op: ops.Node, limit, params: dict, marks: list[str]) -> str:
        """``op``'s SQL (its parameters at ``params``' sentinels, written ``marks``), as an earlier run
        kept it on disk (storeops.sqlcache, at ``kept``), or compiled now and kept."""
        sql = kept.get() if kept else None
        if sql is None or not all(mark in sql for mark in marks):  # a sentinel missing: compiled anew
            sql = super().compile(op.to_expr(), limit=limit, params=params or None)
            if kept:
                kept.put(sql)
        return sql

    def _literal(self, value: Any, dtype) -> str:
        lit = ops.Literal(value, dtype)
        return self.compiler.visit_Literal(lit, value=lit.value, dtype=lit.dtype).sql(self.dialect)
