"""Read an export file into rows of text, whatever its encoding, layout or format.

CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) and XLSX (openpyxl). Title rows above
the header are skipped: the header is the first row that holds the columns a
preset expects. Every row keeps the line number a person sees in a text editor
or spreadsheet, so rejects can name it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import functools
import itertools
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from storeops.errors import StoreopsError

HEADER_SEARCH_ROWS = 30
#: a longer cell is no export value (Excel holds 32,767 characters): its row is rejected
MAX_CELL = 32_767
csv.field_size_limit(sys.maxsize)  # read any cell, then reject its row: never a crash
#: bytes that could not be decoded in the file's encoding, kept as lone surrogates (surrogateescape)
UNDECODED = re.compile("[\udc80-\udcff]")


class FileRefused(StoreopsError):
    """The whole file is refused: unreadable, empty, or missing required columns."""

    def __init__(self, path: Path | str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass
class Table:
    """One file, read as far as needed: ``head`` holds its first rows (where the header is looked
    for), ``rows()`` streams every row from the file anew, so a big export is never held whole."""

    path: Path
    encoding: str
    head: list[list[str]]  # the first HEADER_SEARCH_ROWS rows, title rows included
    head_lines: list[int]  # the line (CSV) or row (XLSX) number a person sees, per row of head
    _stream: Callable[[], Iterator[tuple[int, list]]]
    delimiter: str = ","
    decodes: bool = False  # every byte decodes in ``encoding`` (known UTF-8 throughout)

    def header_at(self, index: int) -> list[str]:
        return [clean_header(c) for c in self.head[index]]

    @functools.cached_property
    def head_names(self) -> list[frozenset[str]]:
        """Each head row's cells as header names: every preset is tried against them (find_header)."""
        return [frozenset(map(clean_header, row)) for row in self.head]

    def rows(self, start: int = 0) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of every row from index ``start`` on (cells as strings, empty as "")."""
        return itertools.islice(self._stream(), start, None)


def clean_header(c: object) -> str:
    """Header cells as exports write them: stray spaces, full-width spaces, a BOM."""
    s = c if c.__class__ is str else str(c if c is not None else "")
    if "\ufeff" in s or "\u3000" in s:  # rare: every cell of a file's head is cleaned, most need only the strip
        s = s.replace("\ufeff", "").replace("\u3000", " ")
    return s.strip()


_ARCHIVES = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz", b"7z\xbc\xaf\x27\x1c": "7z",
             b"Rar!\x1a\x07": "rar"}


def _what_it_is(path: Path, data: bytes) -> None:
    """Refuse, saying what the file is, what is no text export."""
    for magic, kind in _ARCHIVES.items():
        if data.startswith(magic):
            raise FileRefused(path, f"a compressed archive ({kind}), not an export: unpack it first and ingest "
                                    f"the file inside")
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (head.count(b"\x00") > len(head) // 4 and
                                                       (head[1::2].count(0) > len(head) // 3 or
                                                        head[0::2].count(0) > len(head) // 3)):
        raise FileRefused(path, "UTF-16 text: save it as UTF-8 (Excel: Save As → CSV UTF-8; a text editor: "
                                "Encoding → UTF-8) and ingest that")
    if b"\x00" in head:
        raise FileRefused(path, "binary data, not a CSV or XLSX export")


def encoding(path: Path) -> tuple[str, bool]:
    """The file's encoding — UTF-8 (with or without BOM) or GB18030 (a superset of GBK) — and
    whether every byte of it decodes in that encoding.

    Judged on all its lines: one stray byte does not turn a UTF-8 file into GB18030 mojibake
    (广东 → 骞夸笢). Bytes that do not decode are later kept as lone surrogates, so that only
    their rows are rejected (:data:`UNDECODED`); the file is never re-read in another encoding.
    """
    with path.open("rb") as f:
        if f.read(3) == b"\xef\xbb\xbf":
            return "utf-8-sig", _decodes(f, "utf-8")
        f.seek(0)
        if _decodes(f, "utf-8"):  # every line is UTF-8: the common case, judged in blocks
            return "utf-8", True
        f.seek(0)
        wide = utf8 = 0
        pending: list[bytes] = []  # a line's blocks until it ends (one line may be a whole CR-only file)
        for block in iter(lambda: f.read(BLOCK), b""):
            cut = block.rfind(b"\n") + 1
            if not cut:
                pending.append(block)
                continue
            w, u = _wide_lines(b"".join([*pending, block[:cut]]))
            wide, utf8, pending = wide + w, utf8 + u, [block[cut:]]
        w, u = _wide_lines(b"".join(pending))
        wide, utf8 = wide + w, utf8 + u
    # GBK text almost never forms valid UTF-8; UTF-8 text nearly always "decodes" as GB18030
    return ("utf-8", False) if utf8 * 2 >= wide else ("gb18030", False)


def _wide_lines(lines: bytes) -> tuple[int, int]:
    """Of whole ``lines``: how many have a byte past ASCII, and how many of those are UTF-8. Each such
    line is decoded alone, as it would be within its chunk (no UTF-8 sequence holds a newline); a
    GBK line fails at its first wide byte, so a GBK file's 200,000 failed decodes take less time
    than finding its lines with patterns did."""
    wide = utf8 = 0
    for line in lines.split(b"\n"):
        if not line.isascii():
            wide += 1
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            utf8 += 1
    return wide, utf8


BLOCK = 1 << 23


def _decodes(f, enc: str, out=None) -> bool:
    """Whether the rest of the binary file ``f`` is valid ``enc`` text (written to ``out`` as UTF-8)."""
    decoder = codecs.getincrementaldecoder(enc)()
    try:
        for block in iter(lambda: f.read(BLOCK), b""):
            text = decoder.decode(block)
            if out is not None:
                out.write(text.encode("utf-8"))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class NotColumnar(Exception):
    """The file is to be read row by row: its bytes or layout are beyond what :func:`batches`
    reads exactly as :meth:`Table.rows` does."""


def batches(table: Table, header_idx: int) -> Iterator[tuple[pa.Table, np.ndarray]]:
    """The data rows under the header as Arrow tables of text (columns c0, c1, …), with the line of
    each row — the rows and lines :meth:`Table.rows` gives, read by Arrow's CSV reader in
    blocks. Raises :class:`NotColumnar` (before or while reading) where that is not certain: a
    workbook, bytes that do not decode, a ragged line, a quote left open, a carriage return alone
    in a quoted cell, a first cell opening with U+FEFF, lines that do not add up."""
    import pyarrow.csv as pacsv

    header = table.head[header_idx]
    if table.encoding in ("xlsx", "joined") or any("\n" in c or "\r" in c for c in header):  # joined: a bundle's
        raise NotColumnar(table.path)
    with ExitStack() as stack:
        source = _utf8(table, stack)
        data = stack.enter_context(pa.memory_map(str(source)))
        start = _line_start(data, table.head_lines[header_idx] + 1)
        lines_left, quoted = _lines(data, start)
        if not lines_left:
            return
        if data.read_at(3, start) == b"\xef\xbb\xbf":  # Arrow would take it for a BOM and drop it: it is a cell's
            raise NotColumnar("a byte-order mark in the first cell")
        data.seek(start)
        names = [f"c{i}" for i in range(len(header))]
        try:
                reader = pacsv.open_csv(data, read_options=pacsv.ReadOptions(column_names=names, block_size=BLOCK),
                                    parse_options=pacsv.ParseOptions(delimiter=table.delimiter,
                                                                     newlines_in_values=quoted,
                                                                     ignore_empty_lines=False),
                                    convert_options=pacsv.ConvertOptions(
                                        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                                        quoted_strings_can_be_null=False))
        except pa.ArrowInvalid as e:
            raise NotColumnar(f"{table.path}: {e}") from None
        line = table.head_lines[header_idx] + 1
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as e:  # a ragged or blank line, a quote left open: the rows say which
                raise NotColumnar(f"{table.path}: {e}") from None
            rows = pa.Table.from_batches([batch])
            spans = np.ones(rows.num_rows, dtype=np.int64) + (_breaks(rows) if quoted else 0)
            starts = line + np.concatenate(([0], np.cumsum(spans)[:-1]))
            line += int(spans.sum())
            lines_left -= int(spans.sum())
            yield rows, starts
        if lines_left:  # Arrow's rows do not cover the file's lines as the csv module's would
            raise NotColumnar(table.path)


def _utf8(table: Table, stack: ExitStack) -> Path:
    """The file itself when it is UTF-8 throughout, else a UTF-8 copy of its GB18030 text."""
    import tempfile

    if table.decodes:
        return table.path
    if table.encoding == "gb18030":
        out = stack.enter_context(tempfile.NamedTemporaryFile(suffix=".csv"))
        with table.path.open("rb") as f:
            if _decodes(f, "gb18030", out):
                out.flush()
                return Path(out.name)
    raise NotColumnar(table.path)  # bytes that do not decode: their rows are named one by one


def _line_start(data: pa.NativeFile, line: int) -> int:
    """The byte offset where line ``line`` (1-based) begins; lines end in \n or \r\n."""
    head = data.read_at(min(data.size(), 1 << 20), 0)
    at = 0
    for _ in range(line - 1):
        at = head.find(b"\n", at) + 1
        if at == 0:
            raise NotColumnar("a header beyond the first MB")
    if b"\r" in head[:at].replace(b"\r\n", b""):
        raise NotColumnar("lines ending in a lone carriage return")
    return at


def _lines(data: pa.NativeFile, start: int) -> tuple[int, bool]:
    """Lines from byte ``start`` to the end, as the csv module counts them (\n, \r\n or \r ends one),
    and whether any quote is among them (else no cell spans lines)."""
    breaks, before, quoted = 0, b"", False
    for offset in range(start, data.size(), BLOCK):
        block = data.read_at(min(BLOCK, data.size() - offset), offset)
        pairs = block.count(b"\r\n") + (before == b"\r" and block[:1] == b"\n")  # one across blocks too
        breaks += block.count(b"\n") + block.count(b"\r") - pairs
        quoted = quoted or b'"' in block
        before = block[-1:]
    return breaks + (before not in (b"\n", b"\r", b"")), quoted  # a last line without a break too


def _breaks(rows: pa.Table) -> np.ndarray:
    """Line breaks inside each row's cells (a quoted cell may span lines)."""
    import pyarrow.compute as pc

    out = np.zeros(rows.num_rows, dtype=np.int64)
    for col in rows.columns:
        # the column's text as it lies in memory (its bytes, at memchr's speed): most have no break at all
        text = [c.buffers()[2].to_pybytes() for c in col.chunks if c.buffers()[2] is not None]
        if not any(b"\n" in t or b"\r" in t for t in text):
            continue
        if pc.any(pc.match_substring_regex(col, "[\r\n]")).as_py():
            lone = pc.subtract(pc.count_substring(col, "\r"), pc.count_substring(col, "\r\n"))
            if pc.any(pc.greater(lone, 0)).as_py():
                # Arrow may drop the \n of a quoted \r\n that falls on a block boundary: a lone \r
                # in a cell cannot be told from that
                raise NotColumnar("a carriage return alone in a quoted cell")
            out += pc.count_substring(col, "\n").to_numpy()
    return out


