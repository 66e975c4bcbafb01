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

import pyarrow as pa


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


#: an id :func:`key` keeps as it is: ASCII letters, digits and - _ # / : @, no dot (a float), not 1e5
_KEY = "[A-Za-z0-9_#/:@][A-Za-z0-9_#/:@-]*"
_PLAIN_KEY = re.compile(_KEY)
_SCIENTIFIC = "[-+]?[0-9]+[eE][-+]?[0-9]+"


def plain_key(v: str) -> bool:
    """Whether :func:`key` keeps the id ``v`` as it is (one cell of :func:`storeops.ingest.plain._plain_key`)."""
    return bool(_PLAIN_KEY.fullmatch(v)) and not re.fullmatch(_SCIENTIFIC, v) and v.lower() not in _PLACEHOLDERS


def group_key(v: str | None) -> str | None:
    """The order a line of a multi-line layout belongs to: its id as :func:`key` reads it, or as
    text where that refuses it (the order id's own column then rejects the line, saying why)."""
    if v is not None and plain_key(v):
        return v
    try:
        return key(v)
    except BadValue:
        return text(v)
