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
import pyarrow as pa

from storeops import schema, warehouse
from storeops.errors import Damaged
from storeops.config import Config
from storeops.ingest import columns, loading, parse, presets, read
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
    skipped_as: str = "the preset's skip rules"  # why they were (a bundle's customer no order names)
    unused: bool = False  # a file of a dump its bundle does not use: not read
    dry_run: bool = False
    reasons: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) of each rejected row
    #: how the paid column was read where it is net of refunds (columns.net_of_refunds)
    paid_reading: str | None = None
    #: id columns written as floats (17850.0) and read as whole ids (columns.written_as_floats)
    floated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.unused:
            return f"{self.path.name} [{self.preset}]: not read (a file of the dump the bundle does not use)"
        how = "detected" if self.detected else "given"
        out = (f"{self.path.name} [{self.preset}, {how}]: read {self.rows_read}, accepted {self.rows_accepted}, "
               f"rejected {self.rows_rejected}")
        if self.rows_skipped:
            out += f", skipped {self.rows_skipped} ({self.skipped_as})"
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


def carried_columns(p: Preset, table: str, columns: list[str]) -> list[str]:
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
    done = read_file(cfg, con, Path(path), preset=preset, dry_run=dry_run, available=available, table=table)
    if not dry_run:
        write(cfg, con, [done])
    return done.report


@dataclass
class Reading:
    """A file read and checked, not yet written: its accounting, its accepted rows per table, the
    canonical columns it carries, and its rejected rows (line, reason, cells) under its header."""

    report: FileReport
    out: dict[str, pa.Table]
    carried: dict[str, list[str]]
    rejected: list[tuple[int, str, list]]
    names: list[str]


def read_file(cfg: Config, con: ibis.BaseBackend, path: Path, *, preset: str | None = None,
              dry_run: bool = False, available: dict[str, Preset] | None = None,
              table: read.Table | None = None, known: set | None = None, orders_in: str | None = None,
              chosen: tuple[Preset, int, bool] | None = None) -> Reading:
    """Read and check one export (``known``: order ids loaded beside it, ``orders_in``: where its
    lines' orders come from, for the reason an order is missing; ``chosen``: its preset as
    :func:`choose_preset` picked it already)."""
    available = available or presets.all_presets(cfg.root)
    table = table or read.read(path)
    p, header_idx, detected = chosen or choose_preset(table, available, preset)
    reading = None  # a preset that says how its paid column reads is taken at its word, silently
    loads = []
    for part in p.readings():  # one reading, or one per route (a credit note's rows to refunds)
        load = loading.read_through(cfg, con, table, header_idx, part, known, orders_in)
        found = columns.refunded_from_nothing(pa.concat_tables(load.accepted["orders"])) \
            if part.paid_net is None and load.accepted.get("orders") else 0
        if found:  # orders refunded whole read 0 paid: read the file again, adding their refunds back
            p, part = replace(p, paid_net="fully_refunded"), replace(part, paid_net="fully_refunded")
            load = loading.read_through(cfg, con, table, header_idx, part, known, orders_in)
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
    accepted = {t: parts for x in loads for t, parts in x.accepted.items()}
    out = {t: pa.concat_tables(accepted.get(t) or [schema.table(t).schema.to_pyarrow().empty_table()])
           for t in p.loading_order}
    names = read.column_names(loads[0].header)  # every reading reads the same header
    return Reading(report, out, {t: carried_columns(p, t, names) for t in out}, rejected, names)


def write(cfg: Config, con: ibis.BaseBackend, done: list[Reading]) -> None:
    """Write what ``done`` read, with an ingest_log line per file and table, in one transaction; then
    each file's rejected rows beside it (only for a load that was written: a refused file leaves none)."""
    now = _dt.datetime.now()  # to the microsecond: two loads of one file in a second are two log lines
    out: dict[str, list[pa.Table]] = {}
    carried: dict[str, list[str]] = {}
    log = []
    for d in done:
        digest = hashlib.sha256()
        with d.report.path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        r = d.report
        for t, rows in d.out.items():
            out.setdefault(t, []).append(rows)
            carried[t] = list(dict.fromkeys([*carried.get(t, []), *d.carried[t]]))
            log.append({"ingested_at": now, "file_hash": digest.hexdigest(), "table_name": t, "file": str(d.report.path),
                        "preset": r.preset, "rows_read": r.rows_read, "rows_accepted": r.rows_accepted,
                        "rows_rejected": r.rows_rejected, "rows_skipped": r.rows_skipped,
                        "rows_written": rows.num_rows})
    tables = {t: pa.concat_tables(parts) for t, parts in sorted(out.items(), key=lambda x: presets.load_rank(x[0]))}
    log_table = pa.Table.from_pylist(log, schema=schema.INGEST_LOG.schema.to_pyarrow())
    written = warehouse.upsert_many(con, {**tables, "ingest_log": log_table}, carried)
    for d in done:  # a table one file feeds: what the upsert wrote; else each file's rows
        d.report.written = {t: written[t] if len(out[t]) == 1 else rows.num_rows for t, rows in d.out.items()}
        if d.rejected:
            d.report.rejects = write_rejects(cfg, d.report.path, d.names, d.rejected)


