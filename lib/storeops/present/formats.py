"""Numbers as a store team reads them, per locale.

zh: large amounts in 万/亿 (¥12.3万); en: thousands separators (¥123,456).
Percentages with one decimal. Missing values are "—", never nan/None/inf.
"""

from __future__ import annotations

import decimal
import math
from typing import Any

import pandas as pd

from storeops.present.i18n import Lang

DASH = "—"
Number = int | float | decimal.Decimal | None


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


def money(v: Number, lang: Lang, symbol: str = "¥") -> str:
    """>>> money(123456, "zh"), money(123456, "en"), money(370.355, "en")
    ('¥12.3万', '¥123,456', '¥370.36')
    """
    if missing(v):
        return DASH
    x = float(v)
    sign = "-" if x < 0 else ""
    a = abs(x)
    if lang == "zh" and a >= 1e8:
        return f"{sign}{symbol}{a / 1e8:.2f}亿"
    if lang == "zh" and a >= 1e4:
        return f"{sign}{symbol}{a / 1e4:.1f}万"
    if a >= 1e4:
        return f"{sign}{symbol}{a:,.0f}"
    return f"{sign}{symbol}{a:,.2f}"


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


def value(v: Number, unit: str, lang: Lang) -> str:
    """Format by a registry unit."""
    if unit == "money":
        return money(v, lang)
    if unit == "rate":
        return pct(v)
    if unit == "ratio":
        return DASH if missing(v) else f"{float(v):.2f}"
    if unit == "seconds":
        return DASH if missing(v) else f"{float(v):.0f}s"
    return count(v, lang)


def signed_money(v: Number, lang: Lang) -> str:
    """A money change with its sign: +¥1.3万 / −¥578.98."""
    if missing(v):
        return DASH
    return ("+" if float(v) >= 0 else "−") + money(abs(v), lang)


def relative_change(now: Number, before: Number) -> float | None:
    """(now − before) ÷ before; None when either is missing or before is 0."""
    if missing(now) or missing(before) or float(before) == 0:
        return None
    return float(now) / float(before) - 1
