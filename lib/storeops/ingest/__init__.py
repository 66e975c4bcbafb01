"""``storeops ingest``: platform exports into the canonical tables, losing and double-counting nothing.

For each file: read it (any encoding, CSV or XLSX, title rows skipped), pick its
preset by the header (or take ``--preset``), map and parse every cell, check
every row, then upsert the accepted rows — all tables of the file and its
ingest_log lines in one transaction. Rows read = rows accepted + rows rejected,
always; rejected rows go to ``data/rejects/<file>.<timestamp>.csv`` with a
reason naming the line, the column and what was expected. A file that cannot
be read, or lacks a required column, is refused whole and the warehouse is
left untouched.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import re
import sys
import time
from decimal import Decimal
from dataclasses import dataclass, field
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa

from storeops import schema, warehouse
from storeops.config import Config
from storeops.ingest import parse, presets, read, validate
from storeops.ingest.presets import ColumnSpec, Preset
from storeops.ingest.read import FileRefused

__all__ = ["FileRefused", "FileReport", "ingest_file", "ingest_paths", "choose_preset"]

#: rows parsed and checked at a time (an order's lines are never split): memory stays bounded
#: however long the export, since only the accepted rows are kept, as compact Arrow columns
CHUNK_ROWS = 5_000
#: presets feeding these tables load first, so order lines find their orders
LOAD_ORDER = ("products", "orders", "order_items")


@dataclass
class FileReport:
    path: Path
    preset: str
    detected: bool
    rows_read: int
    rows_accepted: int
    rows_rejected: int
    written: dict[str, int] = field(default_factory=dict)
    rejects: Path | None = None
    dry_run: bool = False
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) of each rejected row

    def summary(self) -> str:
        how = "detected" if self.detected else "given"
        out = (f"{self.path.name} [{self.preset}, {how}]: read {self.rows_read}, accepted {self.rows_accepted}, "
               f"rejected {self.rows_rejected}")
        if self.dry_run:
            return out + " (dry run: nothing written)"
        if self.written:
            out += "; wrote " + ", ".join(f"{t} {n}" for t, n in self.written.items())
        if self.rejects:
            out += f"; rejects in {self.rejects}"
        return out


def choose_preset(table: read.Table, available: dict[str, Preset], name: str | None) -> tuple[Preset, int, bool]:
    """(preset, header row index, detected?) — by name, or the preset whose headers the file has."""
    if name:
        if name not in available:
            raise FileRefused(table.path, f"unknown preset {name!r}; known: {', '.join(sorted(available))}")
        p = available[name]
        idx, _, missing = read.find_header(table, p.headers, p.required_headers)
        if missing:
            raise FileRefused(table.path, f"missing required columns for preset {p.name}: {', '.join(missing)}")
        return p, idx, False
    scored = []
    for p in available.values():
        idx, share, missing = read.find_header(table, p.headers, p.required_headers)
        found = round(share * len(p.headers))
        # the preset that fits and reads the most of the file's columns (product_traffic over traffic)
        scored.append((not missing, found if not missing else share, -len(missing), p.name, idx, missing, share))
    scored.sort(reverse=True)
    fits, _, _, best, idx, missing, share = scored[0]
    if share == 0:
        header = ", ".join(h for h in table.header_at(0) if h)[:200]
        raise FileRefused(table.path, f"its header ({header}) matches no preset; see params/sources/")
    if not fits:
        raise FileRefused(table.path, f"no preset fits its header; closest is {best} "
                                      f"({share:.0%} of its columns), missing: {', '.join(missing)}")
    return available[best], idx, True


def _frame(table: read.Table, header: list[str], rows: list[tuple[int, list]], used: list[str]
           ) -> tuple[pd.DataFrame, list[int], dict[int, str]]:
    """Data rows as a string frame, their line numbers, and {position: reason} for ragged rows,
    cells that did not decode in the file's encoding, and cells too long to be a value."""
    n = len(header)
    xlsx = table.encoding == "xlsx"
    cells_of, lines, bad = [], [], {}
    for line, cells in rows:
        if xlsx:
            cells = [str(c) for c in cells]
        whole = "".join(cells)
        if whole.isspace() or not whole:
            continue  # a blank line is not a row
        if len(cells) < n:
            if not xlsx:  # a workbook simply omits empty trailing cells (more so without <dimension>)
                bad[len(cells_of)] = f"truncated: {len(cells)} of {n} fields"
            cells = cells + [""] * (n - len(cells))
        elif len(cells) > n:
            if any(c.strip() for c in cells[n:]):
                bad[len(cells_of)] = f"{len(cells)} fields, the header has {n}"
            cells = cells[:n]
            whole = "".join(cells)
        # the whole row first: a cell-by-cell look only where something is wrong
        if len(whole) > read.MAX_CELL or read.UNDECODED.search(whole):
            for h, c in zip(header, cells):
                if read.UNDECODED.search(c):
                    bad.setdefault(len(cells_of), f"column {h}: not valid {table.encoding} text (the file's "
                                                  f"encoding); the row was cut or damaged")
                elif len(c) > read.MAX_CELL:
                    bad.setdefault(len(cells_of), f"column {h}: a cell of {len(c):,} characters (at most "
                                                  f"{read.MAX_CELL:,})")
        cells_of.append(cells)
        lines.append(line)
    cols = _columns(header)
    df = pd.DataFrame(cells_of, columns=cols, dtype=object)
    for h in dict.fromkeys(h for h in header if h in used and header.count(h) > 1):
        copies = [c for c, name in zip(cols, header) if name == h]
        if any(not df[c].equals(df[h]) for c in copies[1:]):
            raise FileRefused(table.path, f"the column {h!r} appears {len(copies)} times with different values: "
                                          f"keep the one that is meant and ingest again")
    return df, lines, bad


