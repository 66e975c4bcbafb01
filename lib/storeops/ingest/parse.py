"""Values as platforms write them, parsed into canonical types — or a reason why not.

Each parser takes one string and returns the value, ``None`` for an empty cell,
or raises :class:`BadValue` saying what was expected.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from storeops import schema


class BadValue(ValueError):
    """A cell that does not hold what its column needs; the message says what was expected."""


#: what exports write for "nothing": empty for a text or a time, never for a number (N/A is no 0)
_PLACEHOLDERS = {"-", "--", "null", "none", "nan", "n/a", "na", "无"}
#: zero-width characters and BOMs that make two equal ids differ
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
#: control characters (Unicode category Cc), with and without tab and line breaks
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def blank(s: str) -> bool:
    return s is None or str(s).strip() == ""


def empty(s: str) -> bool:
    """A blank cell or a placeholder (text and time columns only; see :func:`_number_text`)."""
    return blank(s) or str(s).strip().lower() in _PLACEHOLDERS


def _clean(s: str, keep: bool = True) -> str:
    """Without zero-width characters and control characters (a NUL byte, a stray BOM); line breaks
    stay in text (a chat transcript), not in ids."""
    s = _INVISIBLE.sub("", str(s))
    return (_CONTROL_BUT_BREAKS if keep else _CONTROL).sub("", s)


def text(s: str) -> str | None:
    """A name: ``="123"`` and a leading apostrophe (Excel's text guards) are removed, and invisible
    and control characters with them."""
    if empty(s):
        return None
    s = _clean(s).strip()
    m = re.fullmatch(r'="(.*)"', s)
    if m:
        s = m.group(1)
    if s.startswith("'"):
        s = s[1:]
    return s.strip() or None


#: digits Excel keeps of a number: a longer id that passed through it as a number lost the rest
EXCEL_DIGITS = 15


def key(s: str) -> str | None:
    """An id (order, buyer, SKU …): as :func:`text`, without any control character, in Unicode NFKC
    (full-width digits are digits), and refused when Excel has damaged it — scientific notation or
    a float — because a damaged id silently overwrites another order (a whole column rounded to
    15 digits: storeops.ingest.columns.excel_rounded)."""
    v = text(s)
    if v is None:
        return None
    v = unicodedata.normalize("NFKC", _clean(v, keep=False)).strip()
    if re.fullmatch(r"[-+]?\d+(\.\d+)?[eE][-+]?\d+", v):
        raise BadValue(f"expected an exact id, got {s!r}: Excel wrote it in scientific notation; "
                       f"export the column as text")
    if re.fullmatch(r"\d+\.\d*", v):
        raise BadValue(f"expected an exact id, got {s!r}: a number with decimals; export the column as text")
    return v or None


_NUMBER = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
#: DECIMAL(18,2) holds amounts below this
MONEY_LIMIT = Decimal(10) ** 16
INT_LIMITS = {"int32": 2**31 - 1, "int64": 2**63 - 1}


def _number_text(s: str, what: str, cell: str | None = None) -> str | None:
    """The digits of a number cell, or None for a blank one (``cell``: the cell as the file has it,
    when ``s`` is already stripped of a currency sign). A placeholder (N/A, -, nan, inf) is refused
    rather than read as empty or 0, and a comma must group thousands: ``125,55`` (a decimal comma)
    or ``1,0`` would otherwise become 12555 or 10."""
    if blank(s):
        return None
    t = str(s).strip().replace("，", ",").replace(" ", "").replace("\u00a0", "")
    if not _NUMBER.fullmatch(t):
        raise BadValue(f"expected {what}, got {s if cell is None else cell!r}")
    return t.replace(",", "")


#: what an export writes beside an amount: currency symbols and codes (longest first: US$ before $)
CURRENCY_MARKS = ("US$", "HK$", "NT$", "A$", "C$", "S$", "R$", "RMB", "CNY", "USD", "GBP", "EUR", "BRL", "ZAR",
                  "JPY", "HKD", "AUD", "CAD", "SGD", "¥", "￥", "$", "£", "€", "₹", "₩", "元")


def money(s: str, places: int = 2) -> Decimal | None:
    """¥1,234.00 / £12.30 / R$ 10.00 / GBP 12.30 / 1234 / -5.5 / （1,234.00） → Decimal with 2 places
    (more would lose cents: refused); ``places`` for an operand kept exact (:func:`exact`)."""
    if blank(s):
        return None
    t = str(s).strip()
    for sign in CURRENCY_MARKS:
        t = t.replace(sign, "")
    t = re.sub(r"^([-−]?)R(?=\s*[\d(（])", r"\1", t.strip()).strip()  # the rand: R 12.30
    neg = t.startswith(("(", "（")) and t.endswith((")", "）"))
    if neg:
        t = "-" + t[1:-1]
    what = "an amount like 1234.56 or 1,234.56"
    t = _number_text(t, what, s)
    if t is None:  # a currency sign alone
        raise BadValue(f"expected {what}, got {s!r}")
    d, unit = Decimal(t), Decimal(1).scaleb(-places)
    if d != d.quantize(unit):
        raise BadValue(f"expected at most 2 decimals (cents), got {s!r}" if places == 2 else
                       f"expected at most {places} decimals, got {s!r}")
    if abs(d) >= MONEY_LIMIT.scaleb(2 - places):
        raise BadValue(f"expected an amount below 10^{16 - places + 2}, got {s!r}")
    return d.quantize(unit)


#: places an operand of a line's sum keeps: unit prices of 0.001 or 0.0085 are real
EXACT_PLACES = 6
EXACT = pa.decimal128(18, EXACT_PLACES)


def exact(s: str) -> Decimal | None:
    """An amount or a quantity as given, to 6 decimals (a unit price of 0.0085): an operand of an
    order total built from its lines, which alone is rounded to the cent."""
    return money(s, places=EXACT_PLACES)



def integer(s: str, dtype: str = "int64") -> int | None:
    t = _number_text(s, "a whole number")
    if t is None:
        return None
    if not re.fullmatch(r"[-+]?\d+(\.0+)?", t):
        raise BadValue(f"expected a whole number, got {s!r}")
    v = int(Decimal(t))
    if abs(v) > INT_LIMITS.get(dtype, INT_LIMITS["int64"]):
        raise BadValue(f"expected a whole number up to {INT_LIMITS[dtype]:,}, got {s!r}")
    return v


def number(s: str) -> float | None:
    """1234.5 / 1,234.5 / 3.6% (→ 0.036)."""
    if blank(s):
        return None
    cell = str(s).strip()
    t = _number_text(cell.rstrip("%"), "a number", s)
    if t is None:  # a % sign alone
        raise BadValue(f"expected a number, got {s!r}")
    return float(t) / 100 if cell.endswith("%") else float(t)


_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


def boolean(s: str) -> bool | None:
    if empty(s):
        return None
    t = str(s).strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise BadValue(f"expected yes/no (是/否, true/false, 1/0), got {s!r}")


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")
#: day and month in the order a preset declares (``date_order: dmy`` or ``mdy``); none is assumed
_ORDERED = {"dmy": ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"), "mdy": ("%m/%d/%Y", "%m-%d-%Y")}
ONE_DAY = _dt.timedelta(days=1)
#: the dates a store's data can hold: store.yaml ``ingest.earliest`` / ``ingest.latest_days_ahead``
EARLIEST = _dt.date(2000, 1, 1)
DAYS_AHEAD = 366


def configure(settings: dict) -> None:
    """The date window from store.yaml's ``ingest:`` block (``earliest``, ``latest_days_ahead``)."""
    global EARLIEST, DAYS_AHEAD
    EARLIEST = _dt.date.fromisoformat(str(settings.get("earliest", "2000-01-01")))
    DAYS_AHEAD = int(settings.get("latest_days_ahead", 366))


def _window() -> tuple[_dt.date, _dt.date]:
    """The first and last plausible day."""
    return EARLIEST, _dt.date.today() + _dt.timedelta(days=DAYS_AHEAD)


def _plausible(d: _dt.date, s: str) -> None:
    first, last = _window()
    if not first <= d <= last:
        raise BadValue(f"expected a date from {first} to {last}, got {s!r}")


def _day(t: str, s: str, order: str | None) -> _dt.date | None:
    """The day ``t`` writes in one of the known layouts, or None; a day/month order the preset does
    not declare is refused, never guessed."""
    for f in _DATE_FORMATS + _ORDERED.get(order or "", ()):
        try:
            return _dt.datetime.strptime(t, f).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", t):
        raise BadValue(f"expected a date like 2026-11-26, got {s!r}: day and month could be either way round; "
                       f"declare date_order: dmy or mdy in the preset")
    return None


def date(s: str, order: str | None = None) -> _dt.date | None:
    if empty(s):
        return None
    t = str(s).strip()
    t = t.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} 00:00(:00)?$", t) else t
    d = _day(t, s, order)
    if d is None:
        raise BadValue(f"expected a date like 2026-11-26, got {s!r}")
    _plausible(d, s)
    return d


