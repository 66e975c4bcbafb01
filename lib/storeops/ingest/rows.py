"""Ingest row by row: every row of a chunk checked, and each rejected row given its reason.

The way for chunks with something wrong (and for workbooks and files the column reader
declines, storeops.ingest.read.batches): a ragged or damaged row, a cell that holds no value of
its column, a required value missing, a key given twice, an order whose lines contradict each
other or that is listed again. Its cells are mapped by the same :func:`columns.map_table` as
a sound chunk's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from storeops.ingest import columns, parse, read, validate

if TYPE_CHECKING:
    from storeops.ingest.loading import Load

#: rows checked at a time (an order's lines are never split): memory stays bounded however long
#: the export, since only the accepted rows are kept, as compact Arrow columns
CHUNK_ROWS = 5_000


def chunks(rows, at: int | None):
    """Rows in lists of about CHUNK_ROWS; for a multi-line layout (an order's lines in column ``at``)
    a chunk ends only where an order does."""
    chunk: list[tuple[int, list]] = []
    last = None  # the order of the last line that names one: blank or short lines never end a chunk
    for line, cells in rows:
        key = parse.group_key(str(cells[at])) if at is not None and at < len(cells) else None
        if len(chunk) >= CHUNK_ROWS and (at is None or (key is not None and key != last)):
            yield chunk
            chunk = []
        chunk.append((line, cells))
        last = key if key is not None else last
    if chunk:
        yield chunk


def frame(table: read.Table, header: list[str], rows: list[tuple[int, list]], used: list[str]
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
        cells_of.append(list(cells))
        lines.append(line)
    cols = read.column_names(header)
    df = pd.DataFrame(cells_of, columns=cols, dtype=object)
    for h in dict.fromkeys(h for h in header if h in used and header.count(h) > 1):
        copies = [c for c, name in zip(cols, header) if name == h]
        if any(not df[c].equals(df[h]) for c in copies[1:]):
            raise read.FileRefused(table.path, f"the column {h!r} appears {len(copies)} times with different "
                                               f"values: keep the one that is meant and ingest again")
    return df, lines, bad


def _listings(raw: pd.DataFrame, groups: list, lines: list[int], order_cols: list[str], state: Load
              ) -> tuple[dict[int, str], dict[int, str], set]:
    """(conflicts, repeats, orders listed before this chunk that conflict) of a multi-line layout,
    where an order's lines come together and its values on the first, judged line by line in the
    file's order (so however the file is cut into chunks).

    A conflict is a line giving an order-level column another value than the first line of its
    order that gave one: nobody can tell which is right, so the order is rejected whole, naming
    both lines. A repeat is an order listed again further down (the same export pasted twice): the
    later copy is rejected so no line item counts twice, and the first stands. ``state.orders``
    carries each order's first line and first values from chunk to chunk."""
    conflicts: dict[int, str] = {}
    repeats: dict[int, str] = {}
    earlier = set()
    given = [raw[h].astype(str).str.strip().tolist() for h in order_cols]
    new = set()  # orders first listed in this chunk (the others in an earlier one)
    previous = None
    for pos, g in enumerate(groups):
        if g is None:
            previous = None
            continue
        if g not in state.orders:
            state.orders[g] = (lines[pos], {})
            new.add(g)
        elif g != previous:  # a block of lines after another order's: the order listed again
            state.relisted.add(g)
        first_line, values = state.orders[g]
        if g in state.relisted:
            repeats[pos] = f"order {g} again: its lines were listed from line {first_line}"
        for h, column in zip(order_cols, given):
            v = column[pos]
            if not v:
                continue
            if h not in values:
                values[h] = (v, lines[pos])
            elif v != values[h][0] and pos not in conflicts:
                conflicts[pos] = (f"order {g} is given {h} {values[h][0]!r} on line {values[h][1]} and {v!r} here: "
                                  f"which is right cannot be told, so the order is not loaded")
                if g not in new:
                    earlier.add(g)
        previous = g
    return conflicts, repeats, earlier


def load(tz: str, con, raw: pd.DataFrame, lines: list[int], reasons: dict[int, str], state: Load) -> None:
    """Map, check and keep one chunk's rows; ``reasons`` holds what reading found wrong already."""
    p, n = state.preset, len(raw)
    state.read += n
    as_read = raw  # a rejected row goes to the rejects file as the file has it
    groups = raw[p.group_by].map(parse.group_key) if p.group_by else None
    of = [g if isinstance(g, str) else None for g in groups.tolist()] if groups is not None else []  # NaN: no order
    conflicts, repeats, earlier = {}, {}, set()
    line_no = None
    if groups is not None:  # order-level columns only on an order's first line: carry them down
        order_cols = p.order_columns(list(raw.columns))
        if order_cols:
            conflicts, repeats, earlier = _listings(raw, of, lines, order_cols, state)
        raw = raw.copy()
        first = ~groups.duplicated()
        for h in order_cols:
            raw[h] = raw[h].where(first | (raw[h].astype(str).str.strip() != ""), None)
            raw[h] = raw[h].groupby(groups).transform("first").fillna("")
        for pos, why in conflicts.items():
            reasons.setdefault(pos, why)
        line_no = pa.array((groups.groupby(groups).cumcount() + 1).tolist(), pa.float64(), from_pandas=True)

    cells = pa.table({c: _text(raw[c].tolist()) for c in raw.columns})
    typed: dict[str, pa.Table] = {}
    frames: dict[str, pd.DataFrame] = {}
    for tname in p.loading_order:
        rows, bad = columns.map_table(p, tname, cells, tz, line_no, state.long_ids, state.rounded,
                                      floated=state.floated)
        if tname == "orders" and p.from_lines and groups is not None:
            rows, bad = _summed(p, rows, cells, of, bad)
        df = pd.DataFrame({c: rows[c].to_pylist() for c in rows.column_names}, dtype=object)
        for pos, why in bad.items():
            reasons.setdefault(pos, why)
        for pos, why in validate.row_reasons(tname, df, rows).items():
            reasons.setdefault(pos, why)
        if groups is None or tname != "orders":  # an order repeats on each of its lines: that is no duplicate
            for pos, why in validate.duplicate_keys(tname, df, lines, state.keys.setdefault(tname, {})).items():
                reasons.setdefault(pos, why)
        typed[tname], frames[tname] = rows, df

    if groups is not None:  # a bad line spoils its whole order, named by its first bad line; the order is its first line
        bad_line: dict[str, int] = {}
        for pos in sorted(reasons):
            if of[pos] is not None and (pos not in repeats or pos in conflicts):  # a faithful copy's faults are its own
                bad_line.setdefault(of[pos], lines[pos])
        for g, line in bad_line.items():  # remembered for an order whose later copy contradicts it
            state.first_bad[g] = min(line, state.first_bad.get(g, line))
        for g in earlier - set(state.spoiled):  # its lines in earlier chunks are taken: read the file again
            state.contradicted[g] = state.first_bad[g]
        for g in set(of) & set(state.spoiled):
            bad_line[g] = min(state.spoiled[g], bad_line.get(g, state.spoiled[g]))
        for pos, g in enumerate(of):
            if pos not in reasons and g in bad_line:
                reasons[pos] = f"order {g} has a rejected line (line {bad_line[g]})"
        reasons.update({pos: conflicts.get(pos, why) for pos, why in repeats.items()})

    if "order_items" in frames:  # lines must belong to an order we know
        items = frames["order_items"]
        known = state.known | (set(frames["orders"].order_id) if "orders" in frames else set())
        ids = [i for i in set(items.order_id.dropna()) if i not in known]
        if ids:
            known |= columns.stored_orders(con, pa.array(ids, pa.string()))
        for pos, oid in enumerate(items.order_id):
            if oid is not None and oid not in known:
                reasons.setdefault(pos, f"order {oid} is not in {state.orders_in}")

    accepted = [pos for pos in range(n) if pos not in reasons]
    for tname, rows in typed.items():
        if groups is not None and tname == "orders":
            keep = (~groups.duplicated()).to_numpy() & ~raw.index.isin(list(reasons))
            rows = rows.filter(pa.array(keep))
        else:
            rows = rows.take(pa.array(accepted, pa.int64()))
        state.accepted.setdefault(tname, []).append(rows)
        if tname == "orders":
            state.known |= set(rows["order_id"].to_pylist())
    state.rejected += [(lines[pos], reasons[pos], as_read.iloc[pos].tolist()) for pos in sorted(reasons)]


def _summed(p, rows: pa.Table, cells: pa.Table, of: list, bad: dict[int, str]) -> tuple[pa.Table, dict[int, str]]:
    """Orders built from their lines: on every line of an order its totals (columns.order_sums), so
    that what is checked of an order is its total, on each of its lines."""
    import numpy as np

    with_order = [pos for pos, g in enumerate(of) if g is not None]
    codes, ids = pd.factorize(pd.Series([of[pos] for pos in with_order], dtype=object))
    sums, b = columns.order_sums(p, cells.take(pa.array(with_order, pa.int64())), codes, len(ids))
    bad = dict(bad)
    for pos, why in b.items():
        bad.setdefault(with_order[pos], why)
    at = np.full(len(of), -1)
    at[with_order] = codes
    index = pa.array(at, mask=at < 0)
    for target, totals in sums.items():
        rows = rows.set_column(rows.column_names.index(target), target, totals.take(index))
    return rows, bad


def _text(cells: list[str]) -> pa.Array:
    """Cells as Arrow text; bytes that did not decode (their row is rejected already) as \ufffd."""
    try:
        return pa.array(cells, pa.string())
    except UnicodeEncodeError:
        return pa.array([read.UNDECODED.sub("\ufffd", c) for c in cells], pa.string())
