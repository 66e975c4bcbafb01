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
from dataclasses import dataclass, field, replace
from pathlib import Path

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from storeops import schema, warehouse
from storeops.errors import Damaged
from storeops.config import Config
from storeops.ingest import columns, parse, presets, read
from storeops.ingest.presets import Preset
from storeops.ingest.read import FileRefused

__all__ = ["FileRefused", "FileReport", "ingest_file", "ingest_paths", "choose_preset"]



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
    rows_skipped: int = 0  # left out by the preset's skip rules: rows_read = accepted + rejected + skipped
    dry_run: bool = False
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) of each rejected row
    #: how the paid column was read where it is net of refunds (columns.net_of_refunds)
    paid_reading: str | None = None
    #: id columns written as floats (17850.0) and read as whole ids (columns.written_as_floats)
    floated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        how = "detected" if self.detected else "given"
        out = (f"{self.path.name} [{self.preset}, {how}]: read {self.rows_read}, accepted {self.rows_accepted}, "
               f"rejected {self.rows_rejected}")
        if self.rows_skipped:
            out += f", skipped {self.rows_skipped} (the preset's skip rules)"
        if self.paid_reading:
            out += f"; {self.paid_reading}"
        if self.floated:
            out += f"; ids written as numbers (17850.0) read as whole ids (17850) in {', '.join(self.floated)}"
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


def _carried(p: Preset, table: str, columns: list[str]) -> list[str]:
    """The canonical columns this file really carries (keys always): those an upsert may change."""
    out = list(schema.table(table).key)
    for spec in p.tables[table]:
        if spec.line_number or (spec.headers and all(h in columns for h in spec.headers)):
            out.append(spec.target)
    return list(dict.fromkeys(out))


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
    reading = None  # a preset that says how its paid column reads is taken at its word, silently
    loads = []
    for part in p.readings():  # one reading, or one per route (a credit note's rows to refunds)
        load = _read(cfg, con, table, header_idx, part)
        found = columns.refunded_from_nothing(pa.concat_tables(load.accepted["orders"])) \
            if part.paid_net is None and load.accepted.get("orders") else 0
        if found:  # orders refunded whole read 0 paid: read the file again, adding their refunds back
            p, part = replace(p, paid_net="fully_refunded"), replace(part, paid_net="fully_refunded")
            load = _read(cfg, con, table, header_idx, part)
            reading = PAID_NET_FOUND.format(n=found)
        loads.append(load)
    rows_in = loads[0].read + loads[0].skipped  # every reading sees every row, and takes or skips it
    taken = sum(x.read for x in loads)
    skipped = sum(x.skipped for x in loads) - (len(loads) - 1) * rows_in  # what every reading skipped
    rejected = sorted((r for x in loads for r in x.rejected), key=lambda r: r[0])
    if skipped and not taken:
        raise FileRefused(path, f"the skip rules of preset {p.name} ({'; '.join(r.describe() for r in p.skip)}) "
                                f"skip all {skipped} rows: nothing would load; check the rules")
    floated = sorted({s.column for x in loads for t, c in x.floated for s in p.tables[t] if s.target == c})
    report = FileReport(path, p.name, detected, rows_in, taken - len(rejected), len(rejected), dry_run=dry_run,
                        reasons=[(line, why) for line, why, _ in rejected], paid_reading=reading, floated=floated,
                        rows_skipped=skipped)
    if dry_run:
        return report
    accepted = {t: parts for x in loads for t, parts in x.accepted.items()}
    out = {t: pa.concat_tables(accepted.get(t) or [schema.table(t).schema.to_pyarrow().empty_table()])
           for t in p.loading_order}
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    now = _dt.datetime.now()  # to the microsecond: two loads of one file in a second are two log lines
    log = pa.Table.from_pylist([
        {"ingested_at": now, "file_hash": digest.hexdigest(), "table_name": t, "file": str(path), "preset": p.name,
         "rows_read": report.rows_read, "rows_accepted": report.rows_accepted, "rows_rejected": report.rows_rejected,
         "rows_skipped": report.rows_skipped, "rows_written": rows.num_rows} for t, rows in out.items()],
        schema=schema.INGEST_LOG.schema.to_pyarrow())
    names = read.column_names(loads[0].header)  # every reading reads the same header
    carried = {t: _carried(p, t, names) for t in out}
    report.written = {t: v for t, v in warehouse.upsert_many(con, {**out, "ingest_log": log}, carried).items()
                      if t != "ingest_log"}
    if rejected:  # only for a load that was written: a refused file leaves no rejects behind
        report.rejects = _write_rejects(cfg, path, names, rejected)
    return report


