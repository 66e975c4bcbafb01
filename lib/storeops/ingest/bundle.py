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
from pathlib import Path
from typing import Any

import pyarrow as pa

from storeops import schema
from storeops.config import Config, read_yaml
from storeops.errors import ConfigError
from storeops.ingest import presets, read
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
        for p in self.parts.values():
            if p.join:
                mine, other, theirs = p.join
                out += [mine] if p.alias == alias else [theirs] if other == alias else []
        return list(dict.fromkeys(out))


def is_bundle(path: Path) -> bool:
    raw = read_yaml(path, "preset")
    return isinstance(raw, dict) and "bundle" in raw


def load_bundle(path: Path) -> Bundle:
    from storeops import settings

    raw = read_yaml(path, "bundle")
    settings.known_keys(raw, ("name", "label", "bundle", "tables"), path)
    where = str(path)
    if not isinstance(raw.get("bundle"), dict) or not isinstance(raw.get("tables"), dict) or "name" not in raw:
        raise ConfigError(f"{where}: a bundle needs name, bundle (its files) and tables")
    parts = {}
    for alias, spec in raw["bundle"].items():
        spec = {"file": spec} if isinstance(spec, str) else spec
        if not isinstance(spec, dict) or "file" not in spec or set(spec) - {"file", "join", "optional"}:
            raise ConfigError(f"{where}: bundle.{alias} is {{file: <pattern>, join: {{<column>: <part>.<column>}}, "
                              f"optional: true}}, not {spec!r}")
        join = None
        if spec.get("join"):
            ((mine, ref),) = dict(spec["join"]).items() if len(spec["join"]) == 1 else \
                (_refuse(where, f"bundle.{alias}.join joins on one column"),)
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
    b = Bundle(str(raw["name"]), str(raw.get("label", raw["name"])), parts, tables, path)
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

    return {b.name: b for b in (load_bundle(p) for p in resources.preset_files(root) if is_bundle(p))}


def group(paths: list[Path], bundles: dict[str, Bundle]) -> tuple[list[tuple[Bundle, dict[str, Path]]], list[Path],
                                                                   list[FileRefused]]:
    """The files that make bundles (by name and header), the others, and files refused: a bundle's
    file without a companion it needs, a file two parts would take."""
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
    return out, rest, refused


# ---------------------------------------------------------------- reading a bundle

def _cells(path: Path, wanted: list[str]) -> tuple[pa.Table, list[str], list[list[str]]]:
    """A part's rows as text, with the line each is on (``_line``); its header; its rows as read."""
    table = read.read(path)
    idx, _, _ = read.find_header(table, wanted, wanted)
    header = read.column_names(table.header_at(idx))
    rows = [(line, cells) for line, cells in table.rows(idx + 1) if any(str(c).strip() for c in cells)]
    cols = {h: [c[i] if i < len(c) else "" for _, c in rows] for i, h in enumerate(header)}
    return pa.table({"_line": [line for line, _ in rows], **cols}), header, [c for _, c in rows]


def joined(b: Bundle, files: dict[str, Path], table: str, db: Any) -> tuple[pa.Table, Preset]:
    """The rows of canonical ``table``: its ``from`` file's rows, each with what the joins give it
    (columns named as the bundle writes them: ``customers.customer_unique_id``, ``sum(items.price)``),
    and the preset that maps them."""
    base, specs = b.tables[table]
    selects, joins, mapped = ['b."_line" AS "_line"'], [], []
    have = [r[0] for r in db.execute(f'DESCRIBE "{base}"').fetchall()]
    selects += [f'b."{h}" AS "{h}"' for h in have if h != "_line"]
    for n, s in enumerate(specs):
        if s.sum:
            (ref,) = s.headers
            alias, col = b.part_of(ref)
            mine, theirs = _link(b, base, alias) if alias and alias != base else (None, None)
            if mine is None:
                raise ConfigError(f"{b.path}: {table}.{s.target}: sum adds a column of a file joined to {base}")
            v = f'TRY_CAST(replace(trim("{col}"), \',\', \'\') AS DECIMAL(18, 6))'
            joins.append(f'LEFT JOIN (SELECT "{theirs}" AS k, sum({v}) AS v, count(*) FILTER (WHERE {v} IS NULL) AS bad '
                         f'FROM "{alias}" GROUP BY 1) s{n} ON s{n}.k = b."{mine}"')
            name = f"sum({ref})"  # no row: 0; a row without an amount: empty, and the row is rejected for it
            selects.append(f"CASE WHEN s{n}.k IS NULL THEN '0' WHEN s{n}.bad > 0 THEN NULL "
                           f'ELSE CAST(round(s{n}.v, 2) AS VARCHAR) END AS "{name}"')
            mapped.append(replace(s, sum=None, column=name))
            continue
        for ref in s.headers:
            alias, col = b.part_of(ref)
            if alias and alias != base:
                mine, theirs = _link(b, base, alias)
                repeats = db.execute(f'SELECT "{theirs}" FROM "{alias}" GROUP BY 1 HAVING count(*) > 1 LIMIT 1').fetchone()
                if repeats:
                    raise FileRefused(files[alias], f"{theirs} {repeats[0]!r} is on more than one row, so "
                                                    f"{ref} gives {table}.{s.target} no one value (sum it?)")
                joins.append(f'LEFT JOIN "{alias}" j{n} ON j{n}."{theirs}" = b."{mine}"')
                selects.append(f'j{n}."{col}" AS "{ref}"')
        mapped.append(s)
    sql = f'SELECT {", ".join(dict.fromkeys(selects))} FROM "{base}" b {" ".join(joins)} ORDER BY b."_line"'
    rows = db.execute(sql).fetch_arrow_table()
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


