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


def money(v: Number, lang: Lang, currency: str | None = None) -> str:
    """An amount in the store's currency (or ``currency``), grouped as the reader reads.

    >>> money(123456, "zh"), money(123456, "en"), money(370.355, "en"), money(-1234.5, "en", "GBP")
    ('¥12.3万', '¥123,456', '¥370.36', '−£1,234.50')
    """
    if missing(v):
        return DASH
    sym, places = symbol(currency), digits(currency)
    x = float(v)
    sign = MINUS if x < 0 and round(abs(x), places) > 0 else ""
    a = abs(x)
    if lang == "zh" and a >= 1e8:
        return f"{sign}{sym}{a / 1e8:,.2f}亿"
    if lang == "zh" and a >= 1e4:
        return f"{sign}{sym}{a / 1e4:,.1f}万"
    if a >= 1e4:
        return f"{sign}{sym}{a:,.0f}"
    return f"{sign}{sym}{a:,.{places}f}"


def count(v: Number, lang: Lang) -> str:
    """>>> count(12345, "zh"), count(12345, "en")
    ('1.2万', '12,345')
    """
    if missing(v):
        return DASH
    x = float(v)
    if lang == "zh" and abs(x) >= 1e4:
        return f"{x / 1e4:.1f}万"
    return f"{x:,.0f}"


def pct(v: Number, lang: Lang | None = None) -> str:
    """A share as a percentage with one decimal: >>> pct(0.03251) → '3.3%'."""
    return DASH if missing(v) else f"{float(v) * 100:.1f}%"


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
        return DASH if missing(v) else f"{float(v):.0f}s"
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