#: the summary line's word on a paid column found net of refunds (the preset says nothing: `paid_is_net_of_refunds`
#: settles it)
PAID_NET_FOUND = ("{n} orders show 0 paid and a refund (refunded whole, paid read net of it): stored paid + "
                  "refund for them; say paid_is_net_of_refunds (fully_refunded, or true if every paid is net) in "
                  "the preset")


def _read(cfg: Config, con: ibis.BaseBackend, table: read.Table, header_idx: int, p: Preset) -> _Load:
    """Read the file with preset ``p``, again as often as a reading finds it must (``_Load.again``)."""
    load = _Load(p, table.header_at(header_idx))
    while load:  # a reading may find what the file's earlier rows need another reading for
        done = load
        _read_all(cfg, con, table, header_idx, load)
        load = load.again()
    return done


@dataclass
class _Load:
    """One reading of a file, chunk by chunk: what is kept, and what later chunks must know."""

    preset: Preset
    header: list[str]
    spoiled: dict[str, int] = field(default_factory=dict)  # orders to reject whole → the line that said so
    rounded: frozenset = frozenset()  # (table, column) of ids Excel rounded (columns.excel_rounded)
    floated: frozenset = frozenset()  # (table, column) of ids written as floats (columns.written_as_floats)
    by_rows: bool = False  # every chunk row by row (the column reader declined, or chunks crossed)
    read: int = 0
    skipped: int = 0  # rows the preset's skip rules left out: in no table, counted apart
    rejected: list[tuple[int, str, list]] = field(default_factory=list)  # (line, reason, cells)
    accepted: dict[str, list[pa.Table]] = field(default_factory=dict)  # per table, compact
    keys: dict[str, dict[tuple, int]] = field(default_factory=dict)  # per table: key → line first seen
    #: multi-line: order → (its first line, {order-level column: (first value given, its line)})
    orders: dict[str, tuple[int, dict[str, tuple[str, int]]]] = field(default_factory=dict)
    relisted: set = field(default_factory=set)  # orders listed again after another order's lines
    first_bad: dict[str, int] = field(default_factory=dict)  # order → its first rejected line so far
    known: set = field(default_factory=set)  # orders this file has loaded so far
    contradicted: dict[str, int] = field(default_factory=dict)  # orders a later chunk contradicts
    long_ids: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # columns.map_table counts
    # what column-wise chunks loaded, kept as Arrow until a row-by-row chunk needs it (settle)
    unsettled_keys: dict[str, list[pa.Table]] = field(default_factory=dict)  # per table: key columns, _line
    unsettled_known: list[pa.Array] = field(default_factory=list)
    #: (each line's order, lines, where orders begin, {column: (where a value is first given, the values)})
    unsettled_orders: list[tuple[pa.Array, np.ndarray, np.ndarray, dict]] = field(default_factory=list)
    crossed: bool = False  # a key or an order in two column-wise chunks: read again row by row
    declined: bool = False  # the column reader declined the file part way: read it again row by row

    def settle(self) -> None:
        """What column-wise chunks loaded, as the row-by-row chunks keep it."""
        for table, parts in self.unsettled_keys.items():
            seen = self.keys.setdefault(table, {})
            for part in parts:
                cols = [c.to_pylist() for c in part.columns]
                for *k, line in zip(*cols):
                    self.crossed |= tuple(k) in seen
                    seen.setdefault(tuple(k), line)
        for ids in self.unsettled_known:
            self.known.update(ids.to_pylist())
        for groups, lines, starts, given in self.unsettled_orders:
            of = groups.to_pylist()
            for at in starts.tolist():
                self.crossed |= of[at] in self.orders
                self.orders.setdefault(of[at], (int(lines[at]), {}))
            for h, (where, values) in given.items():  # as rows._listings notes them
                for at, v in zip(where.tolist(), values.to_pylist()):
                    self.orders[of[at]][1].setdefault(h, (v, int(lines[at])))
        self.unsettled_keys, self.unsettled_known, self.unsettled_orders = {}, [], []

    def again(self) -> _Load | None:
        """The next reading of the file, if this one found that one is needed: orders contradicted
        further down to reject whole, ids Excel rounded to refuse, or chunks read column-wise that
        share a key (which the row-by-row reading names)."""
        if self.declined:  # what this reading found covers only part of the file
            return _Load(self.preset, self.header, spoiled=self.spoiled, rounded=self.rounded, floated=self.floated,
                         by_rows=True)
        for parts in self.unsettled_keys.values():
            self.crossed |= not warehouse.distinct(pa.concat_tables(parts).drop_columns("_line"))
        if self.unsettled_orders:
            groups = pa.chunked_array([g.take(pa.array(starts)) for g, _, starts, _ in self.unsettled_orders])
            self.crossed |= pc.count_distinct(groups).as_py() < len(groups)
        rounded = self.rounded | {c for c, counts in self.long_ids.items() if columns.excel_rounded(counts)}
        floated = self.floated | {c for c, counts in self.long_ids.items() if columns.written_as_floats(counts)}
        spoiled = {**self.contradicted, **self.spoiled}
        by_rows = self.by_rows or self.crossed
        if (spoiled, rounded, floated, by_rows) == (self.spoiled, self.rounded, self.floated, self.by_rows):
            return None
        return _Load(self.preset, self.header, spoiled=spoiled, rounded=frozenset(rounded),
                     floated=frozenset(floated), by_rows=by_rows)


