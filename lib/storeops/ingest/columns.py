"""Ingest column-wise: an export's cells, as Arrow columns of text, into canonical tables.

:func:`map_table` turns the cells of a chunk into one canonical table's typed columns,
naming every cell that holds no value of its column; both ways of loading use it. :func:`load`
loads a chunk whose rows are all sound in a few vectorised passes, or declines, leaving
nothing changed, and the chunk goes row by row (storeops.ingest.rows), which names what is
wrong with each rejected row. A sound chunk is the common case: most exports load without one
row by row.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from storeops import schema, warehouse
from storeops.ingest import parse, plain, presets, read, validate
from storeops.ingest.presets import ColumnSpec, Preset

if TYPE_CHECKING:
    from storeops.ingest.loading import Load

MONEY = pa.decimal128(18, 2)
#: canonical columns an export may simply not carry, and what they hold then
DEFAULTS = {"refund_amount": Decimal("0.00"), "discount_amount": Decimal("0.00"), "shipping_fee": Decimal("0.00"),
            "tax_amount": Decimal("0.00"), "is_urgent": False, "refund_qty": 0, "qty_received": 0}


def is_key(table: schema.Table, column: str) -> bool:
    """Ids that rows are matched by: normalised and checked for Excel damage (parse.key)."""
    return column in table.key or column.endswith("_id") or column == "sku"


def map_table(preset: Preset, table: str, raw: pa.Table, tz: str, line_no: pa.Array | None,
              long_ids: dict[tuple[str, str], list[int]], rounded: frozenset, weights: np.ndarray | None = None,
              floated: frozenset = frozenset()) -> tuple[pa.Table, dict[int, str]]:
    """The canonical rows of ``table`` that the cells ``raw`` give, typed as the schema says, and
    {row position: reason} for the rows with a cell that holds no value of its column. ``line_no``
    numbers each row within its order (multi-line layouts). Long numeric ids are counted into
    ``long_ids`` per column (each row ``weights`` times: the lines of an order mapped once); the
    columns in ``rounded`` went through Excel as numbers (see :func:`excel_rounded`), and their
    long ids are refused. The id columns in ``floated`` were written as floats (every id ends in
    ``.0``, see :func:`written_as_floats`): read without it."""
    t = schema.table(table)
    target = t.schema.to_pyarrow()
    specs = {s.target: s for s in preset.tables[table]}
    arrays, bad, todo = {}, {}, []
    for c in t.columns:
        type = target.field(c.name).type
        spec = specs.get(c.name)
        if spec is None or (c.name in DEFAULTS and not c.nullable and spec.optional and spec.column not in raw.column_names):
            arrays[c.name] = _constant(DEFAULTS.get(c.name) if not c.nullable else None, type, raw.num_rows)
        else:
            todo.append((c, spec, type))
    # Arrow's kernels let go of the GIL: the columns are parsed side by side (a small chunk, one by one:
    # handing a few hundred rows to threads costs more than it saves)
    mapped = (_POOL.map if raw.num_rows >= PARALLEL_ROWS else map)(lambda job: _map_column(job[1], raw, job[0].dtype, job[2], tz, line_no, is_key(t, job[0].name),
                                               preset.date_order, (table, job[0].name) in floated), todo)
    for (c, spec, _), (values, b) in zip(todo, mapped):
        if is_key(t, c.name) and c.dtype == "string" and spec.column:
            counts = long_ids.setdefault((table, c.name), [0, 0, 0, 0])
            if spec.column in raw.column_names:
                _count_floats(raw[spec.column], counts, weights)
            b = {**_count_long(values, counts, spec.column if (table, c.name) in rounded else None, weights), **b}
        for pos, why in b.items():
            bad.setdefault(pos, why)
        arrays[c.name] = values
    if table == "orders" and preset.paid_net:
        _gross(arrays, specs, preset.paid_net)
    return pa.Table.from_arrays([arrays[c.name] for c in t.columns], schema=target), bad


def _gross(arrays: dict[str, pa.Array], specs: dict[str, ColumnSpec], net: bool | str) -> None:
    """An export whose paid column is net of refunds, read as METRICS's paid amount (what the buyer
    was charged): paid + refund, on every order (``net`` True) or on the orders refunded whole that
    show 0 paid (``fully_refunded``). A discount the preset works out from the paid column (total −
    paid) gives the refund back: a refund is no discount."""
    paid, refund = arrays["paid_amount"], arrays["refund_amount"].fill_null(0)
    fix = pc.greater(refund, 0)
    if net == "fully_refunded":
        fix = pc.and_(fix, pc.equal(paid, 0))
    add = pc.if_else(fix.fill_null(False), refund, pa.scalar(Decimal("0.00"), MONEY))
    arrays["paid_amount"] = pc.add_checked(paid, add).cast(MONEY)
    d = specs.get("discount_amount")
    if d is not None and d.expr and specs["paid_amount"].column in d.headers:
        arrays["discount_amount"] = pc.subtract_checked(arrays["discount_amount"], add).cast(MONEY)


def refunded_from_nothing(orders: pa.Table) -> int:
    """Accepted orders that show 0 paid and a refund: what was never paid cannot be refunded, so the
    paid column of their export is net of refunds at least for orders refunded whole (Tmall's 订单报表).
    Whether it is net for the partly refunded too, one file cannot tell: the preset says so."""
    if orders.num_rows == 0:
        return 0
    hit = pc.and_(pc.equal(orders["paid_amount"], 0), pc.greater(orders["refund_amount"].fill_null(0), 0))
    return pc.sum(hit.fill_null(False).cast(pa.int64())).as_py() or 0


PARALLEL_ROWS = 20_000
_POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="storeops-parse")


def _constant(value: object, type: pa.DataType, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, type), n) if value is not None else pa.nulls(n, type)


def _map_column(spec: ColumnSpec, raw: pa.Table, dtype: str, type: pa.DataType, tz: str, line_no: pa.Array | None,
                key: bool, date_order: str | None, floated: bool = False) -> tuple[pa.Array, dict[int, str]]:
    n = raw.num_rows
    typed = plain.for_dtype(dtype, tz, is_key=key, date_order=date_order)
    if spec.has_value:  # a constant, typed like any cell of its column (0 → 0.00 for money)
        v = None if spec.value is None else (spec.parse and getattr(parse, spec.parse) or typed)(str(spec.value))
        return _constant(v, type, n), {}
    if spec.line_number:
        return line_no.cast(type), {}
    if spec.sum:  # an order's total over its lines, which order_sums computes (and names bad operands of)
        return pa.nulls(n, type), {}
    if spec.expr:
        return _expression(spec.expr, raw, dtype, type)
    if spec.column not in raw.column_names:
        return pa.nulls(n, type), {}  # an optional column the export does not have
    values, bad = raw[spec.column].combine_chunks(), {}
    if floated:
        values = pc.replace_substring_regex(values, pattern=_FLOAT_ID, replacement=r"\1")
    if spec.map is not None:
        values, b = plain.column(values, _mapping(spec.map), pa.string())
        bad = {pos: f"column {spec.column}: {why}" for pos, why in b.items()}
    out, b = plain.column(values, getattr(parse, spec.parse) if spec.parse else typed, type)
    for pos, why in b.items():
        bad.setdefault(pos, f"column {spec.column}: {why}")
    return out, bad


def _mapping(values: dict):
    """A value map (an export's status words → canonical ones) as a cell parser."""
    allowed = ", ".join(list(values)[:8])

    def mapped(cell: str | None) -> str | None:
        k = str(cell).strip()
        if k in values:
            return None if values[k] is None else str(values[k])
        if parse.empty(k):
            return None
        raise parse.BadValue(f"unknown value {k!r} (expected one of {allowed})")

    return mapped


def _expression(expr: str, raw: pa.Table, dtype: str, type: pa.DataType, exact: bool = False
                ) -> tuple[pa.Array, dict[int, str]]:
    """An expression over amounts; an empty or bad operand leaves the result empty, never a sum
    with 0 in its place. Exact decimal arithmetic where Arrow's equals Python's (+ − ×, results
    that fit ``type`` exactly), else row by row as :class:`decimal.Decimal` does it. ``exact``: the
    operands to 6 decimals (parse.exact) and the result unrounded (a line of an order's sum); so too
    for a line's amount (schema.LINE_MONEY: 1000 × 0.001)."""
    names = presets.expr_names(expr)
    if exact:
        type, dtype = pa.decimal128(38, 2 * parse.EXACT_PLACES), "exact"
    exact = exact or dtype == schema.LINE_MONEY
    if any(h not in raw.column_names for h in names):
        return pa.nulls(raw.num_rows, type), {}
    operands, bad = {}, {}
    for h in names:
        operands[h], b = plain.column(raw[h].combine_chunks(), parse.exact if exact else parse.money,
                                      parse.EXACT if exact else MONEY)
        for pos, why in b.items():
            bad.setdefault(pos, f"column {h}: {why}")
    try:
        return presets.evaluate(expr, operands, arrow=True).cast(type), bad
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, NotImplementedError):
        pass
    cast = (lambda v: v.quantize(Decimal(1).scaleb(-type.scale), ROUND_HALF_UP)) if pa.types.is_decimal(type) else \
        (lambda v: int(v) if v == int(v) else v) if dtype in ("int32", "int64") else (lambda v: v)
    cells = {h: a.to_pylist() for h, a in operands.items()}
    out = [None if any(cells[h][i] is None for h in names) else
           cast(presets.evaluate(expr, {h: cells[h][i] for h in names})) for i in range(raw.num_rows)]
    return pa.array(out, type), bad


def _count_long(ids: pa.Array, counts: list[int], column: str | None, weights: np.ndarray | None = None
                ) -> dict[int, str]:
    """Count ids longer than Excel's 15 digits into ``counts`` (all, and those with only zeros past
    the 15th), each ``weights`` times; with ``column`` (found rounded), the reason for each such id."""
    long = pc.greater(pc.utf8_length(ids), parse.EXCEL_DIGITS).fill_null(False)
    if not pc.any(long).as_py():
        return {}
    w = np.ones(len(ids), dtype=np.int64) if weights is None else weights
    digits, zeros = long_id_flags(ids, long)
    counts[0] += int(w[digits].sum())
    counts[1] += int(w[zeros].sum())
    if column is None:
        return {}
    return {int(pos): f"column {column}: expected an exact id, got {v!r}: every long id of the column has zeros "
                      f"past the {parse.EXCEL_DIGITS}th digit, as Excel leaves numbers it rounded; export the "
                      f"column as text"
            for pos, v in zip(np.flatnonzero(plain.flags(long)), ids.filter(long).to_pylist())}


def long_id_flags(ids: pa.Array, long: pa.Array | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per id: whether it is all digits beyond Excel's 15, and whether it has only zeros past the
    15th (``long``: the ids longer than 15 characters, if known)."""
    if long is None:
        long = pc.greater(pc.utf8_length(ids), parse.EXCEL_DIGITS).fill_null(False)
    digits = plain.flags(pc.match_substring_regex(ids, f"^[0-9]{{{parse.EXCEL_DIGITS + 1},}}$"))
    zeros = plain.flags(pc.match_substring_regex(ids, f"^[0-9]{{{parse.EXCEL_DIGITS}}}0+$"))
    others = plain.flags(pc.and_(long, pc.invert(pc.string_is_ascii(ids).fill_null(True)))) & ~digits
    for i in np.flatnonzero(others):  # digits beyond ASCII (isdigit says so): as parse.excel_rounded
        v = ids[int(i)].as_py()
        digits[i], zeros[i] = v.isdigit(), v.isdigit() and set(v[parse.EXCEL_DIGITS:]) == {"0"}
    return digits, zeros


#: an id a spreadsheet or pandas wrote as a float: 17850.0
_FLOAT_ID = r"^([0-9]+)\.0+$"


def order_sums(preset: Preset, raw: pa.Table, order: np.ndarray, orders: int
               ) -> tuple[dict[str, pa.Array], dict[int, str]]:
    """Orders built from their lines: each ``sum`` column of the orders table, per order, the sum
    of its expression over the order's lines (``order``: each line's order, 0 … ``orders``-1), the
    operands exact and only the total rounded to the cent, half away from zero as invoices are;
    and {line position: reason} for lines whose operands hold no amount."""
    out, bad = {}, {}
    for spec in preset.tables["orders"]:
        if not spec.sum:
            continue
        values, b = _expression(spec.sum, raw, "exact", MONEY, exact=True)
        for pos, why in b.items():
            bad.setdefault(pos, why)
        if b or values.null_count:
            out[spec.target] = pa.nulls(orders, MONEY)
            continue
        sums = pa.table({"o": pa.array(order), "v": values}).group_by("o").aggregate([("v", "sum")])
        at = np.empty(orders, dtype=np.int64)
        at[sums["o"].to_numpy()] = np.arange(sums.num_rows)
        total = sums["v_sum"].combine_chunks().take(pa.array(at))
        out[spec.target] = pc.round(total, ndigits=2, round_mode="half_towards_infinity").cast(MONEY)
    return out, bad


def _count_floats(cells: pa.ChunkedArray, counts: list[int], weights: np.ndarray | None) -> None:
    """Count the filled cells of an id column and those written as a float (17850.0) into ``counts``[2:]."""
    w = np.ones(len(cells), dtype=np.int64) if weights is None else weights
    filled, floats = float_id_flags(cells)
    counts[2] += int(w[filled].sum())
    if floats is not None:
        counts[3] += int(w[floats].sum())


def float_id_flags(cells: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """Per cell of an id column: whether it is filled, and whether it is an id written as a float
    (None when no cell is: most id columns)."""
    cells = cells.combine_chunks() if isinstance(cells, pa.ChunkedArray) else cells
    filled = plain.flags(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(cells)), 0).fill_null(False))
    if not pc.any(pc.match_substring(cells, ".0")).as_py():
        return filled, None
    return filled, plain.flags(pc.match_substring_regex(cells, _FLOAT_ID).fill_null(False))


def written_as_floats(counts: list[int]) -> bool:
    """Whether a column of ids was written as floats by a spreadsheet or pandas: every filled id ends
    in ``.0`` (a column with one id that does not is no such column: its ``.0`` ids stay refused)."""
    return counts[3] > 0 and counts[3] == counts[2]


def excel_rounded(counts: list[int]) -> bool:
    """Whether a column of ids went through Excel as numbers: every id longer than 15 digits (two or
    more of them) has only zeros past the 15th. One real id in ten ends in 0; all of them never do."""
    return counts[0] >= 2 and counts[1] == counts[0]


# ------------------------------------------------------------------ a sound chunk, in a few passes


def load(tz: str, con, raw: pa.Table, lines: np.ndarray, state: Load) -> bool:
    """Load the rows ``raw`` (cells as text, blank rows already left out; ``lines`` their line
    numbers) if every one of them is sound, and say so; else change nothing and return False."""
    p, n = state.preset, raw.num_rows
    if any(pc.max(pc.utf8_length(c)).as_py() > read.MAX_CELL for c in raw.columns if n):
        return False
    groups = line_no = None
    given: dict = {}
    if p.group_by:
        groups, _ = plain.column(raw[p.group_by].combine_chunks(), parse.group_key, pa.string())
        starts = _whole_orders(groups, state)
        if starts is None:
            return False
        sizes = np.diff(np.append(starts, n))  # lines per order
        first = np.repeat(starts, sizes)  # each line's order's first line
        carried = _carried_down(raw, p, sizes, first)
        if carried is None:
            return False
        raw, given = carried
        line_no = pa.array(np.arange(n) - first + 1)
    frames, counts = {}, {}  # long ids counted into the state only if the chunk loads
    for table in p.loading_order:
        if groups is not None and table == "orders":  # an order is its first line (its values carried down)
            typed, bad = map_table(p, table, raw.take(pa.array(starts)), tz, None, counts, state.rounded,
                                   weights=sizes, floated=state.floated)
            if p.from_lines and not bad:  # and its amounts the sums over its lines
                sums, bad = order_sums(p, raw, np.repeat(np.arange(len(starts)), sizes), len(starts))
                for target, values in sums.items():
                    typed = typed.set_column(typed.column_names.index(target), target, values)
        else:
            typed, bad = map_table(p, table, raw, tz, line_no, counts, state.rounded, floated=state.floated)
        if bad or not validate.passes(table, typed):
            return False
        if not (groups is not None and table == "orders") and not warehouse.distinct(typed.select(list(schema.table(table).key))):
            return False  # a key twice: the rows say which line came first
        frames[table] = typed
    if "order_items" in frames and not _orders_known(con, frames, state):
        return False
    keys = {table: typed.select(list(schema.table(table).key)) for table, typed in frames.items()}
    if any(state.keys.get(table) and any(row in state.keys[table] for row in zip(*(c.to_pylist() for c in k.columns)))
           for table, k in keys.items()):
        return False  # a key a row-by-row chunk loaded: the rows name the line it came first on
    if groups is not None and state.orders and any(g in state.orders for g in groups.to_pylist()):
        return False  # an order an earlier chunk listed
    state.read += n
    for column, (found, zeros, filled, floats) in counts.items():
        total = state.long_ids.setdefault(column, [0, 0, 0, 0])
        for i, n in enumerate((found, zeros, filled, floats)):
            total[i] += n
    for table, typed in frames.items():
        state.accepted.setdefault(table, []).append(typed)
        at = lines if groups is None or table != "orders" else lines[starts]
        state.unsettled_keys.setdefault(table, []).append(keys[table].append_column("_line", pa.array(at)))
    if "orders" in frames:
        state.unsettled_known.append(frames["orders"]["order_id"].combine_chunks())
    if groups is not None and given:
        state.unsettled_orders.append((groups, lines, starts, given))
    return True


def _whole_orders(groups: pa.Array, state: Load) -> np.ndarray | None:
    """The first row of each order, when every row names its order, each order's lines come
    together and none of them is to be rejected whole; else None."""
    if groups.null_count or not len(groups):
        return None
    change = np.flatnonzero(plain.flags(pc.not_equal(groups[1:], groups[:-1]))) + 1
    starts = np.concatenate(([0], change))
    if len(starts) != pc.count_distinct(groups).as_py():
        return None  # an order listed again further down
    if state.spoiled and pc.any(pc.is_in(groups, value_set=pa.array(list(state.spoiled), pa.string()))).as_py():
        return None
    return starts


def _carried_down(raw: pa.Table, p: Preset, sizes: np.ndarray, first: np.ndarray) -> tuple[pa.Table, dict] | None:
    """Order-level columns, given on an order's first line, on each of its lines, and where each
    order first gives each of them (stripped, as rows._listings notes them); None when a line gives
    one of them another value than its order's first line that gives it."""
    order = np.repeat(np.arange(len(sizes)), sizes)
    first = pa.array(first)
    given = {}
    for h in p.order_columns(raw.column_names):
        v = raw[h].combine_chunks()
        stripped = pc.utf8_trim(v, plain.SPACES)
        at = np.flatnonzero(plain.flags(pc.not_equal(stripped, "")))
        o, g = order[at], stripped.take(pa.array(at))
        same = o[1:] == o[:-1]
        # an order's lines come together: two values given for it are two neighbours among the given
        if same.any() and pc.any(pc.and_(pa.array(same), pc.not_equal(g[1:], g[:-1]))).as_py():
            return None
        firsts = np.concatenate(([True], ~same)) if len(at) else np.zeros(0, dtype=bool)
        given[h] = (at[firsts], g.filter(pa.array(firsts)))
        raw = raw.set_column(raw.column_names.index(h), h, v.take(first))
    return raw, given


def _orders_known(con, frames: dict[str, pa.Table], state: Load) -> bool:
    """Whether every line's order is in this chunk, an earlier one, or the warehouse."""
    ids = pc.unique(frames["order_items"]["order_id"].combine_chunks())
    if "orders" in frames:
        ids = ids.filter(pc.invert(pc.is_in(ids, value_set=frames["orders"]["order_id"].combine_chunks())))
    if len(ids) and state.unsettled_known:
        ids = ids.filter(pc.invert(pc.is_in(ids, value_set=pa.chunked_array(state.unsettled_known).combine_chunks())))
    if len(ids) and state.known:
        ids = pa.array([i for i in ids.to_pylist() if i not in state.known], pa.string())
    return not len(ids) or len(stored_orders(con, ids)) == len(ids)


def stored_orders(con, ids: pa.Array) -> set[str]:
    """The order ids among ``ids`` that the warehouse holds."""
    import ibis

    wanted = ibis.memtable(pa.table({"order_id": ids}))
    return set(wanted.semi_join(con.table("orders"), "order_id").to_pyarrow()["order_id"].to_pylist())