def _columns(header: list[str]) -> list[str]:
    """Frame column names: a header repeated gets .1, .2 (the first copy keeps the name)."""
    return [h if header[:i].count(h) == 0 else f"{h}.{header[:i].count(h)}" for i, h in enumerate(header)]


def _is_key(table: schema.Table, column: str) -> bool:
    """Ids that rows are matched by: normalised and checked for Excel damage (parse.key)."""
    return column in table.key or column.endswith("_id") or column == "sku"


def _map_column(spec: ColumnSpec, raw: pd.DataFrame, dtype: str, tz: str, groups: pd.Series | None,
                is_key: bool = False, date_order: str | None = None) -> tuple[list, dict[int, str]]:
    n = len(raw)
    typed = parse.for_dtype(dtype, tz, is_key=is_key, date_order=date_order)
    if spec.has_value:  # a constant, typed like any cell of its column (0 → 0.00 for money)
        v = None if spec.value is None else (spec.parse and getattr(parse, spec.parse) or typed)(str(spec.value))
        return [v] * n, {}
    if spec.line_number:
        return (groups.groupby(groups).cumcount() + 1).tolist(), {}
    if spec.expr:
        cols, bad, blanks = {}, {}, set()
        for h in presets.expr_names(spec.expr):
            if h not in raw:
                return [None] * n, {}
            vals, b = parse.column(raw[h], parse.money)
            cols[h] = pd.Series([v if v is not None else Decimal(0) for v in vals], dtype=object)
            blanks |= {pos for pos, v in enumerate(vals) if v is None}
            for pos, why in b.items():
                bad.setdefault(pos, f"column {h}: {why}")
        result = presets.evaluate(spec.expr, cols)
        cast = (lambda v: v.quantize(Decimal("0.01"))) if dtype.startswith("decimal") else \
            (lambda v: int(v) if v == int(v) else v) if dtype in ("int32", "int64") else (lambda v: v)
        # an empty operand makes the result empty, never a sum with 0 in its place
        return [None if pos in bad or pos in blanks else cast(v) for pos, v in enumerate(result.tolist())], bad
    if spec.column not in raw:
        return [None] * n, {}  # an optional column the export does not have
    values = raw[spec.column]
    bad: dict[int, str] = {}
    if spec.map is not None:
        mapped = []
        for pos, v in enumerate(values.tolist()):
            key = str(v).strip()
            if key in spec.map:
                mapped.append(spec.map[key])
            elif parse.empty(key):
                mapped.append(None)
            else:
                mapped.append(None)
                allowed = ", ".join(list(spec.map)[:8])
                bad[pos] = f"column {spec.column}: unknown value {key!r} (expected one of {allowed})"
        values = pd.Series([None if m is None else str(m) for m in mapped], dtype=object)
    parser = getattr(parse, spec.parse) if spec.parse else typed
    out, b = parse.column(values, parser)
    for pos, why in b.items():
        bad.setdefault(pos, f"column {spec.column}: {why}")
    if is_key and dtype == "string" and parse.excel_rounded(out):
        for pos, v in enumerate(out):
            if v and len(v) > parse.EXCEL_DIGITS:
                bad.setdefault(pos, f"column {spec.column}: expected an exact id, got {v!r}: every long id of the "
                                    f"column has zeros past the {parse.EXCEL_DIGITS}th digit, as Excel leaves "
                                    f"numbers it rounded; export the column as text")
    return out, bad