def _read_all(cfg: Config, con: ibis.BaseBackend, table: read.Table, header_idx: int, load: _Load) -> None:
    """One reading: column-wise chunks where the column reader can, row by row where a chunk has
    something wrong; all row by row where it cannot (``load.by_rows`` is then set for the next)."""
    from storeops.progress import progress

    p, names = load.preset, read.column_names(load.header)
    at = load.header.index(p.group_by) if p.group_by in load.header else None
    used_twice = any(load.header.count(h) > 1 for h in p.headers if h in load.header)
    if not load.by_rows and not used_twice:
        try:
            blocks = read.batches(table, header_idx)
            if p.documents and at is not None:
                blocks = _by_document(blocks, at)
            for cells, lines in progress(_whole_orders(blocks, names, p.group_by),
                                         table.path.name, unit="block"):
                cells, lines, filled = _skipping(cells, lines, _filled(cells), p, load)
                if not columns.load(cfg.timezone, con, cells.filter(filled), lines[parse.flags(filled)], load):
                    load.settle()
                    rows = zip(lines.tolist(), map(list, zip(*(c.to_pylist() for c in cells.columns))))
                    _by_rows(cfg, con, table, rows, at, load)
            return
        except read.NotColumnar:
            load.declined = True
            return
    rows = table.rows(header_idx + 1)
    if p.documents and at is not None:
        rows = _rows_by_document(rows, at)
    _by_rows(cfg, con, table, progress(rows, table.path.name, unit="row"), at, load)


def _by_document(blocks, at: int, size: int = 1 << 16):
    """Orders built from lines: the file's rows with each document's lines together, in the order
    the documents first appear (a stable sort: a document's lines keep theirs), each row with its
    own line number. An invoice interrupted by another's lines, or by its own credit note's, is
    one order, not an order listed twice."""
    parts = list(blocks)
    if not parts:
        return
    cells = pa.concat_tables([c for c, _ in parts])
    lines = np.concatenate([n for _, n in parts])
    keys, _ = parse.column(cells.column(at).combine_chunks(), parse.group_key, pa.string())
    rank = pc.dictionary_encode(keys).indices  # a dictionary lists values in the order they first appear
    order = pc.sort_indices(pa.table({"r": rank}), sort_keys=[("r", "ascending")], null_placement="at_end")
    cells, lines = cells.take(order), lines[order.to_numpy()]
    for start in range(0, cells.num_rows, size):
        yield cells.slice(start, size), lines[start:start + size]


def _rows_by_document(rows, at: int):
    """As :func:`_by_document`, for rows read one by one."""
    listed: dict[str | None, list] = {}
    for line, cells in rows:
        try:
            k = parse.group_key(str(cells[at])) if at < len(cells) else None
        except parse.BadValue:
            k = None
        listed.setdefault(k, []).append((line, cells))
    for k, part in listed.items():
        if k is not None:
            yield from part
    yield from listed.get(None, [])


