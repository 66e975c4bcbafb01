"""Row checks on parsed canonical rows, with pandera schemas derived from schema.py.

Each failing row gets one reason naming the column and what was expected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from storeops import schema

if TYPE_CHECKING:  # pandas and pandera load only where a chunk has a row to name
    import pandas as pd
    import pandera.pandas as pdr

#: range checks beyond types and required values, per table and column
RANGES: dict[str, dict[str, tuple[str, float]]] = {
    "refunds": {"qty": ("ge", 0), "amount": ("ge", 0)},
    "order_items": {"qty": ("gt", 0), "unit_price": ("ge", 0), "amount": ("ge", 0), "refund_qty": ("ge", 0)},
    "orders": {"goods_amount": ("ge", 0), "shipping_fee": ("ge", 0), "discount_amount": ("ge", 0),
               "tax_amount": ("ge", 0), "paid_amount": ("ge", 0), "refund_amount": ("ge", 0)},
    "inventory": {"on_hand": ("ge", 0)},
    "traffic": {"uv": ("ge", 0), "pv": ("ge", 0)},
    "traffic_by_source": {"uv": ("ge", 0), "pv": ("ge", 0)},
    "product_traffic": {"uv": ("ge", 0), "pv": ("ge", 0)},
    "ads": {"impressions": ("ge", 0), "clicks": ("ge", 0), "cost": ("ge", 0), "orders": ("ge", 0), "gmv": ("ge", 0)},
    "products": {"price": ("ge", 0), "unit_cost": ("ge", 0)},
    "purchase_orders": {"qty_ordered": ("gt", 0), "qty_received": ("ge", 0)},
}
#: (later, earlier) timestamp pairs that must be in order when both are present
ORDER_OF_EVENTS = {"orders": [("paid_at", "created_at"), ("shipped_at", "paid_at"), ("delivered_at", "shipped_at")],
                   "cs_tickets": [("resolved_at", "opened_at")]}


def _floats(s: pd.Series) -> pd.Series:
    return s.map(lambda x: None if x is None else float(x))


def _check(op: str, bound: float) -> pdr.Check:
    import pandera.pandas as pdr

    def fn(s: pd.Series) -> pd.Series:
        v = _floats(s)
        ok = v > bound if op == "gt" else v >= bound
        return ok | v.isna()

    word = "greater than" if op == "gt" else "at least"
    return pdr.Check(fn, error=f"expected {word} {bound:g}", element_wise=False)


def pandera_schema(table: str) -> pdr.DataFrameSchema:
    """Required columns must be present and filled; ranges as RANGES; event times in order."""
    import pandas as pd
    import pandera.pandas as pdr

    t = schema.table(table)
    cols = {}
    for c in t.columns:
        checks = [_check(*RANGES[table][c.name])] if c.name in RANGES.get(table, {}) else []
        cols[c.name] = pdr.Column(object, checks=checks, nullable=c.nullable, coerce=False, required=True)
    frame_checks = []
    for later, earlier in ORDER_OF_EVENTS.get(table, []):
        def fn(df, later=later, earlier=earlier):
            a, b = pd.to_datetime(df[later]), pd.to_datetime(df[earlier])
            return (a >= b) | a.isna() | b.isna()

        frame_checks.append(pdr.Check(fn, name=f"{later}>={earlier}", error=f"{later} is before {earlier}"))
    return pdr.DataFrameSchema(cols, checks=frame_checks)


def passes(table: str, rows: pa.Table) -> bool:
    """Whether every row passes :func:`pandera_schema`'s checks, by the same rules column-wise on the
    typed rows (most chunks do: pandera, which names each failure, runs only for those that do not)."""
    t = schema.table(table)
    if any(rows[c.name].null_count for c in t.columns if not c.nullable):
        return False
    for name, (op, bound) in RANGES.get(table, {}).items():
        v = rows[name].cast(pa.float64())  # as pandera's check compares: float(value)
        if not pc.all((pc.greater if op == "gt" else pc.greater_equal)(v, bound).fill_null(True)).as_py():
            return False
    return all(pc.all(pc.greater_equal(rows[later], rows[earlier]).fill_null(True)).as_py()
               for later, earlier in ORDER_OF_EVENTS.get(table, []))


def row_reasons(table: str, df: pd.DataFrame, rows: pa.Table) -> dict[int, str]:
    """{row position: reason} for the rows of ``df`` (positional index; ``rows``, the same typed)
    that fail the table's checks."""
    if passes(table, rows):
        return {}
    import pandera.pandas as pdr

    try:
        pandera_schema(table).validate(df, lazy=True)
        return {}
    except pdr.errors.SchemaErrors as e:
        fc = e.failure_cases
    reasons: dict[int, str] = {}
    import pandas as pd

    for _, f in fc.iterrows():
        idx = f["index"]
        if idx is None or pd.isna(idx):
            continue
        col, check = f["column"], str(f["check"])
        if check == "not_nullable":
            why = f"column {col}: required, but empty"
        elif " is before " in check:
            why = check
        else:
            why = f"column {col}: {check}, got {f['failure_case']}"
        reasons.setdefault(int(idx), why)
    return reasons


def duplicate_keys(table: str, df: pd.DataFrame, lines: list[int], seen: dict[tuple, int]) -> dict[int, str]:
    """{row position: reason} for rows repeating a key (the first is kept). ``seen`` maps each key
    met so far to its line, and carries over from one chunk of a file to the next."""
    key = list(schema.table(table).key)
    out = {}
    for pos, k in enumerate(df[key].itertuples(index=False, name=None)):
        if k in seen:
            out[pos] = f"duplicate key {', '.join(f'{n}={v}' for n, v in zip(key, k))} (first on line {seen[k]})"
        else:
            seen[k] = lines[pos]
    return out
