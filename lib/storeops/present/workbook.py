"""Excel workbooks for the people who work in Excel (purchasing): values, not formulas; a frozen
header, filters, number formats, widths that fit, and a totals row."""

from __future__ import annotations

import datetime as _dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from storeops.present import formats
from storeops.present.i18n import Lang, text
from storeops.present.tables import Col

#: Excel number formats by the report's units
NUMBER_FORMATS = {"count": "#,##0", "ratio": "0.00", "rate": "0.0%", "date": "yyyy-mm-dd"}
HEADER_FILL = PatternFill("solid", fgColor="E4E7EB")
HIGHLIGHT_FILL = PatternFill("solid", fgColor="FFF3BF")
BOLD = Font(bold=True)
MAX_WIDTH = 48


@dataclass(frozen=True)
class Sheet:
    """One table on a sheet of its own; ``sums``: columns totalled in a last row; ``highlight``: the
    column purchasing acts on."""

    name: str
    df: pd.DataFrame
    cols: Sequence[Col]
    sums: Sequence[str] = ()
    highlight: str | None = None


def build(sheets: Sequence[Sheet], lang: Lang) -> bytes:
    """The workbook as bytes, one worksheet per :class:`Sheet`, in order."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sh in sheets:
        ws = wb.create_sheet(sheet_name(sh.name, used))
        _fill(ws, sh, lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_name(name: str, used: set[str]) -> str:
    """A name Excel accepts (≤ 31 characters, none of []:*?/\\), unique in the workbook."""
    base = re.sub(r"[\[\]:*?/\\]", "_", str(name)).strip("'") or "_"
    out, n = base[:31], 2
    while out.lower() in used:
        suffix = f" ({n})"
        out, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(out.lower())
    return out


def _fill(ws: Worksheet, sh: Sheet, lang: Lang) -> None:
    headers = [c.label(lang) for c in sh.cols]
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    for _, r in sh.df.iterrows():
        ws.append([_value(r.get(c.name), c.unit) for c in sh.cols])
    last = ws.max_row
    if sh.sums:
        total = [text("workbook.total", lang) if i == 0 else
                 (_value(sh.df[c.name].sum(), c.unit) if c.name in sh.sums else None) for i, c in enumerate(sh.cols)]
        ws.append(total)
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    for j, c in enumerate(sh.cols, start=1):
        fmt = money_format() if c.unit == "money" else NUMBER_FORMATS.get(c.unit)
        for i in range(2, ws.max_row + 1):
            cell = ws.cell(i, j)
            if fmt:
                cell.number_format = fmt
            if c.name == sh.highlight:
                cell.fill = HIGHLIGHT_FILL
        if c.name == sh.highlight:
            ws.cell(1, j).fill = HIGHLIGHT_FILL
        shown = [headers[j - 1]] + [_shown(ws.cell(i, j).value, c.unit, lang) for i in range(2, ws.max_row + 1)]
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(_width(s) for s in shown) + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sh.cols))}{last}"


def money_format() -> str:
    """Excel's number format for the store's currency: its symbol and decimals (£#,##0.00; ¥#,##0 for JPY)."""
    places, sym = formats.digits(), formats.symbol()
    number = "#,##0" + ("." + "0" * places if places else "")
    return f'"{sym}"{number};-"{sym}"{number}'


def _value(v, unit: str):
    """A cell value: numbers as numbers, dates as dates, nothing for a missing figure (never NaN)."""
    if formats.missing(v):
        return None
    if unit == "date":
        return pd.Timestamp(v).date() if not isinstance(v, _dt.date) else v
    if unit == "count":
        return int(round(float(v)))
    if unit in ("money", "ratio", "rate"):
        return round(float(v), formats.digits()) if unit == "money" else float(v)
    return str(v)


def _shown(v, unit: str, lang: Lang) -> str:
    if v is None:
        return ""
    if unit == "date":
        return "yyyy-mm-dd"
    if unit == "money":
        return formats.money(v, "en")
    if unit == "count":
        return f"{int(v):,}"
    if unit == "rate":
        return f"{float(v) * 100:.1f}%"
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
