"""Bundles: several export files that make one store, joined by keys and loaded together.

A marketplace dump comes as orders, order items, payments, customers and products files. A bundle
is a YAML file in ``params/sources/`` with a ``bundle:`` key that names each file (a pattern of its
name) and how it joins another, and maps canonical tables from them::

    bundle:
      orders: {file: "*orders*.csv"}
      items: {file: "*order_items*.csv", join: {order_id: orders.order_id}}
      customers: {file: "*customers*.csv", join: {customer_id: orders.customer_id}}
    tables:
      orders:
        from: orders                          # a row per row of this file
        buyer_id: customers.customer_unique_id   # the one row the join finds
        goods_amount: {sum: items.price}      # summed over the rows the join finds

Each canonical table is read from its ``from`` file joined with the others (DuckDB, in memory),
then mapped and checked as any export's rows are, each row under its own line of its own file.
All tables are written in one transaction. A row of a joined file whose order is in no file is
rejected with that reason; a customer no order names is skipped; every file has its accounting.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa

from storeops import schema
from storeops.config import Config, read_yaml
from storeops.errors import ConfigError
from storeops.ingest import parse, presets, read
from storeops.ingest.presets import ColumnSpec, Preset
from storeops.ingest.read import FileRefused


@dataclass(frozen=True)
class Part:
    """One file of a bundle: the pattern of its name and, if it joins another, how:
    ``(its column, the other part, the other's column)``."""

    alias: str
    pattern: str
    join: tuple[str, str, str] | None = None
    optional: bool = False

    def matches(self, path: Path) -> bool:
        return fnmatch.fnmatch(path.name.lower(), self.pattern.lower())


@dataclass(frozen=True)
class Bundle:
    name: str
    label: str
    parts: dict[str, Part]
    #: canonical table → (the part it is read from, a row per row; its columns)
    tables: dict[str, tuple[str, list[ColumnSpec]]]
    path: Path | None = None
    #: files of the dump the bundle does not use (``ignore:``): beside its files, not read and not refused
    ignore: tuple[str, ...] = ()

    def part_of(self, ref: str) -> tuple[str | None, str]:
        """``customers.customer_unique_id`` → (customers, customer_unique_id); a bare header → (None, it)."""
        alias, _, column = ref.partition(".")
        return (alias, column) if column and alias in self.parts else (None, ref)

    def headers(self, alias: str) -> list[str]:
        """The headers of part ``alias`` the bundle reads: a file of the pattern without them is not it."""
        out = []
        for base, specs in self.tables.values():
            for s in specs:
                for ref in s.headers:
                    a, col = self.part_of(ref)
                    if (a or base) == alias:
                        out.append(col)
        return list(dict.fromkeys([*out, *sorted(self.join_columns(alias))]))

    def join_columns(self, alias: str) -> set[str]:
        """The headers of part ``alias`` a join reads."""
        out = set()
        for p in self.parts.values():
            if p.join:
                mine, other, theirs = p.join
                out |= {mine} if p.alias == alias else {theirs} if other == alias else set()
        return out

    def summed(self, alias: str) -> set[str]:
        """The headers of part ``alias`` a sum adds."""
        return {self.part_of(s.headers[0])[1] for _, specs in self.tables.values() for s in specs
                if s.sum and self.part_of(s.headers[0])[0] == alias}


def load_bundle(path: Path, raw: dict | None = None) -> Bundle:
    """The bundle in ``path`` (``raw``: its YAML, where it is read already)."""
    from storeops import settings

    raw = read_yaml(path, "bundle") if raw is None else raw
    settings.known_keys(raw, ("name", "label", "bundle", "tables", "ignore"), path)
    where = str(path)
    if not isinstance(raw.get("bundle"), dict) or not isinstance(raw.get("tables"), dict) or "name" not in raw:
        raise ConfigError(f"{where}: a bundle needs name, bundle (its files) and tables")
    parts = {}
    for alias, spec in raw["bundle"].items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(alias)):
            _refuse(where, f"bundle.{alias}: a file's name in the bundle is letters, digits and _")
        spec = {"file": spec} if isinstance(spec, str) else spec
        if not isinstance(spec, dict) or "file" not in spec or set(spec) - {"file", "join", "optional"}:
            raise ConfigError(f"{where}: bundle.{alias} is {{file: <pattern>, join: {{<column>: <part>.<column>}}, "
                              f"optional: true}}, not {spec!r}")
        join = None
        if spec.get("join"):
            if len(spec["join"]) != 1:
                _refuse(where, f"bundle.{alias}.join joins on one column")
            ((mine, ref),) = dict(spec["join"]).items()
            other, _, theirs = str(ref).partition(".")
            if other not in raw["bundle"] or not theirs:
                _refuse(where, f"bundle.{alias}.join: {ref!r} names no part of the bundle (<part>.<column>)")
            join = (str(mine), other, theirs)
        parts[str(alias)] = Part(str(alias), str(spec["file"]), join, bool(spec.get("optional")))
    tables = {}
    for table, cols in raw["tables"].items():
        t = schema.table(table)
        cols = dict(cols or {})
        base = cols.pop("from", None)
        if base not in parts:
            _refuse(where, f"tables.{table}: from names the part each row comes from, one of {', '.join(parts)}")
        specs = []
        for target, spec in cols.items():
            if target not in t.column_names:
                _refuse(where, f"{table} has no column {target!r}")
            if isinstance(spec, dict) and "sum" in spec:  # one joined file's column: items.price
                ref = spec["sum"] if isinstance(spec["sum"], str) else ""
                if ref.partition(".")[0] not in parts or not ref.partition(".")[2] or re.search(r"[`]|\s[-+*/]\s", ref):
                    _refuse(where, f"{table}.{target}: sum adds one column of a joined file: {{sum: <part>.<column>}}")
                spec = {**spec, "sum": f"`{spec['sum']}`"}
            specs.append(presets._spec(target, spec, where))
        tables[table] = (base, specs)
    b = Bundle(str(raw["name"]), str(raw.get("label", raw["name"])), parts, tables, path,
               tuple(str(x) for x in raw.get("ignore") or ()))
    bases = {base for base, _ in tables.values()}
    for p in parts.values():  # a file no table is read from is accounted for by the rows it joins
        if p.alias not in bases and (not p.join or p.join[1] not in bases):
            _refuse(where, f"bundle.{p.alias}: no table is read from it, so it must join a file one is read from "
                           f"({', '.join(sorted(bases))})")
    for base, specs in tables.values():
        for s in specs:
            for ref in s.headers:
                alias, _ = b.part_of(ref)
                if alias and alias != base and _link(b, base, alias) is None:
                    _refuse(where, f"{ref}: part {alias} joins no column of {base}, the rows' file")
    return b