def read(path: Path) -> Table:
    """``path`` opened for reading: its head now, its rows as they are needed."""
    path = Path(path)
    if not path.is_file():
        raise FileRefused(path, "no such file")
    with path.open("rb") as f:
        start = f.read(4096)
    if not start.strip() and path.stat().st_size <= len(start):
        raise FileRefused(path, "the file is empty")
    if start[:4] == b"PK\x03\x04":
        return _read_xlsx(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise FileRefused(path, "not a valid XLSX workbook (expected a zip archive)")
    _what_it_is(path, start)
    enc, whole = encoding(path)
    with path.open("r", encoding=enc, errors="surrogateescape", newline="") as f:
        delim = delimiter(f.read(65536))

    def stream() -> Iterator[tuple[int, list]]:
        with path.open("r", encoding=enc, errors="surrogateescape", newline="") as f:
            reader = csv.reader(f, delimiter=delim, strict=False)
            line = 1
            for r in reader:
                yield line, r  # a quoted cell may span lines: a row is named by its first line
                line = reader.line_num + 1

    return _table(path, enc, stream, delim, whole)


def _table(path: Path, enc: str, stream: Callable[[], Iterator[tuple[int, list]]], delim: str = ",",
           decodes: bool = False) -> Table:
    head = list(itertools.islice(stream(), HEADER_SEARCH_ROWS))
    if not any(any(str(c).strip() for c in r) for _, r in head):
        raise FileRefused(path, "the file is empty")
    return Table(path, enc, [r for _, r in head], [n for n, _ in head], stream, delim, decodes)


def delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits the first lines most consistently into most fields."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    best, score = ",", (0, 0)
    for d in (",", "\t", ";"):
        counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        s = (counts.count(common) if common > 1 else 0, common)
        if s > score:
            best, score = d, s
    return best


def _read_xlsx(path: Path) -> Table:
    import openpyxl

    try:
        names = zipfile.ZipFile(path).namelist()
    except zipfile.BadZipFile:
        raise FileRefused(path, "a truncated or damaged file: it starts as a zip/XLSX but its end is missing; "
                                "export it again") from None
    if "xl/workbook.xml" not in names and path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise FileRefused(path, "a compressed archive (zip), not an export: unpack it first and ingest the "
                                "file inside")

    def stream() -> Iterator[tuple[int, list]]:
        # from a file object: openpyxl judges a path by its extension, and a workbook saved as .csv is
        # one all the same; read-only, so rows come as the sheet is parsed, never all at once
        with path.open("rb") as f:
            try:
                wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
            except Exception as e:  # zip or XML damage: say so in one line
                raise FileRefused(path, f"not a readable XLSX workbook ({type(e).__name__}: {e})") from None
            try:
                for n, r in enumerate(wb.worksheets[0].iter_rows(values_only=True), 1):
                    yield n, [_xlsx_cell(v) for v in r]
            finally:
                wb.close()

    return _table(path, "xlsx", stream)


def _xlsx_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:  # beyond, a float is no exact integer
        return str(int(v))
    return str(v)


def column_names(header: list[str]) -> list[str]:
    """The names ingest gives a file's columns: a header repeated gets .1, .2 (the first copy keeps it)."""
    return [h if header[:i].count(h) == 0 else f"{h}.{header[:i].count(h)}" for i, h in enumerate(header)]


def find_header(table: Table, expected: list[str], required: list[str]) -> tuple[int, float, list[str]]:
    """(row index, share of ``expected`` found, required headers missing) of the best header row."""
    best = (0, -1.0, list(required))
    want, named = set(expected), set(expected) | set(required)
    for i, names in enumerate(table.head_names):
        if i and named.isdisjoint(names):  # a row of data, as every preset tries every file: never better than row 0
            continue
        share = len(want & names) / len(want) if want else 0.0
        missing = [r for r in required if r not in names]
        if (not missing, share) > (not best[2], best[1]):
            best = (i, share, missing)
    return best
