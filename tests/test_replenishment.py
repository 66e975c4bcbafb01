"""The replenishment report's sections and workbook on the hand-worked store of
tests/metrics/test_replenishment.py (its docstring has the figures)."""

from __future__ import annotations

import datetime as _dt
import io

import openpyxl
import pytest

from storeops import config, replenishment
from storeops.periods import Period
from storeops.reviews.context import ReviewContext, missing_for
from tests.conftest import write_config
from tests.metrics.test_replenishment import D
from tests.metrics.test_replenishment import t as store  # noqa: F401 — the hand-worked store


@pytest.fixture(params=["zh", "en"])
def ctx(request, store, con, tmp_path):  # noqa: F811
    cfg = config.load(write_config(tmp_path))
    return ReviewContext(cfg, con, Period.day(D), request.param, review="replenishment")


def test_the_table_shows_what_needs_a_decision_and_names_the_gaps(ctx):
    html = replenishment.table(ctx)
    rows = html.data["replenishment"]
    assert rows.sku.tolist() == ["H", "S", "L", "M"]  # orders or warnings; N, X, Z are ok with nothing to order
    page = str(html)
    if ctx.lang == "en":
        assert "1 SKUs have no lead time and are planned with the default 15 days: S." in page
        assert "1 SKUs have a negative stock count (a data error), taken as 0: X." in page
        assert "1 SKUs have no stock count for the day" in page
        assert "reorder now · urgent" in page
    else:
        assert "按默认 15 天计算：S" in page and "库存为负数" in page and "立即补货 · 紧急" in page


def test_overview_counts_and_figures_for_summary_json(ctx):
    html = replenishment.overview(ctx)
    assert html.data["urgent"].sku.tolist() == ["H"]
    assert html.data["hot_arrivals"].sku.tolist() == ["H"] and html.data["hot_arrivals"].arrivals.iloc[0] == "11-29 ×2"
    s = ctx.shown
    assert (s["skus_reorder"], s["skus_watch"], s["skus_overstock"], s["skus_no_count"], s["skus_ok"]) == (1, 1, 1, 1, 3)
    assert s["skus_urgent"] == s["action_replenish_urgent"] == 1
    assert s["suggested_qty"] == 76 and s["order_value"] == 680 and s["stock_value"] == 60 + 55 + 4000 + 180


def test_ledger_of_the_last_iso_week(ctx):
    # D is Thursday 11-26: the ledger is W47 (11-16 … 11-22).
    # H: 8 + 10 (po5, 11-22) − 6 (11-17, 19, 21) + 1 (refunded 11-22) = 13, counted 8 → −5 (−¥50)
    # S: 40 − 7 = 33, counted 40 → +7 (¥35); L: 500 − 2 = 498, counted 500 → +2 (¥16); the rest 0
    assert replenishment.ledger_period(D) == Period.parse("2026-W47")
    html = replenishment.ledger(ctx)
    assert ctx.shown["ledger_difference"] == 4 and ctx.shown["ledger_difference_value"] == 1
    assert html.data["ledger_differences"].sku.tolist() == ["H", "S", "L"]  # largest at cost first
    by_cat = html.data["ledger_by_category"]
    assert by_cat.difference.tolist()[-1] == 4  # the total row


def test_workbook_one_sheet_per_supplier_with_totals_and_formats(ctx):
    wb = openpyxl.load_workbook(io.BytesIO(replenishment.workbook(ctx)))
    summary_name = "汇总(按供应商)" if ctx.lang == "zh" else "Summary by supplier"
    assert wb.sheetnames == [summary_name, "按状态" if ctx.lang == "zh" else "By status",
                             "按分级" if ctx.lang == "zh" else "By class", "S1", "S2"]
    s1 = wb["S1"]
    header = [c.value for c in s1[1]]
    assert header[:2] == (["SKU", "商品"] if ctx.lang == "zh" else ["SKU", "Product"])
    col = {h: i + 1 for i, h in enumerate(header)}
    suggested = "建议补货量" if ctx.lang == "zh" else "Suggested order"
    value = "补货金额(成本)" if ctx.lang == "zh" else "Order value at cost"
    assert [s1.cell(r, 1).value for r in range(2, s1.max_row + 1)] == ["H", "S", "合计" if ctx.lang == "zh" else "Total"]
    assert [s1.cell(r, col[suggested]).value for r in (2, 3, 4)] == [60, 16, 76]
    assert [s1.cell(r, col[value]).value for r in (2, 3, 4)] == [600, 80, 680]
    assert s1.cell(4, 1).font.b
    assert s1.freeze_panes == "A2" and s1.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}3"
    assert s1.cell(2, col[value]).number_format == '"¥"#,##0.00;-"¥"#,##0.00' and s1.cell(2, col[suggested]).number_format == "#,##0"
    runs_out = "预计断货" if ctx.lang == "zh" else "Runs out"
    assert s1.cell(2, col[runs_out]).value == _dt.datetime(2026, 12, 2)
    assert s1.cell(2, col[runs_out]).number_format == "yyyy-mm-dd"
    assert s1.cell(1, col[suggested]).fill.fgColor.rgb.endswith("FFF3BF")  # the column purchasing acts on
    assert s1.column_dimensions["B"].width >= len("T") + 2
    summary = wb[summary_name]
    assert [[c.value for c in r] for r in summary.iter_rows(min_row=2)] == [
        ["S1", 2, 17, 115, 76, 680], ["S2", 5, 527, 4180, 0, 0],
        ["合计" if ctx.lang == "zh" else "Total", 7, 544, 4295, 76, 680]]
    # no NaN anywhere: a missing figure is an empty cell
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert not any(isinstance(v, float) and v != v for v in row)


def test_freshness_needs_the_days_stock_count_and_yesterdays_orders(store, con):  # noqa: F811
    assert missing_for("replenishment", con, Period.day(D)) == {}
    later = Period.day(D + _dt.timedelta(days=1))  # no count on 11-27, orders of 11-26 only
    assert missing_for("replenishment", con, later) == {"inventory": [later.start]}
    assert missing_for("replenishment", con, Period.day(D + _dt.timedelta(days=3))) == {
        "inventory": [D + _dt.timedelta(days=3)], "orders": [D + _dt.timedelta(days=2)]}
