"""Row checks on parsed canonical rows, with pandera schemas derived from schema.py.

Each failing row gets one reason naming the column and what was expected.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from storeops import schema

#: range checks beyond types and required values, per table and column
RANGES: dict[str, dict[str, tuple[str, float]]] = {
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


def _check(op: str, bound: float) -> pa.Check:
    def fn(s: pd.Series) -> pd.Series:
        v = _floats(s)
        ok = v > bound if op == "gt" else v >= bound
        return ok | v.isna()

    word = "greater than" if op == "gt" else "at least"
    return pa.Check(fn, error=f"expected {word} {bound:g}", element_wise=False)


def pandera_schema(table: str) -> pa.DataFrameSchema:
    """Required columns must be present and filled; ranges as RANGES; event times in order."""
    t = schema.table(table)
    cols = {}
    for c in t.columns:
        checks = [_check(*RANGES[table][c.name])] if c.name in RANGES.get(table, {}) else []
        cols[c.name] = pa.Column(object, checks=checks, nullable=c.nullable, coerce=False, required=True)
    frame_checks = []
    for later, earlier in ORDER_OF_EVENTS.get(table, []):
        def fn(df, later=later, earlier=earlier):
            return _events_in_order(df, later, earlier)

        frame_checks.append(pa.Check(fn, name=f"{later}>={earlier}", error=f"{later} is before {earlier}"))
    return pa.DataFrameSchema(cols, checks=frame_checks)


def _events_in_order(df: pd.DataFrame, later: str, earlier: str) -> pd.Series:
    a, b = pd.to_datetime(df[later]), pd.to_datetime(df[earlier])
    return (a >= b) | a.isna() | b.isna()


def _passes(table: str, df: pd.DataFrame) -> bool:
    """Whether every row passes :func:`pandera_schema`'s checks, by the same rules column by column
    (most chunks do: pandera, which names each failure, then runs only for those that do not)."""
    t = schema.table(table)
    if any(df[c.name].isna().any() for c in t.columns if not c.nullable):
        return False
    for name, (op, bound) in RANGES.get(table, {}).items():
        v = _floats(df[name])
        if not ((v > bound if op == "gt" else v >= bound) | v.isna()).all():
            return False
    return all(_events_in_order(df, later, earlier).all() for later, earlier in ORDER_OF_EVENTS.get(table, []))


def row_reasons(table: str, df: pd.DataFrame) -> dict[int, str]:
    """{row position: reason} for the rows of ``df`` (positional index) that fail the table's checks."""
    if set(schema.table(table).column_names) <= set(df.columns) and _passes(table, df):
        return {}
    try:
        pandera_schema(table).validate(df, lazy=True)
        return {}
    except pa.errors.SchemaErrors as e:
        fc = e.failure_cases
    reasons: dict[int, str] = {}
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
