"""Small files of one preset and one header read as one: a year of daily exports in one `storeops
ingest FOLDER` pays for one parse of its columns, not 300.

Reading a file costs a few dozen Arrow calls a column whatever its rows; a daily export of a few
hundred rows spends most of its time on them. Files that read cleanly as one (every row sound, no
key in two of them, nothing a file would decide on its own differently) give each file exactly what
reading it alone gives: its rows, its accounting. Anything else — a rejected row, a key repeated
from one file to the next (the later file updates it), ids Excel rounded in one file, a line whose
order is in another file (not yet written when the line's file is read alone), a reading that must
be done again — and the files are read one by one, as always.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from storeops.ingest import columns, loading, read
from storeops.ingest.presets import Preset

if TYPE_CHECKING:
    import ibis

    from storeops.config import Config
    from storeops.ingest import Reading

#: a file larger than this (bytes) is read on its own: it has rows enough to pay for its calls
SMALL = 1 << 20
#: at most this many bytes of files are read as one
RUN_BYTES = 1 << 25

#: a staged file: (load rank, position, path, its table as read.read gave it, (preset, header row, detected))
Staged = tuple[int, int, Path, read.Table, tuple[Preset, int, bool]]


def run(staged: list[Staged], i: int) -> list[Staged]:
    """The files from ``staged[i]`` on that may be read with it as one: small, of its preset, with
    its header."""
    p, at, detected = staged[i][4]
    header, out, size = staged[i][3].header_at(at), [], 0
    for item in staged[i:]:
        q, j, found = item[4]
        bytes_ = item[2].stat().st_size
        if q is not p or found != detected or bytes_ > SMALL or size + bytes_ > RUN_BYTES \
                or item[3].header_at(j) != header:
            break
        out.append(item)
        size += bytes_
    return out


def read_as_one(cfg: Config, con: ibis.BaseBackend, files: list[Staged], dry_run: bool) -> dict[Path, Reading]:
    """Each file's reading, when ``files`` read cleanly as one; else {} (read them one by one)."""
    from storeops.ingest import FileReport, Reading, carried_columns

    p, at, _ = files[0][4]
    header = files[0][3].header_at(at)
    if len(files) < 2 or p.group_by or p.documents or p.skip or len(p.readings()) != 1 \
            or len(set(header)) < len(header):
        return {}  # orders over lines, skip rules, routes, a header named twice: each file its own way
    names = read.column_names(header)
    parts, lines, sizes = [], [], []
    try:
        for _, _, _, table, (_, j, _) in files:
            n = 0
            for cells, where in read.batches(table, j):
                parts.append(cells.rename_columns(names))
                lines.append(where)
                n += cells.num_rows
            sizes.append(n)
    except read.NotColumnar:
        return {}
    if not parts:
        return {}
    cells = pa.concat_tables(parts)
    if loading.not_blank(cells).true_count < cells.num_rows:  # a blank line is no row: counted per file
        return {}
    load = loading.Load(p, header)
    if not columns.load(cfg.timezone, con, cells, np.concatenate(lines), load) or load.again() is not None:
        return {}
    accepted = {t: pa.concat_tables(load.accepted[t]) for t in p.loading_order}
    if p.paid_net is None and "orders" in accepted and columns.refunded_from_nothing(accepted["orders"]):
        return {}  # a file whose paid column reads net of refunds: each file says so in its summary
    bounds = np.concatenate(([0], np.cumsum(sizes)))
    if _decided_alone(p, cells, accepted, load.long_ids, bounds) or _orders_elsewhere(con, accepted, bounds):
        return {}
    out = {}
    for (_, _, path, _, (_, _, detected)), start, n in zip(files, bounds, sizes):
        report = FileReport(path, p.name, detected, n, n, 0, dry_run=dry_run)
        mine = {t: rows.slice(int(start), n) for t, rows in accepted.items()}
        out[path] = Reading(report, mine, {t: carried_columns(p, t, names) for t in mine}, [], names)
    return out


def _decided_alone(p: Preset, cells: pa.Table, accepted: dict[str, pa.Table],
                   counts: dict[tuple[str, str], list[int]], bounds: np.ndarray) -> bool:
    """Whether one of the files, read alone, would find an id column Excel rounded or written as
    floats (columns.excel_rounded, written_as_floats): what the files together cannot tell."""
    for (table, column), total in counts.items():
        if total[1] < 2 and not total[3]:  # no file can have two rounded ids or one float
            continue
        spec = next(s for s in p.tables[table] if s.target == column)
        digits, zeros = columns.long_id_flags(accepted[table][column].combine_chunks())
        filled, floats = columns.float_id_flags(cells[spec.column]) if spec.column in cells.column_names \
            else (np.zeros(cells.num_rows, dtype=bool), None)
        floats = np.zeros(cells.num_rows, dtype=bool) if floats is None else floats
        per_file = [np.diff(np.concatenate(([0], np.cumsum(f)))[bounds]) for f in (digits, zeros, filled, floats)]
        for c in zip(*per_file):
            c = [int(x) for x in c]
            if columns.excel_rounded(c) or columns.written_as_floats(c):
                return True
    return False


def _orders_elsewhere(con: ibis.BaseBackend, accepted: dict[str, pa.Table], bounds: np.ndarray) -> bool:
    """Whether a file's lines name an order that neither it nor the warehouse holds: read alone, such a
    line is rejected (another file's orders are not written yet), read as one it would find them."""
    if "order_items" not in accepted:
        return False
    items = accepted["order_items"]["order_id"].to_pylist()
    orders = accepted["orders"]["order_id"].to_pylist() if "orders" in accepted else []
    missing: set[str] = set()
    for start, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        missing |= set(items[start:stop]) - set(orders[start:stop])
    return bool(missing) and len(columns.stored_orders(con, pa.array(sorted(missing), pa.string()))) < len(missing)
