"""Write canonical tables in an export format: the inverse of a preset.

``storeops demo --as-exports DIR`` uses it to hand out the demo store as the
files a platform would give, and the round-trip tests use it to prove that what
ingest reads is what was written.
"""

from __future__ import annotations

import csv
import datetime as _dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import ibis
import pandas as pd

from storeops import schema
from storeops.ingest.presets import Preset, evaluate, expr_names


def amount_text(d: Decimal) -> str:
    """An amount as an export writes it: to the cent, or past it exactly as it is (a line's 0.0085),
    whatever decimals its column keeps."""
    return f"{d:.2f}" if d == d.quantize(Decimal("0.01")) else f"{d.normalize():f}"


def _fmt(v, dtype: str, offset: str | None) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if dtype.startswith("decimal"):
        return amount_text(Decimal(v))
    if dtype == "timestamp":
        s = pd.Timestamp(v).strftime("%Y-%m-%d %H:%M:%S")
        return f"{s} {offset}" if offset else s
    if dtype == "date":
        return pd.Timestamp(v).strftime("%Y-%m-%d")
    if dtype == "boolean":
        return "true" if v else "false"
    if dtype in ("int32", "int64"):
        return str(int(v))
    return str(v)


def frame(preset: Preset, tables: dict[str, pd.DataFrame], tz: str) -> pd.DataFrame:
    """The export's rows, as strings, from canonical frames."""
    offset = _dt.datetime.now(ZoneInfo(tz)).strftime("%z") if preset.time_offset else None
    names = list(preset.tables)
    if preset.group_by:
        items = tables["order_items"].sort_values(["order_id", "line_no"], kind="stable")
        if "orders" in names:
            base = items.merge(tables["orders"], on="order_id", how="inner", suffixes=("", "_order"))
        else:
            base = items
    else:
        base = tables[names[0]]
    for table, specs in preset.tables.items():
        key = schema.table(table).key
        for s in specs:  # a constant key (直通车's channel) means the export holds only that slice
            if s.has_value and s.target in key:
                base = base[base[s.target].astype(str) == str(s.value)]
    base = base.reset_index(drop=True)
    out: dict[str, list[str]] = {}
    first = ~base.order_id.duplicated() if preset.group_by and "orders" in names else None
    for table, specs in preset.tables.items():
        t = schema.table(table)
        for s in specs:
            if not s.column or s.column in out:
                continue
            col = t.column(s.target)
            values = base[s.target]
            if s.map is not None:
                inverse = {}
                for k, v in s.map.items():
                    inverse.setdefault(str(v), k)
                inverse.update({str(k): v for k, v in (s.write_map or {}).items()})
                text = [inverse.get(str(v), "") if v is not None else "" for v in values]
            elif s.parse == "province":
                text = [f"{v} 某市 某区 某路1号" if v else "" for v in values]
            else:
                text = [_fmt(v, col.dtype, offset) for v in values]
            if s.column in preset.excel_text:
                text = [f'="{x}"' if x else "" for x in text]
            if first is not None and table == "orders" and s.column != preset.group_by:
                text = [x if f else "" for x, f in zip(text, first)]
            out[s.column] = text
    item_cols = set(schema.table("order_items").column_names) - {"order_id"}
    for header, expr in preset.write.items():
        cols = {c: base[c].map(lambda v: Decimal(v) if isinstance(v, (int, float, Decimal)) and not pd.isna(v)
                               else v) for c in base.columns}
        v = evaluate(expr, cols)
        text = [str(x) if isinstance(x, str) else _fmt(x, "decimal", None) for x in
                (v.tolist() if hasattr(v, "tolist") else [v] * len(base))]
        order_level = not (set(expr_names(expr)) & item_cols)
        if first is not None and order_level:  # order-level columns only on an order's first line
            text = [x if f else "" for x, f in zip(text, first)]
        out[header] = text
    return pd.DataFrame(out)


def write(preset: Preset, con: ibis.BaseBackend, folder: Path, tz: str) -> Path:
    """Write the warehouse's rows in ``preset``'s format into ``folder``; returns the file."""
    tables = {t: con.table(t).execute() for t in preset.tables}
    df = frame(preset, tables, tz)
    folder.mkdir(parents=True, exist_ok=True)
    if preset.format == "xlsx":
        return _xlsx(preset, df, folder, tables)
    path = folder / (f"{preset.name.removeprefix('canonical_')}.csv")
    with path.open("w", encoding="utf-8" if preset.encoding == "utf-8" else preset.encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(df.columns)
        w.writerows(df.itertuples(index=False, name=None))
    return path


def _xlsx(preset: Preset, df: pd.DataFrame, folder: Path, tables: dict[str, pd.DataFrame]) -> Path:
    import openpyxl

    dates = pd.to_datetime(next(iter(tables.values())).get("date", pd.Series(dtype="datetime64[ns]")))
    start = dates.min().date().isoformat() if len(dates) else ""
    end = dates.max().date().isoformat() if len(dates) else ""
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in preset.title_rows:
        ws.append([line.format(start=start, end=end)] if line else [])
    ws.append(list(df.columns))
    for row in df.itertuples(index=False, name=None):
        ws.append(list(row))
    path = folder / f"{preset.name}.xlsx"
    wb.save(path)
    return path
