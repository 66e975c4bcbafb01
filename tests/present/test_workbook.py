"""The Excel writer: names Excel accepts, widths that fit CJK text, values never NaN."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from storeops.present import workbook
from storeops.present.tables import Col


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    names = [workbook.sheet_name(n, used) for n in ("杭州/织造 [A]", "x" * 40, "x" * 40, "Sheet", "sheet")]
    assert names[0] == "杭州_织造 _A_"
    assert names[1] == "x" * 31 and names[2] == "x" * 27 + " (2)" and len(names[2]) == 31
    assert names[4] == "sheet (2)"  # Excel compares names without case


def test_widths_values_and_totals():
    df = pd.DataFrame({"name": ["百搭羽绒服 2025新款", "T"], "qty": [3, None], "cost": [1.5, 2.25]})
    data = workbook.build([workbook.Sheet("s", df, [Col("name", "col.product"), Col("qty", "col.qty", "count"),
                                                    Col("cost", "col.unit_cost", "money")], sums=["qty", "cost"])], "en")
    ws = openpyxl.load_workbook(io.BytesIO(data))["s"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [
        ["Product", "Qty", "Unit cost"], ["百搭羽绒服 2025新款", 3, 1.5], ["T", None, 2.25],
        ["Total", "=SUBTOTAL(109,B2:B3)", "=SUBTOTAL(109,C2:C3)"]]
    assert ws.column_dimensions["A"].width == 7 * 2 + 5 + 2  # its 7 CJK characters count double, " 2025" single
    assert ws.auto_filter.ref == "A1:C3"  # the data, not the totals row
