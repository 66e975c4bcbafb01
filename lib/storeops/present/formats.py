"""Numbers as a store team reads them, per locale and in the store's currency.

Money follows the store's currency (ISO 4217, ``store.currency``): its symbol as the currency's
own market writes it (CLDR, via Babel: £, $, R$, R, ¥…; the report names the code once) and its
decimals (JPY has none). The grouping follows the reader: zh reads large amounts in 万/亿 whatever
the currency (¥12.3万, US$ readers in zh included: the reader's habit, not the money's), en in
thousands (£123,456). Babel's own compact form is not used: it drops the separator inside 万
(¥2530.6万) and turns en amounts into K/M. Percentages with one decimal; missing values are "—",
never nan/None/inf; a negative amount takes a true minus sign (−£12.30).
"""

from __future__ import annotations

import decimal
import functools
import math
from typing import Any

import pandas as pd

from storeops.present.i18n import Lang

DASH = "—"
MINUS = "−"
Number = int | float | decimal.Decimal | None
#: the currency of the store being reported (one store per process: a review, a mail, an archive)
_currency = "CNY"


def set_currency(code: str) -> None:
    """Make ``code`` the currency money is written in from now on (the review's store's)."""
    global _currency
    _currency = check_currency(code)


def currency() -> str:
    return _currency


def check_currency(code: str) -> str:
    """``code`` if it is an ISO 4217 currency CLDR knows, else ValueError."""
    from babel.numbers import get_currency_precision, is_currency

    if not isinstance(code, str) or not is_currency(code.upper()):
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (CNY, USD, GBP, EUR, JPY …)")
    if get_currency_precision(code.upper()) > 2:  # the warehouse keeps money to the cent (DECIMAL(18,2))
        raise ValueError(f"{code.upper()} has {get_currency_precision(code.upper())} decimals; storeops keeps "
                         "amounts to 2")
    return code.upper()


def symbol(code: str | None = None) -> str:
    """The symbol the currency's own market writes: ¥ for CNY and JPY, $ for USD, R for ZAR, £, R$…

    CLDR gives a symbol per locale (en writes CN¥ and ZAR, zh writes US$); the locale of the
    currency's own territory (the code's first two letters) gives the one its shops use.
    """
    return _symbol(code or _currency)


def digits(code: str | None = None) -> int:
    """The currency's minor-unit decimals (2; JPY and KRW 0)."""
    from babel.numbers import get_currency_precision

    return get_currency_precision(code or _currency)


@functools.cache
def _symbol(code: str) -> str:
    from babel import localedata
    from babel.numbers import get_currency_symbol

    home = [i for i in localedata.locale_identifiers() if i.endswith("_" + code[:2])]
    for loc in sorted(home, key=lambda i: (not i.startswith("en_"), not i.startswith("zh_Hans"), i)):
        s = get_currency_symbol(code, loc)
        if s != code:
            return s
    return get_currency_symbol(code, "en")


def missing(v: Any) -> bool:
    """None, NaN, NA, NaT or ±inf: shown as a dash."""
    if v is None:
        return True
    if isinstance(v, float):
        return not math.isfinite(v)
    if isinstance(v, (int, decimal.Decimal, str)):
        return False
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


#: how the amounts of a column are written: divided by ``unit``, with ``places`` decimals and ``suffix``
Scale = tuple[float, int, str]


def scale_of(values, lang: Lang, currency: str | None = None) -> Scale:
    """One way to write every amount of a column, chosen once from its largest: in zh 亿 or 万 (with a
    second decimal where a smaller amount shares the column, so that ¥3,869.79 beside ¥2.8万 reads
    ¥0.39万, not a figure of another kind), in en whole amounts from 10,000 on; else the currency's
    decimals.

    >>> scale_of([3869.79, 28000], "zh"), scale_of([3869.79, 28000], "en"), scale_of([12.5, 99], "en")
    ((10000.0, 2, '万'), (1.0, 0, ''), (1.0, 2, ''))
    >>> scale_of([25306000, 28000], "zh")
    (10000.0, 1, '万')
    """
    sizes = [abs(float(v)) for v in values if not missing(v)]
    top = max(sizes, default=0.0)
    if lang == "zh" and top >= 1e4:
        unit, suffix = (1e8, "亿") if top >= 1e8 else (1e4, "万")
        return unit, 1 if unit == 1e4 and min((x for x in sizes if x), default=top) >= 1e4 else 2, suffix
    return 1.0, 0 if top >= 1e4 else digits(currency), ""