def _map_table(preset: Preset, table: str, raw: pd.DataFrame, tz: str, groups: pd.Series | None
               ) -> tuple[pd.DataFrame, dict[int, str]]:
    t = schema.table(table)
    data, bad = {}, {}
    specs = {s.target: s for s in preset.tables[table]}
    for c in t.columns:
        if c.name in specs:
            vals, b = _map_column(specs[c.name], raw, c.dtype, tz, groups, _is_key(t, c.name), preset.date_order)
            for pos, why in b.items():
                bad.setdefault(pos, why)
        else:
            vals = [None] * len(raw)
        data[c.name] = vals
    df = pd.DataFrame(data, dtype=object)
    defaults = {"refund_amount": Decimal("0.00"), "discount_amount": Decimal("0.00"),
                "shipping_fee": Decimal("0.00"), "tax_amount": Decimal("0.00"), "is_urgent": False,
                "refund_qty": 0, "qty_received": 0}
    for col, default in defaults.items():  # columns an export may simply not carry
        absent = col not in specs or (specs[col].optional and specs[col].column not in raw)
        if col in df and absent and not t.column(col).nullable:
            df[col] = default
    return df, bad


def _carried(p: Preset, table: str, columns: list[str]) -> list[str]:
    """The canonical columns this file really carries (keys always): those an upsert may change."""
    out = list(schema.table(table).key)
    for spec in p.tables[table]:
        if spec.line_number or (spec.headers and all(h in columns for h in spec.headers)):
            out.append(spec.target)
    return list(dict.fromkeys(out))


def _repeats(raw: pd.DataFrame, groups: pd.Series, lines: list[int], order_cols: list[str]
             ) -> tuple[dict[int, str], dict[int, str]]:
    """(conflicts, repeats) of a multi-line layout, where an order's lines come together and its values
    on the first. A conflict is a line giving an order-level column another value than an earlier line
    of its order: nobody can tell which is right, so the order is rejected whole, naming both lines. A
    repeat is an order listed again further down (the same export pasted twice): the later copy is
    rejected so no line item counts twice, and the first stands."""
    pos = pd.Series(range(len(raw)), index=raw.index)
    conflicts: dict[int, str] = {}
    for h in order_cols:
        v = raw[h].astype(str).str.strip()
        given = v != ""
        first_v = v.where(given).groupby(groups, dropna=False).transform("first")
        first_at = pos.where(given).groupby(groups, dropna=False).transform("first")
        for p in pos[given & (v != first_v)]:
            conflicts.setdefault(p, f"order {groups.iloc[p]} is given {h} {first_v.iloc[p]!r} on line "
                                    f"{lines[int(first_at.iloc[p])]} and {v.iloc[p]!r} here: which is right "
                                    f"cannot be told, so the order is not loaded")
    block = (groups != groups.shift()).cumsum()
    later = (block != block.groupby(groups, dropna=False).transform("first")) & groups.notna()
    start = pos.groupby(groups, dropna=False).transform("first")
    repeats = {p: f"order {groups.iloc[p]} again: its lines were listed from line {lines[int(start.iloc[p])]}"
               for p in pos[later]}
    return conflicts, repeats


def _group_key(v: str) -> str | None:
    if parse.plain_key(v):
        return v
    try:
        return parse.key(v)
    except parse.BadValue:
        return parse.text(v)  # the order id's own column rejects it with the reason


def _rejects_path(cfg: Config, path: Path) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    name = path.name if len(path.name.encode()) <= 180 else path.name[:60] + "…"  # a file name has 255 bytes
    return cfg.root / "data" / "rejects" / f"{name}.{stamp}.csv"