#: the summary line's word on a paid column found net of refunds (the preset says nothing: `paid_is_net_of_refunds`
#: settles it)
PAID_NET_FOUND = ("{n} orders show 0 paid and a refund (refunded whole, paid read net of it): stored paid + "
                  "refund for them; say paid_is_net_of_refunds (fully_refunded, or true if every paid is net) in "
                  "the preset")


def write_rejects(cfg: Config, path: Path, names: list[str], rejected: list[tuple[int, str, list]]) -> Path:
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

    from storeops.ingest import bundle, together

    available = presets.all_presets(cfg.root)
    parse.configure(cfg.raw.get("ingest") or {})
    paths = [f for p in map(Path, paths) for f in (_files_in(p) if p.is_dir() else [p])]
    bundles, paths, refused, unused = bundle.group(paths, bundle.all_bundles(cfg.root)) if not preset \
        else ([], paths, [], [])
    con = _open(cfg, dry_run)
    done = [FileReport(f, b.name, True, 0, 0, 0, dry_run=dry_run, unused=True) for f, b in unused]
    try:
        for b, files in bundles:  # several files that make one store: one transaction, an accounting per file
            try:
                done += bundle.ingest(cfg, con, b, files, dry_run)
            except FileRefused as e:
                refused.append(e)
            except warehouse.WarehouseError as e:
                refused.append(FileRefused(next(iter(files.values())), f"bundle {b.name} not loaded, warehouse "
                                                                       f"unchanged: {e}"))
        staged = []
        for path in paths:
            try:
                t = read.read(Path(path))
                chosen = choose_preset(t, available, preset)
                rank = min(map(presets.load_rank, chosen[0].tables))
                staged.append((rank, len(staged), Path(path), t, chosen))
            except FileRefused as e:
                refused.append(e)
            except Exception as e:  # noqa: BLE001 — one file's surprise must not stop or hide the others
                refused.append(_unexpected(path, e))
        batch: list[Reading] = []
        staged.sort(key=lambda x: x[:2])
        ahead, read_ahead = 0, {}
        for i, (_, _, path, t, chosen) in enumerate(progress(staged, "ingest", unit="file")):
            if batch and (chosen[0].name != batch[0].report.preset
                          or sum(r.report.rows_accepted for r in batch) >= BATCH_ROWS):
                _write_batch(cfg, con, batch, done, refused)  # a lines file checks its orders are stored
                batch = []
            try:
                if i >= ahead:  # small files of one preset and header: read as one where they read cleanly
                    run = together.run(staged, i)
                    ahead = i + len(run)
                    try:
                        read_ahead = together.read_as_one(cfg, con, run, dry_run)
                    except Exception:  # noqa: BLE001 — read one by one, each file names its own surprise
                        read_ahead = {}
                reading = read_ahead.pop(path, None) or read_file(
                    cfg, con, path, preset=preset, dry_run=dry_run, available=available, table=t, chosen=chosen)
            except FileRefused as e:
                refused.append(e)
            except Exception as e:  # noqa: BLE001 — one file's surprise must not stop or hide the others
                refused.append(_unexpected(path, e))
            else:
                if dry_run:
                    done.append(reading.report)
                    continue
                if batch and reading.carried != batch[0].carried:  # a narrower file updates only its columns
                    _write_batch(cfg, con, batch, done, refused)
                    batch = []
                batch.append(reading)
        _write_batch(cfg, con, batch, done, refused)
        if not dry_run:  # reports read a period by skipping row groups: keep the loaded tables in time order
            t0 = time.monotonic()
            rewritten = warehouse.keep_in_order(con, dict.fromkeys(t for r in done for t in r.written))
            if rewritten:
                print(f"ingest: rewrote {', '.join(rewritten)} in time order ({time.monotonic() - t0:.1f}s)",
                      file=sys.stderr, flush=True)
    finally:
        con.disconnect()
    return done, refused


#: accepted rows a batch of files of one preset gathers before it is written (one transaction)
BATCH_ROWS = 200_000


def _write_batch(cfg: Config, con: ibis.BaseBackend, batch: list[Reading], done: list[FileReport],
                 refused: list[FileRefused]) -> None:
    """Write files read with one preset in one transaction, each with its own accounting (write): a
    year of daily exports pays for one write, not 300. Should the batch not load, each file is
    written on its own, so only a file that will not load is refused and the others land."""
    if not batch:
        return
    try:
        write(cfg, con, batch)
        done += [r.report for r in batch]
        return
    except Exception as e:  # noqa: BLE001 — rolled back whole: each file is tried on its own below
        if warehouse.is_damage(e):  # every file after it would meet the same block
            raise warehouse.damage_found(cfg, e) from None
        if len(batch) == 1:
            refused.append(FileRefused(batch[0].report.path, f"not loaded, warehouse unchanged: {e}")
                           if isinstance(e, warehouse.WarehouseError) else _unexpected(batch[0].report.path, e))
            return
    for r in batch:
        _write_batch(cfg, con, [r], done, refused)


def _files_in(folder: Path) -> list[Path]:
    """A folder's exports (``storeops ingest DIR``): its CSV and workbook files, by name."""
    return sorted(f for f in folder.iterdir() if f.is_file() and not f.name.startswith(".")
                  and f.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx"))


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