_TS_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
               "%Y-%m-%dT%H:%M", "%Y%m%d %H:%M:%S", "%Y年%m月%d日 %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f",
               "%Y-%m-%dT%H:%M:%S.%f")
_OFFSET = re.compile(r"^(.*?)[ T]?([+-]\d{2}:?\d{2}|Z)$")


def timestamp(s: str, tz: str, order: str | None = None) -> _dt.datetime | None:
    """Store-local naive time. A time with a UTC offset (Shopify: ``2026-11-26 10:15:42 -0500``)
    is converted to the store's timezone ``tz``; one without is taken as store time."""
    if empty(s):
        return None
    t = str(s).strip()
    offset = None
    m = _OFFSET.match(t)
    if m and re.search(r"\d{2}:\d{2}", m.group(1)):
        t, offset = m.group(1).strip(), m.group(2)
    for f in _TS_FORMATS:
        try:
            v = _dt.datetime.strptime(t, f)
            break
        except ValueError:
            continue
    else:
        d = _day(t, s, order)
        if d is None:
            raise BadValue(f"expected a time like 2026-11-26 10:15:00, got {s!r}")
        v = _dt.datetime.combine(d, _dt.time())
    _plausible(v.date(), s)
    if offset:
        o = "+0000" if offset == "Z" else offset.replace(":", "")
        try:
            aware = _dt.datetime.strptime(v.strftime("%Y-%m-%d %H:%M:%S.%f") + o, "%Y-%m-%d %H:%M:%S.%f%z")
            v = aware.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        except (ValueError, OverflowError):
            raise BadValue(f"expected a time with a valid UTC offset, got {s!r}") from None
        _plausible(v.date(), s)
    return v


