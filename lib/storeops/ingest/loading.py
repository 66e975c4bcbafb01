"""One reading of one file: chunk by chunk, column-wise where the column reader can and row by row
where a chunk has something wrong, again as often as a reading finds it must (orders contradicted
further down, ids Excel rounded, chunks that share a key)."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from storeops import warehouse
from storeops.config import Config
from storeops.ingest import columns, parse, plain, read
from storeops.ingest.presets import Preset


def read_through(cfg: Config, con: ibis.BaseBackend, table: read.Table, header_idx: int, p: Preset,
          known: set | None = None, orders_in: str | None = None) -> Load:
    """Read the file with preset ``p``, again as often as a reading finds it must (``Load.again``)."""
    load = Load(p, table.header_at(header_idx), beside=frozenset(known or ()), orders_in=orders_in or Load.orders_in)
    while load:  # a reading may find what the file's earlier rows need another reading for
        done = load
        read_all(cfg, con, table, header_idx, load)
        load = load.again()
    return done


@dataclass
class Load:
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
    beside: frozenset = frozenset()  # orders loaded beside this file (a bundle's orders file)
    orders_in: str = "the warehouse (ingest the orders first)"  # where a line's order must be

    def __post_init__(self) -> None:
        self.known |= self.beside

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

    def again(self) -> Load | None:
        """The next reading of the file, if this one found that one is needed: orders contradicted
        further down to reject whole, ids Excel rounded to refuse, or chunks read column-wise that
        share a key (which the row-by-row reading names)."""
        if self.declined:  # what this reading found covers only part of the file
            return Load(self.preset, self.header, spoiled=self.spoiled, rounded=self.rounded, floated=self.floated,
                         by_rows=True, beside=self.beside, orders_in=self.orders_in)
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
        return Load(self.preset, self.header, spoiled=spoiled, rounded=frozenset(rounded),
                     floated=frozenset(floated), by_rows=by_rows, beside=self.beside, orders_in=self.orders_in)


def read_all(cfg: Config, con: ibis.BaseBackend, table: read.Table, header_idx: int, load: Load) -> None:
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
                cells, lines, filled = _skipping(cells, lines, not_blank(cells), p, load)
                if not columns.load(cfg.timezone, con, cells.filter(filled), lines[plain.flags(filled)], load):
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
    keys, _ = plain.column(cells.column(at).combine_chunks(), parse.group_key, pa.string())
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


def _by_rows(cfg: Config, con: ibis.BaseBackend, table: read.Table, rows, at: int | None, load: Load) -> None:
    """(line, cells) ``rows`` checked row by row, in chunks."""
    from storeops.ingest import rows as rows_  # pandas: only where rows are read one by one

    if load.preset.skip:
        rules = [(load.header.index(r.column), r) for r in load.preset.skip]
        rows = _skipping_rows(rows, rules, load)
    for part in rows_.chunks(rows, at):
        raw, lines, reasons = rows_.frame(table, load.header, part, load.preset.headers)
        rows_.load(cfg.timezone, con, raw, lines, reasons, load)


def _skipping(cells: pa.Table, lines: np.ndarray, filled: pa.Array, p: Preset, load: Load
              ) -> tuple[pa.Table, np.ndarray, pa.Array]:
    """A block (and its ``filled`` rows, :func:`not_blank`) without the rows the preset skips on
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
    return cells.filter(keep), lines[plain.flags(keep)], filled.filter(keep)


def _skipping_rows(rows, rules, load: Load):
    for line, cells in rows:
        blank = all(c is None or not str(c).strip() for c in cells)  # no row: frame() leaves it out
        if not blank and any(at < len(cells) and rule.hit(cells[at]) for at, rule in rules):
            load.skipped += 1
            continue
        yield line, cells


def not_blank(cells: pa.Table) -> pa.Array:
    """The rows that are not blank (a blank line is not a row): some cell holds more than spaces."""
    spaced = pa.array(["", *plain.SPACES])
    blank = f"^[{plain.WHITESPACE}]*$"
    candidates = np.arange(cells.num_rows)
    for c in cells.columns:  # rows whose every cell so far is empty or starts with a space: few, if any
        if not len(candidates):
            break
        first = pc.utf8_slice_codeunits(c.take(pa.array(candidates)), 0, 1)
        candidates = candidates[plain.flags(pc.is_in(first, value_set=spaced))]
    for c in cells.columns:
        if not len(candidates):
            break
        candidates = candidates[plain.flags(pc.match_substring_regex(c.take(pa.array(candidates)), blank))]
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
    keys, _ = plain.column(cells[group_by].combine_chunks(), parse.group_key, pa.string())
    named = np.flatnonzero(plain.flags(keys.is_valid()))
    named_keys = keys.take(pa.array(named))
    new = np.flatnonzero(plain.flags(pc.not_equal(named_keys[1:], named_keys[:-1]))) + 1
    return int(named[new[-1]]) if len(new) else 0