def _refuse(where: str, problem: str):
    raise ConfigError(f"{where}: {problem}")


def _link(b: Bundle, base: str, other: str) -> tuple[str, str] | None:
    """(the base's column, the other's column) that join them, whichever part says so."""
    j = b.parts[other].join
    if j and j[1] == base:
        return j[2], j[0]
    j = b.parts[base].join
    if j and j[1] == other:
        return j[0], j[2]
    return None


def all_bundles(root: Path) -> dict[str, Bundle]:
    from storeops import resources

    raws = ((p, read_yaml(p, "preset")) for p in resources.preset_files(root))
    return {b.name: b for b in (load_bundle(p, raw) for p, raw in raws if "bundle" in raw)}


def group(paths: list[Path], bundles: dict[str, Bundle]
          ) -> tuple[list[tuple[Bundle, dict[str, Path]]], list[Path], list[FileRefused], list[tuple[Path, Bundle]]]:
    """The files that make bundles (by name and header), the others, files refused (a bundle's file
    without a companion it needs, a file two parts would take), and the files beside a bundle's that
    it does not use (its ``ignore`` patterns)."""
    found: dict[str, dict[str, Path]] = {}
    rest, refused = [], []
    for path in paths:
        hits = [(b, p) for b in bundles.values() for p in b.parts.values() if p.matches(path)]
        if hits:
            try:
                table = read.read(path)
            except FileRefused as e:
                refused.append(e)
                continue
            hits = [(b, p) for b, p in hits if not read.find_header(table, b.headers(p.alias), b.headers(p.alias))[2]]
        if not hits:
            rest.append(path)
            continue
        b, p = hits[0]
        taken = found.setdefault(b.name, {})
        if p.alias in taken:
            refused.append(FileRefused(path, f"bundle {b.name} takes one {p.alias} file ({p.pattern}); "
                                             f"{taken[p.alias].name} is it already"))
            continue
        taken[p.alias] = path
    out = []
    for name, files in found.items():
        b = bundles[name]
        lacking = [p for p in b.parts.values() if not p.optional and p.alias not in files]
        if lacking:
            needs = ", ".join(f"{p.alias} (a file like {p.pattern})" for p in lacking)
            refused += [FileRefused(f, f"bundle {b.name} needs its companion {needs} beside it; nothing of the "
                                       f"bundle was loaded") for f in files.values()]
            continue
        out.append((b, files))
    found_in = [bundles[n] for n in found]
    unused = [(f, b) for f in rest for b in found_in if any(fnmatch.fnmatch(f.name.lower(), x.lower()) for x in b.ignore)]
    return out, [f for f in rest if f not in {u for u, _ in unused}], refused, unused