def money(v: Number, lang: Lang, currency: str | None = None, scale: Scale | None = None) -> str:
    """An amount in the store's currency (or ``currency``), grouped as the reader reads; ``scale``:
    as the other amounts of its column are written (:func:`scale_of`).

    >>> money(123456, "zh"), money(123456, "en"), money(370.355, "en"), money(-1234.5, "en", "GBP")
    ('¥12.3万', '¥123,456', '¥370.36', '−£1,234.50')
    >>> money(3869.79, "zh", scale=(1e4, 2, "万")), money(25306000, "zh", scale=(1e4, 2, "万"))
    ('¥0.39万', '¥2,530.60万')
    """
    if missing(v):
        return DASH
    sym, places = symbol(currency), digits(currency)
    x = float(v)
    a = abs(x)
    if scale is None:
        scale = (1e8, 2, "亿") if lang == "zh" and a >= 1e8 else (1e4, 1, "万") if lang == "zh" and a >= 1e4 \
            else (1.0, 0 if a >= 1e4 else places, "")
    unit, shown, suffix = scale
    sign = MINUS if x < 0 and round(a / unit, shown) > 0 else ""
    return f"{sign}{sym}{a / unit:,.{shown}f}{suffix}"


def count(v: Number, lang: Lang) -> str:
    """A count of things, grouped as the reader reads.

    >>> count(12345, "zh"), count(12345, "en")
    ('1.2万', '12,345')
    """
    if missing(v):
        return DASH
    x = float(v)
    if lang == "zh" and abs(x) >= 1e4:
        return f"{x / 1e4:.1f}万"
    return f"{x:,.0f}"


def pct(v: Number, lang: Lang | None = None, places: int = 1) -> str:
    """A share as a percentage with one decimal (or ``places``: :func:`pct_places`).

    >>> pct(0.03251), pct(0.03251, places=2)
    ('3.3%', '3.25%')
    """
    return DASH if missing(v) else f"{float(v) * 100:.{places}f}%"


def pct_places(values) -> int:
    """The decimals a column of percentages needs for its different values to read differently
    (4.02% and 3.98% are not both 4.0%): one, or two where one is not enough.

    >>> pct_places([0.0402, 0.0398]), pct_places([0.041, 0.052])
    (2, 1)
    """
    shares = {round(float(v), 4) for v in values if not missing(v)}
    return 1 if len({round(x * 100, 1) for x in shares}) == len(shares) else 2


def duration(seconds: Number, lang: Lang) -> str:
    """A time span as a reader says it: 45秒 / 10分05秒 / 1小时05分, and 45s / 10m 05s / 1h 05m.

    >>> duration(605, "zh"), duration(605, "en"), duration(45.4, "en"), duration(3930, "zh")
    ('10分05秒', '10m 05s', '45s', '1小时05分')
    """
    if missing(seconds):
        return DASH
    s = int(round(float(seconds)))
    h, m, sec = s // 3600, s % 3600 // 60, s % 60
    zh = lang == "zh"
    if h:
        return f"{h}小时{m:02d}分" if zh else f"{h}h {m:02d}m"
    if m:
        return f"{m}分{sec:02d}秒" if zh else f"{m}m {sec:02d}s"
    return f"{sec}秒" if zh else f"{sec}s"


def change(v: Number) -> str:
    """A relative change with its sign: +4.1% / −2.0% (a true minus sign)."""
    if missing(v):
        return DASH
    x = float(v) * 100
    return f"+{x:.1f}%" if x >= 0.05 else (f"−{abs(x):.1f}%" if x <= -0.05 else "0.0%")


def value(v: Number, unit: str, lang: Lang, currency: str | None = None) -> str:
    """Format by a registry unit (money in ``currency``, by default the store's)."""
    if unit == "money":
        return money(v, lang, currency)
    if unit == "rate":
        return pct(v)
    if unit == "ratio":
        return DASH if missing(v) else f"{float(v):.2f}"
    if unit == "seconds":
        return duration(v, lang)
    return count(v, lang)


def signed_money(v: Number, lang: Lang, currency: str | None = None) -> str:
    """A money change with its sign: +¥1.3万 / −¥578.98 (what rounds to nothing: +¥0.00)."""
    if missing(v):
        return DASH
    shown = money(abs(v), lang, currency)
    return (MINUS if float(v) < 0 and money(0, lang, currency) != shown else "+") + shown


def relative_change(now: Number, before: Number) -> float | None:
    """(now − before) ÷ before; None when either is missing or before is 0."""
    if missing(now) or missing(before) or float(before) == 0:
        return None
    return float(now) / float(before) - 1