def load_parts(b: Bundle, files: dict[str, Path]) -> tuple[Any, dict[str, tuple[list[str], list[list[str]], list[int]]]]:
    """The bundle's files in an in-memory DuckDB, a table per part; per part its header, rows and lines."""
    import duckdb

    db = duckdb.connect()
    kept = {}
    for alias, path in files.items():
        cells, header, rows = _cells(path, b.headers(alias))
        db.register(f"_{alias}", cells)
        db.execute(f'CREATE TABLE "{alias}" AS SELECT * FROM "_{alias}"')
        kept[alias] = (header, rows, cells["_line"].to_pylist())
    return db, kept


def ingest(cfg: Config, con: Any, b: Bundle, files: dict[str, Path], dry_run: bool = False) -> list:
    """Load a bundle's files: each canonical table from its joined rows, all in one transaction; a
    FileReport per file (per file and table where one file feeds two)."""
    from storeops import ingest as _ingest

    db, kept = load_parts(b, files)
    done = []
    for table in sorted(b.tables, key=presets.load_rank):
        base = b.tables[table][0]
        if base not in files:  # an optional file the dump does not have
            continue
        rows, preset = joined(b, files, table, db)
        orders = next((d for d in done if "orders" in d.out), None)
        r = _ingest.read_file(cfg, con, files[base], preset=preset.name, available={preset.name: preset},
                              table=as_table(files[base], rows), dry_run=dry_run,
                              known=set(orders.out["orders"]["order_id"].to_pylist()) if orders else None,
                              orders_in=f"{orders.source.name} or the warehouse" if orders else None)
        r.report.preset, r.report.detected = b.name, True
        done.append(r)
    reports = [d.report for d in done]
    apart = []
    for alias in (a for a in files if a not in {base for base, _ in b.tables.values()}):
        header, rows, lines = kept[alias]
        taken, bad, skipped = _account(b, alias, db, done, files)
        report = _ingest.FileReport(files[alias], b.name, True, len(lines), len(taken), len(bad), dry_run=dry_run,
                                    reasons=bad, rows_skipped=len(skipped), skipped_as="no row loaded names them")
        at = dict(zip(lines, rows))
        apart.append((report, header, [(line, why, at[line]) for line, why in bad]))
        reports.append(report)
    if not dry_run:
        _ingest.write(cfg, con, done)
        for report, header, rejected in apart:
            if rejected:
                report.rejects = _ingest.write_rejects(cfg, report.path, header, rejected)
    return reports


def _account(b: Bundle, alias: str, db: Any, done: list, files: dict[str, Path]
             ) -> tuple[list[int], list[tuple[int, str]], list[int]]:
    """A part no table is read from, row by row: (lines taken into an accepted row, (line, reason) of
    lines rejected, lines skipped). A part summed into another's rows (payments) hangs off them: a row
    whose order is rejected or in no file is rejected. A part looked up (customers) is skipped where no
    accepted row names it."""
    part = b.parts[alias]
    lines = [r[0] for r in db.execute(f'SELECT "_line" FROM "{alias}" ORDER BY 1').fetchall()]
    if not part.join:
        return lines, [], []
    mine, other, theirs = part.join
    summed = any(s.sum and b.part_of(s.headers[0])[0] == alias for _, specs in b.tables.values() for s in specs)
    base = next(d for d in done if d.source == files[other])
    bad_lines = {line for line, _, _ in base.rejected}
    keys = db.execute(f'SELECT "_line", "{theirs}" FROM "{other}"').fetchall()
    accepted = {k for line, k in keys if line not in bad_lines}
    rejected = {k: line for line, k in keys if line in bad_lines}
    taken, bad, skipped = [], [], []
    for line, key in db.execute(f'SELECT "_line", "{mine}" FROM "{alias}" ORDER BY 1').fetchall():
        if key in accepted:
            taken.append(line)
        elif not summed:
            skipped.append(line)  # a customer no accepted order names: no sale to load
        elif key in rejected:
            bad.append((line, f"{mine} {key}: its row of {files[other].name} (line {rejected[key]}) was rejected"))
        else:
            bad.append((line, f"{mine} {key} is in no row of {files[other].name}"))
    return taken, bad, skipped
