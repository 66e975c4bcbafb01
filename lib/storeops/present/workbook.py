"""Excel workbooks for the people who work in Excel (purchasing): the document a clerk sends as it
is. Each sheet: a frozen header, filters, number formats (money in the store's currency, whole
units), widths that fit, totals as SUBTOTAL formulas that follow the filters, more tables below
after a gap (the SKUs not to order, the purchase orders to chase), and a print layout: landscape,
one page wide, the header row on every page, the sheet's title in the page header."""

from __future__ import annotations

import datetime as _dt
import io
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from storeops.present import formats, tables
from storeops.present.i18n import Lang, text
from storeops.present.tables import Col

#: Excel number formats by the report's units
NUMBER_FORMATS = {"count": "#,##0", "units": "#,##0", "days": "#,##0", "ratio": "0.00", "rate": "0.0%",
                  "date": "yyyy-mm-dd"}
#: what a header says its figures count (件 / pcs, 天 / days)
UNIT_WORDS = {"units": "workbook.pcs", "days": "workbook.days"}
HEADER_FILL = PatternFill("solid", fgColor="E4E7EB")
HIGHLIGHT_FILL = PatternFill("solid", fgColor="FFF3BF")
BOLD = Font(bold=True)
MAX_WIDTH = 48


@dataclass(frozen=True)
class Block:
    """A table further down a sheet, after a blank row, under a title of its own."""

    title: str
    df: pd.DataFrame
    cols: Sequence[Col]


@dataclass(frozen=True)
class Sheet:
    """One table on a sheet of its own; ``sums``: columns totalled in a last row (SUBTOTAL: what the
    filters leave); ``highlight``: the column purchasing acts on; ``more``: tables below it;
    ``header``: the printed page's header (supplier, date, store)."""

    name: str
    df: pd.DataFrame
    cols: Sequence[Col]
    sums: Sequence[str] = ()
    highlight: str | None = None
    more: Sequence[Block] = ()
    header: str = ""


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
    headers = [_header(c, lang) for c in sh.cols]
    _table(ws, headers, sh.df, sh.cols, lang)
    last = ws.max_row
    if sh.sums:
        total = [text("workbook.total", lang) if i == 0 else
                 (f"=SUBTOTAL(109,{get_column_letter(i + 1)}2:{get_column_letter(i + 1)}{last})"
                  if c.name in sh.sums and last > 1 else None) for i, c in enumerate(sh.cols)]
        ws.append(total)
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    _formats(ws, sh.cols, 2, ws.max_row, sh.highlight)
    if sh.highlight in [c.name for c in sh.cols]:
        ws.cell(1, [c.name for c in sh.cols].index(sh.highlight) + 1).fill = HIGHLIGHT_FILL
    shown: dict[int, list[str]] = {}  # per column, what its cells show: the columns fit every table

    def seen(cols: Sequence[Col], heads: list[str], first: int) -> None:
        for j, (c, h) in enumerate(zip(cols, heads), start=1):
            shown.setdefault(j, []).extend([h] + [_shown(ws.cell(r, j).value, c.unit)
                                                  for r in range(first, ws.max_row + 1)])

    seen(sh.cols, headers, 2)
    for b in sh.more:
        ws.append([])
        ws.append([b.title])
        ws.cell(ws.max_row, 1).font = BOLD
        heads = [_header(c, lang) for c in b.cols]
        _table(ws, heads, b.df, b.cols, lang)
        top = ws.max_row - len(b.df) + 1
        _formats(ws, b.cols, top, ws.max_row)
        seen(b.cols, heads, top)
    for j, cells in shown.items():
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(_width(s) for s in cells) + 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sh.cols))}{last}"
    _print(ws, sh.header or sh.name)


def _table(ws: Worksheet, headers: list[str], df: pd.DataFrame, cols: Sequence[Col], lang: Lang) -> None:
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=False)
    variant = not any(c.name in ("color", "size") for c in cols)  # as present.tables.data_table
    for _, r in df.iterrows():
        ws.append([tables.product_name(r, lang, variant) if c.unit == "product" else _value(r.get(c.name), c.unit)
                   for c in cols])


def _formats(ws: Worksheet, cols: Sequence[Col], first: int, last: int, highlight: str | None = None) -> None:
    for j, c in enumerate(cols, start=1):
        fmt = money_format() if c.unit == "money" else NUMBER_FORMATS.get(c.unit)
        for i in range(first, last + 1):
            cell = ws.cell(i, j)
            if fmt:
                cell.number_format = fmt
            if c.name == highlight:
                cell.fill = HIGHLIGHT_FILL


def _header(c: Col, lang: Lang) -> str:
    """A column's header, with what its figures count where it does not say: 建议补货量（件）, Lead time
    (days), but 可售天数 and Days overdue as they are."""
    label = c.label(lang)
    says = c.unit == "days" and ("天" in label or "day" in label.lower())
    return label + (text(UNIT_WORDS[c.unit], lang) if c.unit in UNIT_WORDS and not says else "")


def _print(ws: Worksheet, header: str) -> None:
    """Landscape, fitted to one page wide (as many pages long as it takes), the header row on every
    page, ``header`` and the page number in the page header and footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = header.replace("&", "&&")
    ws.oddFooter.right.text = "&P / &N"
    ws.print_options.gridLines = True


def money_format() -> str:
    """Excel's number format for the store's currency: its symbol and decimals (£#,##0.00; ¥#,##0 for JPY)."""
    places, sym = formats.digits(), formats.symbol()
    number = "#,##0" + ("." + "0" * places if places else "")
    return f'"{sym}"{number};-"{sym}"{number}'


def _value(v, unit: str):
    """A cell value: numbers as numbers, dates as dates, nothing for a missing figure (never NaN);
    units to hold (safety stock, a reorder point) rounded up, days of cover down, as a whole."""
    if formats.missing(v):
        return None
    if unit == "date":
        return pd.Timestamp(v).date() if not isinstance(v, _dt.date) else v
    if unit == "count":
        return int(round(float(v)))
    if unit == "units":
        return int(math.ceil(float(v) - 1e-9))
    if unit == "days":
        return int(math.floor(float(v) + 1e-9))
    if unit in ("money", "ratio", "rate"):
        return round(float(v), formats.digits()) if unit == "money" else float(v)
    return str(v)


def _shown(v, unit: str) -> str:
    """About what Excel shows in a cell: for the column's width."""
    if v is None:
        return ""
    if isinstance(v, str) and v.startswith("=SUBTOTAL"):
        return "9,999,999"
    if unit == "date":
        return "yyyy-mm-dd"
    if unit == "money":
        return formats.money(v, "en")
    if unit in ("count", "units", "days"):
        return f"{int(v):,}"
    if unit == "rate":
        return f"{float(v) * 100:.1f}%"
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