def ingest_file(cfg: Config, con: ibis.BaseBackend, path: Path, *, preset: str | None = None,
                dry_run: bool = False, available: dict[str, Preset] | None = None,
                table: read.Table | None = None) -> FileReport:
    """Ingest one export; returns its accounting. Raises FileRefused for a file refused whole."""
    path = Path(path)
    available = available or presets.all_presets(cfg.root)
    table = table or read.read(path)
    p, header_idx, detected = choose_preset(table, available, preset)
    load = _Load(p, table.header_at(header_idx))
    _read_all(cfg, con, table, header_idx, load)
    if load.contradicted:  # an order's first lines were taken before a later chunk contradicted them
        load = _Load(p, load.header, spoiled=load.contradicted)
        _read_all(cfg, con, table, header_idx, load)
    report = FileReport(path, p.name, detected, load.read, load.read - len(load.rejected), len(load.rejected),
                        dry_run=dry_run, reasons=[(line, why) for line, why, _ in load.rejected])
    if dry_run:
        return report
    out = {t: pa.concat_tables(load.accepted.get(t) or [schema.table(t).schema.to_pyarrow().empty_table()])
           for t in sorted(p.tables, key=_load_rank)}
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    now = _dt.datetime.now()  # to the microsecond: two loads of one file in a second are two log lines
    log = pd.DataFrame([{"ingested_at": now, "file_hash": digest.hexdigest(), "table_name": t, "file": str(path),
                         "preset": p.name, "rows_read": report.rows_read, "rows_accepted": report.rows_accepted,
                         "rows_rejected": report.rows_rejected, "rows_written": rows.num_rows}
                        for t, rows in out.items()])
    carried = {t: _carried(p, t, _columns(load.header)) for t in out}
    report.written = {t: v for t, v in warehouse.upsert_many(con, {**out, "ingest_log": log}, carried).items()
                      if t != "ingest_log"}
    if load.rejected:  # only for a load that was written: a refused file leaves no rejects behind
        report.rejects = _write_rejects(cfg, path, _columns(load.header), load.rejected)
    return report


@dataclass
class _Load:
    """One file's load as it goes chunk by chunk: what is kept, and what later chunks must know."""

    preset: Preset
    header: list[str]
    spoiled: dict[str, int] = field(default_factory=dict)  # orders to reject whole → the line that said so
    read: int = 0
    rejected: list[tuple[int, str, list]] = field(default_factory=list)  # (line, reason, cells)
    accepted: dict[str, list[pa.Table]] = field(default_factory=dict)  # per table, compact
    keys: dict[str, dict[tuple, int]] = field(default_factory=dict)  # per table: key → line first seen
    orders: dict[str, tuple[int, object]] = field(default_factory=dict)  # multi-line: first line, values
    known: set = field(default_factory=set)  # orders this file has loaded so far
    contradicted: dict[str, int] = field(default_factory=dict)  # orders a later chunk contradicts


def _read_all(cfg: Config, con: ibis.BaseBackend, table: read.Table, header_idx: int, load: _Load) -> None:
    from storeops.progress import progress

    p = load.preset
    at = load.header.index(p.group_by) if p.group_by in load.header else None
    for rows in progress(_chunks(table.rows(header_idx + 1), at), table.path.name, unit="chunk"):
        raw, lines, reasons = _frame(table, load.header, rows, p.headers)
        _chunk(cfg, con, raw, lines, reasons, load)


def _load_rank(table: str) -> int:
    return LOAD_ORDER.index(table) if table in LOAD_ORDER else len(LOAD_ORDER)


def _chunks(rows, at: int | None):
    """Rows in lists of about CHUNK_ROWS; for a multi-line layout (an order's lines in column ``at``)
    a chunk ends only where an order does."""
    chunk: list[tuple[int, list]] = []
    last = None  # the order of the last line that names one: blank or short lines never end a chunk
    for line, cells in rows:
        key = _cell_key(cells, at) if at is not None else None
        if len(chunk) >= CHUNK_ROWS and (at is None or (key is not None and key != last)):
            yield chunk
            chunk = []
        chunk.append((line, cells))
        last = key if key is not None else last
    if chunk:
        yield chunk


def _cell_key(cells: list, at: int) -> str | None:
    return _group_key(str(cells[at])) if at < len(cells) else None


