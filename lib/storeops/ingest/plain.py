"""Columns of cells parsed into canonical types at once: the cells in a plain layout (an id of
letters and digits, an amount as 1234.50, a time as 2026-11-26 10:15:00) in one vectorised pass
of Arrow calls, the rest one distinct cell at a time by :mod:`storeops.ingest.parse`'s rules,
which say why a cell holds no such value.
"""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from storeops import schema
from storeops.ingest import parse


def for_dtype(dtype: str, tz: str, *, is_key: bool = False, date_order: str | None = None):
    """The parser for a canonical column type (``is_key``: an id, see :func:`parse.key`); each has a
    ``plain`` pass (see :func:`column`)."""
    if dtype.startswith("decimal"):  # a line's price and amount as given, else cents
        return parse.exact if dtype == schema.LINE_MONEY else parse.money
    if dtype in ("int32", "int64"):
        def parse_int(s: str) -> int | None:
            return parse.integer(s, dtype)

        parse_int.plain = lambda values: _plain_integers(values, dtype)
        return parse_int
    if dtype == "float64":
        return parse.number
    if dtype == "boolean":
        return parse.boolean
    if dtype == "date":
        def parse_date(s: str) -> _dt.date | None:
            return parse.date(s, date_order)

        parse_date.plain = _plain_dates
        return parse_date
    if dtype == "timestamp":
        def parse_ts(s: str) -> _dt.datetime | None:
            return parse.timestamp(s, tz, date_order)

        parse_ts.plain = lambda values: _plain_timestamps(values, tz)
        return parse_ts
    return parse.key if is_key else parse.text


def column(values: pa.Array, parser, type: pa.DataType) -> tuple[pa.Array, dict[int, str]]:
    """Parse a column of cells (strings; None where a value map left none) into an Arrow array of
    ``type``, and {row position: reason} for the cells that hold no such value — every cell is
    tried, none is dropped.

    Cells in a plain layout, whose value is certain without the cell-by-cell rules (an id of
    letters and digits, a name without spaces at its ends or invisible characters, an amount as
    1234.50, a time as 2026-11-26 10:15:00), are taken in one vectorised pass (``parser.plain``);
    the rest go through ``parser`` one distinct cell at a time (prices and statuses repeat
    thousands of times). A short column of few distinct cells (a status, a channel, a column left
    empty, in a daily file of a few hundred rows) goes that way whole: parsing a handful of cells
    costs less than the plain pass's dozen Arrow calls, which is most of what a small file costs.
    """
    plain = getattr(parser, "plain", None)
    distinct = _few(values) if plain else None
    if distinct is None:
        mask, out = plain(values) if plain else (np.zeros(len(values), dtype=bool), None)
        if out is not None and mask.all():
            return out, {}
        distinct = pc.unique(values.filter(pa.array(~mask)))
    else:
        out = None
    parsed, reasons = [], []
    for v in distinct.to_pylist():
        try:
            parsed.append(parser(v))
            reasons.append(None)
        except parse.BadValue as e:
            parsed.append(None)
            reasons.append(str(e))
    # every cell's index among the distinct cells (a plain cell's value is never among them)
    at = pc.index_in(values, value_set=distinct, skip_nulls=False)
    taken = pa.array(parsed, type=type).take(at)
    result = taken if out is None else pc.if_else(pa.array(mask), out, taken)
    bad = {}
    if any(reasons):
        wrong = np.array([r is not None for r in reasons] + [False])
        index = at.fill_null(len(reasons)).to_numpy()
        bad = {int(i): reasons[index[i]] for i in np.flatnonzero(wrong[index])}
    return result, bad


#: a column of at most SHORT cells with at most FEW distinct ones is parsed cell by cell whole
#: (see :func:`column`); a longer one goes through the plain pass, which costs little more a row
#: and never hashes a column of ids twice
FEW, SHORT = 24, 4096
#: the first cells whose distinct values are counted before all of them are
_SAMPLE = 64


def _few(values: pa.Array) -> pa.Array | None:
    """The distinct cells of a short column ``values`` when there are at most :data:`FEW`, else
    None (judged on its first cells before all are hashed: a column of ids costs a small count)."""
    if len(values) > SHORT or pc.count_distinct(values.slice(0, _SAMPLE), mode="all").as_py() > FEW:
        return None
    distinct = pc.unique(values)
    return distinct if len(distinct) <= FEW else None


# ------------------------------------------------------------------ plain layouts, vectorised
# Written for RE2 (Arrow's regex engine), which knows no Unicode \s or \d: the classes are spelled out.