_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


def province(s: str) -> str | None:
    """The province of a Chinese address: its first word, without 省/市/自治区."""
    if empty(s):
        return None
    first = re.split(r"[\s,，]+", str(s).strip())[0]
    return _PROVINCE_SUFFIX.sub("", first) or None


def for_dtype(dtype: str, tz: str, *, is_key: bool = False, date_order: str | None = None):
    """The parser for a canonical column type (``is_key``: an id, see :func:`key`); each has a
    ``plain`` pass (see :func:`column`)."""
    if dtype.startswith("decimal"):  # a line's price and amount as given, else cents
        return exact if dtype == schema.LINE_MONEY else money
    if dtype in ("int32", "int64"):
        def parse_int(s: str) -> int | None:
            return integer(s, dtype)

        parse_int.plain = lambda values: _plain_integers(values, dtype)
        return parse_int
    if dtype == "float64":
        return number
    if dtype == "boolean":
        return boolean
    if dtype == "date":
        def parse_date(s: str) -> _dt.date | None:
            return date(s, date_order)

        parse_date.plain = _plain_dates
        return parse_date
    if dtype == "timestamp":
        def parse_ts(s: str) -> _dt.datetime | None:
            return timestamp(s, tz, date_order)

        parse_ts.plain = lambda values: _plain_timestamps(values, tz)
        return parse_ts
    return key if is_key else text


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
        except BadValue as e:
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
#: a name :func:`text` keeps as it is: no control or invisible character, no space at either end,
#: and no leading ' or = (Excel's text guards)
_PLAIN_TEXT = f"^[^{WHITESPACE}{_CONTROLS}'=]([^{_CONTROLS}]*[^{WHITESPACE}{_CONTROLS}])?$"
#: an id :func:`key` keeps as it is: ASCII letters, digits and - _ # / : @, no dot (a float), not 1e5
_KEY = "[A-Za-z0-9_#/:@][A-Za-z0-9_#/:@-]*"
_PLAIN_KEY = re.compile(_KEY)
_SCIENTIFIC = "[-+]?[0-9]+[eE][-+]?[0-9]+"
#: amounts below 10^16 with at most two decimals, as :func:`money` reads them
_PLAIN_MONEY = "^-?[0-9]{1,16}([.][0-9]{1,2})?$"
_PLAIN_NUMBER = "^-?[0-9]{1,15}([.][0-9]{1,15})?$"
#: whole numbers that fit their column whatever their digits
_PLAIN_INT = {"int32": "^-?[0-9]{1,9}$", "int64": "^-?[0-9]{1,18}$"}
_DAY = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_TIME = f"{_DAY} [0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}"
_PLAIN_OFFSET = " [+-]([01][0-9]|2[0-3])[0-5][0-9]"