def _chunk(cfg: Config, con: ibis.BaseBackend, raw: pd.DataFrame, lines: list[int], reasons: dict[int, str],
           load: _Load) -> None:
    """Map, check and keep one chunk's rows; ``reasons`` holds what reading found wrong already."""
    p, n = load.preset, len(raw)
    load.read += n
    groups = raw[p.group_by].map(_group_key) if p.group_by else None
    conflicts, repeats = {}, {}
    if groups is not None:  # order-level columns only on an order's first line: carry them down
        order_cols = list(dict.fromkeys(h for s in p.tables.get("orders", []) for h in s.headers
                                        if h in raw and h != p.group_by))
        conflicts, repeats = _repeats(raw, groups, lines, order_cols) if order_cols else ({}, {})
        raw = raw.copy()
        first = ~groups.duplicated()
        for h in order_cols:
            raw[h] = raw[h].where(first | (raw[h].astype(str).str.strip() != ""), None)
            raw[h] = raw[h].groupby(groups).transform("first").fillna("")
        if order_cols:
            _earlier_chunks(raw, groups, lines, order_cols, load, conflicts, repeats)
        for pos, why in conflicts.items():
            reasons.setdefault(pos, why)

    frames: dict[str, pd.DataFrame] = {}
    for tname in sorted(p.tables, key=_load_rank):
        df, bad = _map_table(p, tname, raw, cfg.timezone, groups)
        for pos, why in bad.items():
            reasons.setdefault(pos, why)
        for pos, why in validate.row_reasons(tname, df).items():
            reasons.setdefault(pos, why)
        if groups is None or tname != "orders":  # an order repeats on each of its lines: that is no duplicate
            for pos, why in validate.duplicate_keys(tname, df, lines, load.keys.setdefault(tname, {})).items():
                reasons.setdefault(pos, why)
        frames[tname] = df

    if groups is not None:  # a bad line spoils its whole order; the order is its first line
        bad_line = {g: lines.index(load.spoiled[g]) if load.spoiled[g] in lines else None
                    for g in set(groups) & set(load.spoiled)}
        of = groups.tolist()
        for pos in sorted(reasons):
            if pos not in repeats or pos in conflicts:  # a faithful copy's faults are its own
                bad_line.setdefault(of[pos], pos)
        for pos, g in enumerate(of):
            if pos not in reasons and g in bad_line:
                line = load.spoiled[g] if bad_line[g] is None else lines[bad_line[g]]
                reasons[pos] = f"order {g} has a rejected line (line {line})"
        reasons.update({pos: conflicts.get(pos, why) for pos, why in repeats.items()})
        if "orders" in frames:
            first = ~groups.duplicated()
            frames["orders"] = frames["orders"][first.to_numpy() & ~raw.index.isin(list(reasons))]

    if "order_items" in frames:  # lines must belong to an order we know
        items = frames["order_items"]
        known = load.known | (set(frames["orders"].order_id) if "orders" in frames else set())
        ids = [i for i in set(items.order_id.dropna()) if i not in known]
        if ids:
            o = con.table("orders")
            known |= set(o.filter(o.order_id.isin(ids)).order_id.execute())
        for pos, oid in enumerate(items.order_id):
            if oid is not None and oid not in known:
                reasons.setdefault(pos, f"order {oid} is not in the warehouse (ingest the orders first)")

    accepted = [pos for pos in range(n) if pos not in reasons]
    for tname, df in frames.items():
        rows = df if (groups is not None and tname == "orders") else df.iloc[accepted]
        load.accepted.setdefault(tname, []).append(warehouse.to_arrow(tname, rows))
        if tname == "orders":
            load.known |= set(rows.order_id)
    load.rejected += [(lines[pos], reasons[pos], raw.iloc[pos].tolist()) for pos in sorted(reasons)]


def _earlier_chunks(raw: pd.DataFrame, groups: pd.Series, lines: list[int], order_cols: list[str], load: _Load,
                    conflicts: dict[int, str], repeats: dict[int, str]) -> None:
    """An order this chunk lists again after an earlier chunk did: a repeat, or a conflict when its
    values differ (and then the earlier lines must go too: ``load.contradicted``)."""
    firsts = (~groups.duplicated()).to_numpy().nonzero()[0]
    earlier = set()
    for pos, g, values in zip(firsts, groups.iloc[firsts], raw[order_cols].iloc[firsts].itertuples(index=False,
                                                                                                   name=None)):
        if g is None:
            continue  # no order id: its own column rejects the line
        # a hash is enough to notice a contradiction; the second reading keeps the values to name it
        sig = values if g in load.spoiled else hash(values)
        if g not in load.orders:
            load.orders[g] = (lines[pos], sig)
            continue
        line, before = load.orders[g]
        earlier.add(g)
        for i in (i for i in range(len(groups)) if groups.iat[i] == g):
            repeats.setdefault(i, f"order {g} again: its lines were listed from line {line}")
        if before == sig or all(v == "" for v in values):  # a copy of item lines only says nothing new
            continue
        if g not in load.spoiled:
            load.contradicted[g] = lines[pos]
            conflicts.setdefault(pos, f"order {g} contradicts line {line}")  # named on the second reading
            continue
        diff = next(i for i, (a, b) in enumerate(zip(before, values)) if a != b)
        conflicts.setdefault(pos, f"order {g} is given {order_cols[diff]} {before[diff]!r} on line {line} and "
                                  f"{values[diff]!r} here: which is right cannot be told, so the order is not "
                                  f"loaded")
    for pos in conflicts:  # a copy contradicting itself further down: its first listing cannot stand either
        g = groups.iat[pos]
        if g in earlier and g not in load.spoiled:
            load.contradicted.setdefault(g, lines[pos])