#: what str.strip() removes and re's \s matches (none lies beyond U+3000: tests/ingest/test_parse.py)
SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
#: the same, as an RE2 class body
WHITESPACE = "".join(f"\\x{{{ord(c):x}}}" for c in SPACES)
_CONTROLS = r"\x00-\x1f\x7f-\x9f\x{200b}\x{200c}\x{200d}\x{2060}\x{feff}\xad"
#: a name :func:`parse.text` keeps as it is: no control or invisible character, no space at either end,
#: and no leading ' or = (Excel's text guards)
_PLAIN_TEXT = f"^[^{WHITESPACE}{_CONTROLS}'=]([^{_CONTROLS}]*[^{WHITESPACE}{_CONTROLS}])?$"
#: amounts below 10^16 with at most two decimals, as :func:`parse.money` reads them
_PLAIN_MONEY = "^-?[0-9]{1,16}([.][0-9]{1,2})?$"
_PLAIN_NUMBER = "^-?[0-9]{1,15}([.][0-9]{1,15})?$"
#: whole numbers that fit their column whatever their digits
_PLAIN_INT = {"int32": "^-?[0-9]{1,9}$", "int64": "^-?[0-9]{1,18}$"}
_DAY = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME = f"{_DAY} [0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}"
_PLAIN_OFFSET = " [+-]([01][0-9]|2[0-3])[0-5][0-9]"


def _matches(values: pa.Array, pattern: str) -> pa.Array:
    return pc.match_substring_regex(values, pattern).fill_null(False)


def _placeholder(values: pa.Array) -> pa.Array:
    return pc.is_in(pc.ascii_lower(values), value_set=pa.array(sorted(parse._PLACEHOLDERS))).fill_null(False)


def flags(ok: pa.Array) -> np.ndarray:
    """A boolean Arrow array as numpy, null as False (without the pandas a plain to_numpy loads)."""
    return ok.fill_null(False).cast(pa.uint8()).to_numpy().astype(bool)