def plain_key(v: str) -> bool:
    """Whether :func:`key` keeps the id ``v`` as it is (one cell of :func:`_plain_key`)."""
    return bool(_PLAIN_KEY.fullmatch(v)) and not re.fullmatch(_SCIENTIFIC, v) and v.lower() not in _PLACEHOLDERS


def _matches(values: pa.Array, pattern: str) -> pa.Array:
    return pc.match_substring_regex(values, pattern).fill_null(False)


def _placeholder(values: pa.Array) -> pa.Array:
    return pc.is_in(pc.ascii_lower(values), value_set=pa.array(sorted(_PLACEHOLDERS))).fill_null(False)


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
    bare = pc.and_(_matches(values, f"^{_KEY}$"), pc.invert(_matches(values, f"^{_SCIENTIFIC}$")))
    guarded = _matches(values, f'^="{_KEY}"$')
    inner = pc.if_else(guarded, pc.utf8_slice_codeunits(values, 2, -1), values)
    ok = pc.and_(pc.or_(bare, pc.and_(guarded, pc.invert(_matches(inner, f"^{_SCIENTIFIC}$")))),
                 pc.invert(_placeholder(inner)))
    return flags(ok), inner


def _plain_money(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = _matches(values, _PLAIN_MONEY)
    out = _cast(values, ok, "0", pa.decimal128(18, 2))
    return (flags(ok), out) if out is not None else (np.zeros(len(values), dtype=bool), None)


def _plain_exact(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = _matches(values, f"^-?[0-9]{{1,{18 - EXACT_PLACES}}}([.][0-9]{{1,{EXACT_PLACES}}})?$")
    out = _cast(values, ok, "0", EXACT)
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
    ok = pc.and_(_matches(values, "^[A-Za-z0-9是否]+$"), pc.is_in(words, value_set=pa.array(sorted(_TRUE | _FALSE))))
    return flags(ok), pc.if_else(ok, pc.is_in(words, value_set=pa.array(sorted(_TRUE))), None)


def _in_window(values: pa.Array) -> pa.Array:
    """Dates or times from the first plausible day to the end of the last."""
    first, last = (_dt.datetime.combine(d, _dt.time()) for d in _window())
    if pa.types.is_date(values.type):
        values = values.cast(pa.timestamp("us"))
    return pc.and_(pc.greater_equal(values, pa.scalar(first, values.type)),
                   pc.less(values, pa.scalar(last + ONE_DAY, values.type))).fill_null(False)


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
    by zoneinfo as :func:`timestamp` converts: once per hour the instants fall in, and certain
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


def group_key(v: str | None) -> str | None:
    """The order a line of a multi-line layout belongs to: its id as :func:`key` reads it, or as
    text where that refuses it (the order id's own column then rejects the line, saying why)."""
    if v is not None and plain_key(v):
        return v
    try:
        return key(v)
    except BadValue:
        return text(v)


text.plain = _plain_text
key.plain = _plain_key
group_key.plain = _plain_key
money.plain = _plain_money
exact.plain = _plain_exact
number.plain = _plain_numbers
boolean.plain = _plain_booleans
