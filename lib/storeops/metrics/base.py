"""What every metric module uses: period filters, safe division, evaluating many scalars at once.

Metric functions return *scalar subqueries*, so that a ratio of two metrics from
different tables (paying buyers ÷ visitors) is itself an ibis expression, and a
whole block of metrics runs as one query through :func:`evaluate`.
"""

from __future__ import annotations

import copy
import datetime as _dt
import decimal
import functools
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from storeops.periods import Period


def scalar(expr: ir.Scalar) -> ir.Scalar:
    """Wrap a reduction as a scalar subquery, composable with reductions of other tables."""
    return expr.as_table().as_scalar()


def moment(when: _dt.datetime) -> ir.TimestampScalar:
    """A point in time as an ibis literal (a report's cut-off)."""
    return ibis.timestamp(when.isoformat())


def in_period(col: ir.TimestampColumn | ir.DateColumn, period: Period | Days) -> ir.BooleanColumn:
    """``col`` falls on a day of ``period`` (timestamps: start ≤ col < day after end)."""
    if col.type().is_date():
        return col.between(period.start, period.end)
    return (col >= period.start) & (col < period.end_exclusive)


def total(col: ir.NumericColumn) -> ir.Scalar:
    """Σ col, 0 (not NULL) when there are no rows."""
    return scalar(col.sum().coalesce(0))


def safe_div(num: ir.NumericValue, den: ir.NumericValue) -> ir.NumericValue:
    """num ÷ den, NULL when den is 0 (a report shows "—", never inf)."""
    return num.cast("float64") / den.cast("float64").nullif(0)


class Days:
    """A period whose days are query parameters, for :func:`in_period`: metrics built on it once
    answer for any period (``evaluate(exprs, days.of(p))``). A review asks the same KPIs of a dozen
    periods; built and compiled once (storeops.compiled), each costs DuckDB's time alone."""

    def __init__(self) -> None:
        self.start, self.end, self.end_exclusive = (ibis.param("date") for _ in range(3))

    def of(self, p: Period) -> dict[ir.Scalar, _dt.date]:
        return {self.start: p.start, self.end: p.end, self.end_exclusive: p.end_exclusive}

    def trailing(self, days: int) -> Days:
        """The ``days`` days ending with the period's last day (Period.trailing), on the same parameters."""
        view = copy.copy(self)
        view.start = self.end - ibis.interval(days=days - 1)
        return view


def evaluate(exprs: Mapping[str, ir.Scalar], params: Mapping[ir.Scalar, Any] | None = None) -> dict[str, Any]:
    """Run many scalar expressions as one query (``params``: the values of its parameters, as
    :meth:`Days.of` gives); NULL comes back as None.

    >>> evaluate({"orders": orders(t, p), "uv": uv(t, p)})  # doctest: +SKIP
    {'orders': 3, 'uv': 100}
    """
    row = ibis.struct(dict(exprs))
    op, memo = row.op(), getattr(row._find_backend(use_default=True), "memo", None)
    if params is not None and memo is not None:  # built on parameters (Days): asked again for other periods
        once = memo[op] if op in memo else memo.setdefault(op, _each_once(op))
    else:
        once = _each_once(op)
    # a struct column converted as a struct scalar is: the same values of the same types
    row = row.execute(params=params) if once is None else once.execute(params=params)["row"].iloc[0]
    return {k: python_value(v) for k, v in row.items()}


def on_days(t: Any, key: Hashable, build: Callable[[Period | Days], Mapping[str, ir.Scalar]],
            p: Period) -> dict[str, Any]:
    """``evaluate(build(p))``, with the expressions built once per connection on a period of parameters
    (Days) and kept under ``key``: a function asked the same figures of many periods (a block for each
    day compared, a table of twelve months) then costs each period only the warehouse's time. Figures
    that read their period's length or kind cannot be built on Days (its days are parameters; the
    trailing days before its end it has): those are built for each period, as they are without a
    connection that keeps them (Spark)."""
    memo = getattr(t.con, "memo", None)
    if memo is not None and key not in memo:
        days = Days()
        try:
            memo[key] = days, build(days)
        except AttributeError:  # Days has no days, kind, label …: raised again below if a real fault
            memo[key] = None
    kept = memo.get(key) if memo is not None else None
    if kept is None:
        return evaluate(build(p))
    days, exprs = kept
    return evaluate(exprs, days.of(p))


def _each_once(op: ops.Node) -> ir.Table | None:
    """``row`` with each of its aggregates computed once: a block's ratios reuse its counts (paying
    buyers in the count, the conversion, the payment rate, the spend per buyer), which as scalar
    subqueries the warehouse would compute again at each use (a third of a big store's KPI time).
    The distinct aggregates become the columns of one row (a cross join of one-row tables: an
    aggregate without groups has exactly one row, even of no rows); None where there is nothing to
    share, or a subquery within a subquery (left as it is)."""
    subs = list(dict.fromkeys(op.find(ops.ScalarSubquery)))
    if len(subs) < 2 or not all(_one_row(q.rel) and next(iter(q.rel.find(ops.ScalarSubquery)), None) is None
                                for q in subs):
        return None
    parts = [q.rel.to_expr() for q in subs]
    parts = [t.select(**{f"_{i}": t[t.columns[0]]}) for i, t in enumerate(parts)]
    joined = functools.reduce(lambda a, b: a.cross_join(b), parts)
    fields = {q: ops.Field(joined.op(), f"_{i}") for i, q in enumerate(subs)}
    try:
        once = joined.select(row=op.replace(fields).to_expr())
    except Exception:  # noqa: BLE001 — a field that reads a table outside a subquery: run as it is
        return None
    # Spark runs a subquery as a job either way: the cross join was no faster there
    return once if once._find_backend(use_default=True).name == "duckdb" else None


def _one_row(rel: ops.Relation) -> bool:
    """An aggregate without groups whose one value aggregates: exactly one row, even of no rows (one
    without an aggregate, SELECT 5 FROM t, has a row per row of t)."""
    return (isinstance(rel, ops.Aggregate) and not rel.groups and len(rel.metrics) == 1
            and all(next(iter(v.find(ops.Reduction)), None) is not None for v in rel.metrics.values()))


def python_value(v: Any) -> Any:
    """A fetched value as Python's own: numpy scalars unwrapped, NULL and NaN as None, a whole
    Decimal as int."""
    if v is None:
        return None
    if isinstance(v, decimal.Decimal):
        # DuckDB sums integers to HUGEINT, which arrives as a scale-0 Decimal; money keeps scale 2
        return int(v) if v.as_tuple().exponent >= 0 else v
    if isinstance(v, float):
        return None if v != v else v  # NaN → None
    if hasattr(v, "item"):  # numpy scalar
        return python_value(v.item())
    return v