# ---------------------------------------------------------------- reading a bundle

@dataclass
class Loaded:
    """A part's rows in the in-memory DuckDB, under names of our own (a header is never SQL): a
    header's text as ``c<i>``, its id as a key would read it as ``k<i>`` (trimmed, Excel's guard
    off, blank as NULL: blank ids join nothing), an amount a sum adds as ``v<i>`` with ``b<i>`` set
    where the cell holds no amount."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]

    def col(self, h: str) -> str:
        return f"c{self.header.index(h)}"

    def key(self, h: str) -> str:
        return f"k{self.header.index(h)}"

    def amount(self, h: str) -> tuple[str, str]:
        i = self.header.index(h)
        return f"v{i}", f"b{i}"


def _id(v: str) -> str | None:
    try:
        return parse.key(v)
    except parse.BadValue:
        return None


def _amount(v: str) -> tuple[Decimal | None, bool]:
    try:
        d = parse.exact(v)
    except parse.BadValue:
        return None, True
    return d, d is None


def load_parts(b: Bundle, files: dict[str, Path]) -> tuple[Any, dict[str, Loaded]]:
    """The bundle's files in an in-memory DuckDB, a table per part (:class:`Loaded`)."""
    import duckdb

    db = duckdb.connect()
    kept = {}
    for alias, path in files.items():
        table = read.read(path)
        wanted = b.headers(alias)
        idx, _, _ = read.find_header(table, wanted, wanted)
        header = read.column_names(table.header_at(idx))
        rows = [(line, cells) for line, cells in table.rows(idx + 1) if any(str(c).strip() for c in cells)]
        part = Loaded(header, [[*c, *[""] * (len(header) - len(c))][:len(header)] for _, c in rows],
                      [line for line, _ in rows])
        cols = {"_line": pa.array(part.lines, pa.int64())}
        keys, summed = b.join_columns(alias), b.summed(alias)
        for i, h in enumerate(header):
            cells = [r[i] for r in part.rows]
            cols[f"c{i}"] = pa.array(cells, pa.string())
            if h in keys:
                cols[f"k{i}"] = pa.array([_id(v) for v in cells], pa.string())
            if h in summed:
                parsed = [_amount(v) for v in cells]
                cols[f"v{i}"] = pa.array([d for d, _ in parsed], pa.decimal128(18, parse.EXACT_PLACES))
                cols[f"b{i}"] = pa.array([bad for _, bad in parsed], pa.bool_())
        db.register(alias, pa.table(cols))  # alias: letters, digits and _ (load_bundle)
        kept[alias] = part
    return db, kept