def _by_rows(cfg: Config, con: ibis.BaseBackend, table: read.Table, rows, at: int | None, load: _Load) -> None:
    """(line, cells) ``rows`` checked row by row, in chunks."""
    from storeops.ingest import rows as rows_  # pandas: only where rows are read one by one

    if load.preset.skip:
        rules = [(load.header.index(r.column), r) for r in load.preset.skip]
        rows = _skipping_rows(rows, rules, load)
    for part in rows_.chunks(rows, at):
        raw, lines, reasons = rows_.frame(table, load.header, part, load.preset.headers)
        rows_.load(cfg.timezone, con, raw, lines, reasons, load)


def _skipping(cells: pa.Table, lines: np.ndarray, filled: pa.Array, p: Preset, load: _Load
              ) -> tuple[pa.Table, np.ndarray, pa.Array]:
    """A block (and its ``filled`` rows, :func:`_filled`) without the rows the preset skips on
    purpose, counted in ``load.skipped``; a blank line is no row, never skipped or counted."""
    if not p.skip or not cells.num_rows:
        return cells, lines, filled
    skip = None
    for rule in p.skip:
        hit = rule.hits(cells[rule.column].combine_chunks())
        skip = hit if skip is None else pc.or_(skip, hit)
    skip = pc.and_(skip, filled)
    n = pc.sum(skip).as_py() or 0
    if not n:
        return cells, lines, filled
    load.skipped += n
    keep = pc.invert(skip)
    return cells.filter(keep), lines[parse.flags(keep)], filled.filter(keep)


def _skipping_rows(rows, rules, load: _Load):
    for line, cells in rows:
        blank = all(c is None or not str(c).strip() for c in cells)  # no row: frame() leaves it out
        if not blank and any(at < len(cells) and rule.hit(cells[at]) for at, rule in rules):
            load.skipped += 1
            continue
        yield line, cells


def _filled(cells: pa.Table) -> pa.Array:
    """The rows that are not blank (a blank line is not a row): some cell holds more than spaces."""
    spaced = pa.array(["", *parse.SPACES])
    blank = f"^[{parse.WHITESPACE}]*$"
    candidates = np.arange(cells.num_rows)
    for c in cells.columns:  # rows whose every cell so far is empty or starts with a space: few, if any
        if not len(candidates):
            break
        first = pc.utf8_slice_codeunits(c.take(pa.array(candidates)), 0, 1)
        candidates = candidates[parse.flags(pc.is_in(first, value_set=spaced))]
    for c in cells.columns:
        if not len(candidates):
            break
        candidates = candidates[parse.flags(pc.match_substring_regex(c.take(pa.array(candidates)), blank))]
    filled = np.ones(cells.num_rows, dtype=bool)
    filled[candidates] = False
    return pa.array(filled)


def _whole_orders(batches, names: list[str], group_by: str | None):
    """The column reader's blocks as chunks that never split an order's lines (multi-line layouts),
    with the export's column names: a block's last order goes on with the next block, if any."""
    held = None
    for cells, lines in batches:
        cells = cells.rename_columns(names)
        if held is not None:
            cut = _last_order(held[0], group_by) if group_by else held[0].num_rows
            if cut:
                yield held[0].slice(0, cut), held[1][:cut]
            cells, lines = pa.concat_tables([held[0].slice(cut), cells]), np.concatenate([held[1][cut:], lines])
        held = (cells, lines)
    if held is not None and held[0].num_rows:
        yield held


def _last_order(cells: pa.Table, group_by: str) -> int:
    """Where the last order of ``cells`` begins (lines naming no order go with the order before)."""
    keys, _ = parse.column(cells[group_by].combine_chunks(), parse.group_key, pa.string())
    named = np.flatnonzero(parse.flags(keys.is_valid()))
    named_keys = keys.take(pa.array(named))
    new = np.flatnonzero(parse.flags(pc.not_equal(named_keys[1:], named_keys[:-1]))) + 1
    return int(named[new[-1]]) if len(new) else 0


def _write_rejects(cfg: Config, path: Path, names: list[str], rejected: list[tuple[int, str, list]]) -> Path:
    out = _rejects_path(cfg, path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as f:  # the BOM lets Excel open Chinese text
        w = csv.writer(f)
        w.writerow(["line", "reason", *map(_inert, names)])
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
                rank = min(map(presets.load_rank, p.tables))
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
                if warehouse.is_damage(e):  # rolled back; every file after it would meet the same block
                    raise warehouse.damage_found(cfg, e) from None
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
    except Damaged:
        raise
    except warehouse.WarehouseError:
        con = ibis.duckdb.connect()
        warehouse.create_tables(con)
        return con