def _write_rejects(cfg: Config, path: Path, columns: list[str], rejected: list[tuple[int, str, list]]) -> Path:
    out = _rejects_path(cfg, path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as f:  # the BOM lets Excel open Chinese text
        w = csv.writer(f)
        w.writerow(["line", "reason", *map(_inert, columns)])
        for line, why, cells in sorted(rejected, key=lambda r: r[0]):
            w.writerow([line, _inert(why), *map(_inert, cells)])
    return out


def _inert(v: object) -> str:
    """A cell Excel will show, not run (OWASP CSV injection): text starting with = + - @, a tab or a
    CR gets a leading apostrophe; plain numbers such as -5.00 stay as they are."""
    s = "" if v is None else read.UNDECODED.sub("\ufffd", str(v))  # bytes that did not decode: shown as �
    if s[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"[-+]?\d+(\.\d+)?", s):
        return "'" + s
    return s


def ingest_paths(cfg: Config, paths: list[Path], *, preset: str | None = None, dry_run: bool = False
                 ) -> tuple[list[FileReport], list[FileRefused]]:
    """Ingest many files: orders before their lines; a refused file does not stop the others."""
    from storeops.progress import progress

    available = presets.all_presets(cfg.root)
    parse.configure(cfg.raw.get("ingest") or {})
    con = _open(cfg, dry_run)
    done, refused = [], []
    try:
        staged = []
        for path in paths:
            try:
                t = read.read(Path(path))
                p, _, _ = choose_preset(t, available, preset)
                rank = min(map(_load_rank, p.tables))
                staged.append((rank, len(staged), Path(path), t))
            except FileRefused as e:
                refused.append(e)
            except Exception as e:  # noqa: BLE001 — one file's surprise must not stop or hide the others
                refused.append(_unexpected(path, e))
        for _, _, path, t in progress(sorted(staged, key=lambda x: x[:2]), "ingest", unit="file"):
            try:
                done.append(ingest_file(cfg, con, path, preset=preset, dry_run=dry_run, available=available,
                                        table=t))
            except FileRefused as e:
                refused.append(e)
            except warehouse.WarehouseError as e:  # rows that parsed but would not load: refuse the file
                refused.append(FileRefused(path, f"not loaded, warehouse unchanged: {e}"))
            except Exception as e:  # noqa: BLE001 — each file loads in its own transaction: nothing half-written
                refused.append(_unexpected(path, e))
        if not dry_run:  # reports read a period by skipping row groups: keep the loaded tables in time order
            t0 = time.monotonic()
            rewritten = warehouse.keep_in_order(con, dict.fromkeys(t for r in done for t in r.written))
            if rewritten:
                print(f"ingest: rewrote {', '.join(rewritten)} in time order ({time.monotonic() - t0:.1f}s)",
                      file=sys.stderr, flush=True)
    finally:
        con.disconnect()
    return done, refused


def _unexpected(path: Path, e: Exception) -> FileRefused:
    first = str(e).splitlines()[0] if str(e) else ""
    return FileRefused(path, f"not loaded, warehouse unchanged: {type(e).__name__}: {first[:200]} "
                             f"(please report this file's shape)")


def _open(cfg: Config, dry_run: bool) -> ibis.BaseBackend:
    """The warehouse; a dry run never creates or changes it (without one, it checks against an empty one)."""
    if not dry_run:
        return warehouse.connect(cfg, create=True)
    try:
        return warehouse.connect(cfg, read_only=True)
    except warehouse.WarehouseError:
        con = ibis.duckdb.connect()
        warehouse.create_tables(con)
        return con