def _cast(values: pa.Array, ok: pa.Array, filler: str, type: pa.DataType) -> pa.Array | None:
    """The cells where ``ok`` cast to ``type`` (others null); None when a cell of the layout is still
    no such value (2026-02-30): then every cell goes through the cell-by-cell rules, which say why."""
    try:
        return pc.if_else(ok, pc.if_else(ok, values, filler).cast(type), None)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _plain_text(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = pc.and_(_matches(values, _PLAIN_TEXT), pc.invert(_placeholder(values)))
    return flags(ok), values


def _plain_key(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Plain ids, and plain ids behind Excel's guard ="…" (Taobao writes order ids so)."""
    bare = pc.and_(_matches(values, f"^{parse._KEY}$"), pc.invert(_matches(values, f"^{parse._SCIENTIFIC}$")))
    guarded = _matches(values, f'^="{parse._KEY}"$')
    inner = pc.if_else(guarded, pc.utf8_slice_codeunits(values, 2, -1), values)
    ok = pc.and_(pc.or_(bare, pc.and_(guarded, pc.invert(_matches(inner, f"^{parse._SCIENTIFIC}$")))),
                 pc.invert(_placeholder(inner)))
    return flags(ok), inner


def _plain_money(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = _matches(values, _PLAIN_MONEY)
    out = _cast(values, ok, "0", pa.decimal128(18, 2))
    return (flags(ok), out) if out is not None else (np.zeros(len(values), dtype=bool), None)


def _plain_exact(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = _matches(values, f"^-?[0-9]{{1,{18 - parse.EXACT_PLACES}}}([.][0-9]{{1,{parse.EXACT_PLACES}}})?$")
    out = _cast(values, ok, "0", parse.EXACT)
    return (flags(ok), out) if out is not None else (np.zeros(len(values), dtype=bool), None)


def _plain_integers(values: pa.Array, dtype: str) -> tuple[np.ndarray, pa.Array]:
    ok = _matches(values, _PLAIN_INT[dtype])
    out = _cast(values, ok, "0", pa.int32() if dtype == "int32" else pa.int64())
    return (flags(ok), out) if out is not None else (np.zeros(len(values), dtype=bool), None)


def _plain_numbers(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = _matches(values, _PLAIN_NUMBER)
    out = _cast(values, ok, "0", pa.float64())  # Arrow rounds decimal text to the nearest double, as float()
    return (flags(ok), out) if out is not None else (np.zeros(len(values), dtype=bool), None)


def _plain_booleans(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    words = pc.ascii_lower(values)
    ok = pc.and_(_matches(values, "^[A-Za-z0-9是否]+$"), pc.is_in(words, value_set=pa.array(sorted(parse._TRUE | parse._FALSE))))
    return flags(ok), pc.if_else(ok, pc.is_in(words, value_set=pa.array(sorted(parse._TRUE))), None)


def _in_window(values: pa.Array) -> pa.Array:
    """Dates or times from the first plausible day to the end of the last."""
    first, last = (_dt.datetime.combine(d, _dt.time()) for d in parse._window())
    if pa.types.is_date(values.type):
        values = values.cast(pa.timestamp("us"))
    return pc.and_(pc.greater_equal(values, pa.scalar(first, values.type)),
                   pc.less(values, pa.scalar(last + parse.ONE_DAY, values.type))).fill_null(False)


def _plain_dates(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = _matches(values, f"^{_DAY}$")
    out = _cast(values, ok, "2000-01-01", pa.date32())
    if out is None:
        return np.zeros(len(values), dtype=bool), None
    ok = pc.and_(ok, _in_window(out))
    return flags(ok), out


def _plain_timestamps(values: pa.Array, tz: str) -> tuple[np.ndarray, pa.Array]:
    """Times written 2026-11-26 10:15:00, or with a UTC offset as Shopify writes them (2026-11-26
    10:15:42 -0500, converted to store time ``tz``), within the plausible window; outside it, the
    cell-by-cell path says why."""
    local = _matches(values, f"^{_TIME}$")
    offset = _matches(values, f"^{_TIME}{_PLAIN_OFFSET}$")
    ok = pc.or_(local, offset)
    written = _cast(pc.utf8_slice_codeunits(values, 0, 19), ok, "2000-01-01 00:00:00", pa.timestamp("us"))
    if written is None:
        return np.zeros(len(values), dtype=bool), None
    ok = pc.and_(ok, _in_window(written))
    if not pc.any(offset).as_py():
        return flags(ok), written
    def part(start: int, stop: int, filler: str) -> pa.Array:
        return pc.if_else(offset, pc.utf8_slice_codeunits(values, start, stop), filler)

    sign = pc.if_else(pc.equal(part(20, 21, "+"), "-"), -1, 1)
    minutes = pc.add(pc.multiply(part(21, 23, "00").cast(pa.int64()), 60), part(23, 25, "00").cast(pa.int64()))
    shift = pc.multiply(pc.multiply(sign, minutes), 60_000_000)  # µs east of UTC, as written
    utc = pc.subtract(written.cast(pa.int64()), shift)
    store, certain = _store_offsets(utc, tz)
    converted = pc.add(utc, store).cast(pa.timestamp("us"))
    ok = pc.and_(ok, pc.or_(local, pc.and_(certain, _in_window(converted))))
    return flags(ok), pc.if_else(offset, converted, written)


_HOUR_US = 3_600_000_000


def _store_offsets(utc: pa.Array, tz: str) -> tuple[pa.Array, pa.Array]:
    """(µs the store's zone ``tz`` is ahead of UTC, whether that is certain) for UTC instants in µs,
    by zoneinfo as :func:`parse.timestamp` converts: once per hour the instants fall in, and certain
    where the zone's offset is the same at both ends of that hour (else the cell-by-cell rule)."""
    hours = pc.multiply(pc.divide(utc, _HOUR_US), _HOUR_US)  # instants from 2000 on: no negatives
    distinct = pc.unique(hours.drop_null())
    known = [_ZONE_HOURS.get((tz, h)) or _zone_hour(tz, h) for h in distinct.to_pylist()]
    at = pc.index_in(hours, value_set=distinct)
    return (pa.array([k[0] for k in known], pa.int64()).take(at).fill_null(0),
            pa.array([k[1] for k in known], pa.bool_()).take(at).fill_null(False))


#: (zone, UTC hour in µs) → (µs the zone is ahead of UTC, the same all that hour): hours recur in every chunk
_ZONE_HOURS: dict[tuple[str, int], tuple[int, bool]] = {}


def _zone_hour(tz: str, hour: int) -> tuple[int, bool]:
    start = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(microseconds=hour)
    try:
        a = start.astimezone(ZoneInfo(tz)).utcoffset()
        b = (start + _dt.timedelta(microseconds=_HOUR_US - 1)).astimezone(ZoneInfo(tz)).utcoffset()
    except (OverflowError, ValueError):
        a, b = _dt.timedelta(0), None
    _ZONE_HOURS[(tz, hour)] = out = (a // _dt.timedelta(microseconds=1), a == b)
    return out


# each cell parser's vectorised pass (see :func:`column`)
parse.text.plain = _plain_text
parse.key.plain = _plain_key
parse.group_key.plain = _plain_key
parse.money.plain = _plain_money
parse.exact.plain = _plain_exact
parse.number.plain = _plain_numbers
parse.boolean.plain = _plain_booleans