def joined(b: Bundle, files: dict[str, Path], table: str, db: Any, kept: dict[str, Loaded],
           taken: dict[str, set[int]]) -> tuple[pa.Table, Preset]:
    """The rows of canonical ``table``: its ``from`` file's rows, each with what the joins give it
    (columns named as the bundle writes them: ``customers.customer_unique_id``, ``sum(items.price)``),
    and the preset that maps them. A sum adds the rows of the joined file that load (``taken``: the
    lines a file's own table accepted), so an order's total is that of its stored lines."""
    base, specs = b.tables[table]
    me = kept[base]
    selects = ['b."_line"'] + [f'b."{me.col(h)}"' for h in me.header]
    names = ["_line", *me.header]
    joins, mapped = [], []
    for n, s in enumerate(specs):
        if s.sum:
            (ref,) = s.headers
            alias, col = b.part_of(ref)  # a joined part's column, linked to base (load_bundle)
            mine, theirs = _link(b, base, alias)
            them = kept[alias]
            v, bad = them.amount(col)
            only = f'WHERE "_line" IN (SELECT "_line" FROM "_taken_{alias}")' if alias in taken else ""
            if alias in taken:
                db.register(f"_taken_{alias}", pa.table({"_line": pa.array(sorted(taken[alias]), pa.int64())}))
            joins.append(f'LEFT JOIN (SELECT "{them.key(theirs)}" AS k, sum("{v}") AS v, count(*) FILTER (WHERE "{bad}") '
                         f'AS bad FROM "{alias}" {only} GROUP BY 1) s{n} ON s{n}.k = b."{me.key(mine)}"')
            # no row: 0; a row without an amount: empty, and the order is rejected for it
            selects.append(f"CASE WHEN s{n}.k IS NULL THEN '0' WHEN s{n}.bad > 0 THEN NULL "
                           f"ELSE CAST(round(s{n}.v, 2) AS VARCHAR) END")
            names.append(f"sum({ref})")
            mapped.append(replace(s, sum=None, column=names[-1]))
            continue
        for ref in s.headers:
            alias, col = b.part_of(ref)
            if alias and alias != base and ref not in names:
                mine, theirs = _link(b, base, alias)
                them = kept[alias]
                repeats = db.execute(f'SELECT "{them.key(theirs)}" FROM "{alias}" WHERE "{them.key(theirs)}" IS NOT NULL '
                                     f'GROUP BY 1 HAVING count(*) > 1 LIMIT 1').fetchone()
                if repeats:
                    raise FileRefused(files[alias], f"{theirs} {repeats[0]!r} is on more than one row, so "
                                                    f"{ref} gives {table}.{s.target} no one value (sum it?)")
                joins.append(f'LEFT JOIN "{alias}" j{n} ON j{n}."{them.key(theirs)}" = b."{me.key(mine)}"')
                selects.append(f'j{n}."{them.col(col)}"')
                names.append(ref)
        mapped.append(s)
    sql = (f'SELECT {", ".join(f"{x} AS o{i}" for i, x in enumerate(selects))} FROM "{base}" b {" ".join(joins)} '
           f'ORDER BY b."_line"')
    rows = db.execute(sql).to_arrow_table().rename_columns(names)
    preset = Preset(f"{b.name}:{base}", f"{b.label} ({base})", "csv", "utf-8", {table: mapped})
    return rows, preset


def as_table(path: Path, rows: pa.Table) -> read.Table:
    """Joined rows as a file ingest reads row by row, each under its own file's line."""
    header = [c for c in rows.column_names if c != "_line"]
    lines = rows["_line"].to_pylist()
    cols = [["" if v is None else str(v) for v in rows[h].to_pylist()] for h in header]
    data = list(zip(lines, map(list, zip(*cols)))) if cols else []

    def stream():
        yield 1, header
        yield from data

    return read.Table(path, "joined", [header, *[c for _, c in data[:read.HEADER_SEARCH_ROWS]]],
                      [1, *lines[:read.HEADER_SEARCH_ROWS]], stream, decodes=True)


