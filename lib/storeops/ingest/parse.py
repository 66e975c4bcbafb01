"""Values as platforms write them, parsed into canonical types — or a reason why not.

Each parser takes one string and returns the value, ``None`` for an empty cell,
or raises :class:`BadValue` saying what was expected.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd


class BadValue(ValueError):
    """A cell that does not hold what its column needs; the message says what was expected."""


_EMPTY = {"", "-", "--", "null", "none", "nan", "n/a", "无"}


def empty(s: str) -> bool:
    return s is None or str(s).strip().lower() in _EMPTY


def text(s: str) -> str | None:
    """An id or a name: ``="123"`` and a leading apostrophe (Excel's text guards) are removed."""
    if empty(s):
        return None
    s = str(s).strip()
    m = re.fullmatch(r'="(.*)"', s)
    if m:
        s = m.group(1)
    if s.startswith("'"):
        s = s[1:]
    return s.strip() or None


_MONEY = re.compile(r"^[-+]?\d+(\.\d+)?$")


def money(s: str) -> Decimal | None:
    """¥1,234.00 / 1234 / -5.5 / （1,234.00） → Decimal with 2 places (more would lose cents: refused)."""
    if empty(s):
        return None
    t = str(s).strip().replace("¥", "").replace("￥", "").replace("$", "").replace("RMB", "").replace("元", "")
    t = t.replace(",", "").replace("，", "").replace(" ", "")
    neg = t.startswith(("(", "（")) and t.endswith((")", "）"))
    if neg:
        t = "-" + t[1:-1]
    if not _MONEY.match(t):
        raise BadValue(f"expected an amount like 1234.56, got {s!r}")
    d = Decimal(t)
    if d != d.quantize(Decimal("0.01")):
        raise BadValue(f"expected at most 2 decimals (cents), got {s!r}")
    return d.quantize(Decimal("0.01"))


def integer(s: str) -> int | None:
    if empty(s):
        return None
    t = str(s).strip().replace(",", "")
    if re.fullmatch(r"[-+]?\d+(\.0+)?", t):
        return int(Decimal(t))
    raise BadValue(f"expected a whole number, got {s!r}")


def number(s: str) -> float | None:
    if empty(s):
        return None
    t = str(s).strip().replace(",", "").rstrip("%")
    try:
        v = float(t)
    except ValueError:
        raise BadValue(f"expected a number, got {s!r}") from None
    return v / 100 if str(s).strip().endswith("%") else v


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


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日", "%m/%d/%Y")


def date(s: str) -> _dt.date | None:
    if empty(s):
        return None
    t = str(s).strip()
    t = t.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} 00:00(:00)?$", t) else t
    for f in _DATE_FORMATS:
        try:
            return _dt.datetime.strptime(t, f).date()
        except ValueError:
            continue
    raise BadValue(f"expected a date like 2026-11-26, got {s!r}")


_TS_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
               "%Y-%m-%dT%H:%M", "%Y%m%d %H:%M:%S", "%Y年%m月%d日 %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f",
               "%Y-%m-%dT%H:%M:%S.%f")
_OFFSET = re.compile(r"^(.*?)[ T]?([+-]\d{2}:?\d{2}|Z)$")


def timestamp(s: str, tz: str) -> _dt.datetime | None:
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
        try:
            v = _dt.datetime.combine(date(t), _dt.time())
        except BadValue:
            raise BadValue(f"expected a time like 2026-11-26 10:15:00, got {s!r}") from None
    if offset:
        o = "+0000" if offset == "Z" else offset.replace(":", "")
        aware = _dt.datetime.strptime(v.strftime("%Y-%m-%d %H:%M:%S.%f") + o, "%Y-%m-%d %H:%M:%S.%f%z")
        v = aware.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    return v


_PROVINCE_SUFFIX = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$")


def province(s: str) -> str | None:
    """The province of a Chinese address: its first word, without 省/市/自治区."""
    if empty(s):
        return None
    first = re.split(r"[\s,，]+", str(s).strip())[0]
    return _PROVINCE_SUFFIX.sub("", first) or None


def for_dtype(dtype: str, tz: str):
    """The parser for a canonical column type."""
    if dtype.startswith("decimal"):
        return money
    if dtype in ("int32", "int64"):
        return integer
    if dtype == "float64":
        return number
    if dtype == "boolean":
        return boolean
    if dtype == "date":
        return date
    if dtype == "timestamp":
        def parse_ts(s: str) -> _dt.datetime | None:
            return timestamp(s, tz)

        parse_ts.is_timestamp = True  # column() may take its vectorised path
        return parse_ts
    return text


def column(values: pd.Series, parser) -> tuple[list, dict[int, str]]:
    """Parse a column: (values, {row position: reason}) — every cell is tried, none is dropped.

    Each distinct cell is parsed once (prices and statuses repeat thousands of
    times); timestamps in the common layout are parsed in one vectorised pass.
    """
    raw = values.tolist()
    fast = _fast_timestamps(values) if getattr(parser, "is_timestamp", False) else {}
    cache: dict[object, tuple[object, str | None]] = {}
    out, bad = [], {}
    for i, v in enumerate(raw):
        if i in fast:
            out.append(fast[i])
            continue
        hit = cache.get(v)
        if hit is None:
            try:
                hit = (parser(v), None)
            except BadValue as e:
                hit = (None, str(e))
            cache[v] = hit
        out.append(hit[0])
        if hit[1]:
            bad[i] = hit[1]
    return out, bad


def _fast_timestamps(values: pd.Series) -> dict[int, _dt.datetime]:
    s = values.astype(str).str.strip()
    parsed = pd.to_datetime(s.where(s.str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"), None),
                            format="%Y-%m-%d %H:%M:%S", errors="coerce")
    ok = parsed.notna().to_numpy()
    return dict(zip(ok.nonzero()[0].tolist(), parsed[ok].dt.to_pydatetime().tolist()))