def ingest(cfg: Config, con: Any, b: Bundle, files: dict[str, Path], dry_run: bool = False) -> list:
    """Load a bundle's files: each canonical table from its joined rows, all in one transaction; a
    FileReport per file (per file and table where one file feeds two). An order's total adds the
    lines its items file loads, so the items are read once before the orders (their orders then
    being the orders file's ids) and again after (their orders being the orders it accepted)."""
    from storeops import ingest as _ingest

    try:
        db, kept = load_parts(b, files)
    except (pa.ArrowException, ValueError) as e:
        raise FileRefused(next(iter(files.values())), f"bundle {b.name}: its files could not be read together "
                                                      f"({type(e).__name__}: {str(e).splitlines()[0][:200]})") from None

    def reading(table: str, taken: dict[str, set[int]], known: set | None, orders_file: Path | None):
        base = b.tables[table][0]
        rows, preset = joined(b, files, table, db, kept, taken)
        r = _ingest.read_file(cfg, con, files[base], preset=preset.name, available={preset.name: preset},
                              table=as_table(files[base], rows), dry_run=dry_run, known=known,
                              orders_in=f"the accepted rows of {orders_file.name} or the warehouse" if orders_file else None)
        r.report.preset, r.report.detected = b.name, True
        return r

    tables = [t for t in sorted(b.tables, key=presets.load_rank) if b.tables[t][0] in files]
    taken: dict[str, set[int]] = {}
    orders_base = b.tables["orders"][0] if "orders" in tables else None
    if orders_base and "order_items" in tables and b.tables["order_items"][0] in {
            b.part_of(s.headers[0])[0] for s in b.tables["orders"][1] if s.sum}:
        items = b.tables["order_items"][0]
        ids = {_id(v) for v in _column(kept[orders_base], b, "orders", "order_id")} - {None}
        first = reading("order_items", {}, ids, files[orders_base])
        taken[items] = set(kept[items].lines) - {line for line, _, _ in first.rejected}
    done = []
    for table in tables:
        orders = next((d for d in done if "orders" in d.out), None)
        done.append(reading(table, taken, set(orders.out["orders"]["order_id"].to_pylist()) if orders else None,
                            orders.report.path if orders else None))
    reports = [d.report for d in done]
    apart = []
    for alias in (a for a in files if a not in {base for base, _ in b.tables.values()}):
        part = kept[alias]
        ok, bad, skipped = _account(b, alias, db, kept, done, files)
        report = _ingest.FileReport(files[alias], b.name, True, len(part.lines), len(ok), len(bad), dry_run=dry_run,
                                    reasons=bad, rows_skipped=len(skipped), skipped_as="no row loaded names them")
        at = dict(zip(part.lines, part.rows))
        apart.append((report, part.header, [(line, why, at[line]) for line, why in bad]))
        reports.append(report)
    if not dry_run:
        _ingest.write(cfg, con, done)
        for report, header, rejected in apart:
            if rejected:
                report.rejects = _ingest.write_rejects(cfg, report.path, header, rejected)
    return reports


def _column(part: Loaded, b: Bundle, table: str, target: str) -> list[str]:
    """The cells of ``part`` that a table's column is read from."""
    spec = next((s for s in b.tables[table][1] if s.target == target), None)
    if spec is None or spec.column not in part.header:
        return []
    i = part.header.index(spec.column)
    return [r[i] for r in part.rows]


def _account(b: Bundle, alias: str, db: Any, kept: dict[str, Loaded], done: list, files: dict[str, Path]
             ) -> tuple[list[int], list[tuple[int, str]], list[int]]:
    """A part no table is read from, row by row: (lines taken into an accepted row, (line, reason) of
    lines rejected, lines skipped). A part summed into another's rows (payments) hangs off them: a row
    whose order is rejected or in no file is rejected. A part looked up (customers) is skipped where no
    accepted row names it."""
    me = kept[alias]
    mine, other, theirs = b.parts[alias].join  # one a table is read from (load_bundle)
    summed = bool(b.summed(alias))
    base = next(d for d in done if d.report.path == files[other])
    bad_lines = {line for line, _, _ in base.rejected}
    them = kept[other]
    keys = db.execute(f'SELECT "_line", "{them.key(theirs)}" FROM "{other}"').fetchall()
    accepted = {k for line, k in keys if line not in bad_lines and k is not None}
    rejected = {k: line for line, k in keys if line in bad_lines and k is not None}
    taken, bad, skipped = [], [], []
    for line, key, cell in db.execute(f'SELECT "_line", "{me.key(mine)}", "{me.col(mine)}" FROM "{alias}" '
                                      f'ORDER BY 1').fetchall():
        if key in accepted:
            taken.append(line)
        elif not summed:
            skipped.append(line)  # a customer no accepted order names: no sale to load
        elif key in rejected:
            bad.append((line, f"{mine} {key}: its row of {files[other].name} (line {rejected[key]}) was rejected"))
        else:
            bad.append((line, f"{mine} {cell!r} is in no row of {files[other].name}"))
    return taken, bad, skipped
