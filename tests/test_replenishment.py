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
        assert "1 SKU has no lead time and is planned with the default 15 days: S." in page
        assert "1 SKU has a negative stock count (a data error), taken as 0: X." in page
        assert "1 SKU has no stock count for the day" in page
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
    zh = ctx.lang == "zh"
    wb = openpyxl.load_workbook(io.BytesIO(replenishment.workbook(ctx)))
    summary_name = "汇总(按供应商)" if zh else "Summary by supplier"
    assert wb.sheetnames == [summary_name, "按状态" if zh else "By status", "按分级" if zh else "By class", "S1", "S2"]
    s1 = wb["S1"]
    header = [c.value for c in s1[1]]
    suggested, value = ("建议补货量（件）", "补货金额(成本)") if zh else ("Suggested order (pcs)", "Order value at cost")
    order_by, delivery = ("最晚下单日", "预计交货") if zh else ("Order by", "Delivery")
    assert header[:7] == (["SKU", "商品", "颜色", "尺码", suggested, order_by, delivery] if zh else
                          ["SKU", "Product", "Colour", "Size", suggested, order_by, delivery])
    col = {h: i + 1 for i, h in enumerate(header)}
    letter = openpyxl.utils.get_column_letter
    # S1 orders both its SKUs: H (reorder now: today, delivery after its 9-day lead time, 12-05) first, then S
    # (watch: 21 − 15 = 6 days above its reorder point → order by 12-02, 15 days' lead → 12-17)
    assert [s1.cell(r, 1).value for r in range(2, 5)] == ["H", "S", "合计" if zh else "Total"]
    assert [s1.cell(r, col[suggested]).value for r in (2, 3)] == [60, 16]
    assert [s1.cell(r, col[order_by]).value.date() for r in (2, 3)] == [D, _dt.date(2026, 12, 2)]
    assert [s1.cell(r, col[delivery]).value.date() for r in (2, 3)] == [_dt.date(2026, 12, 5), _dt.date(2026, 12, 17)]
    # totals are formulas that follow the filters: SUBTOTAL over the rows above (60 + 16, 600 + 80)
    for name, want in ((suggested, 76), (value, 680)):
        c = letter(col[name])
        assert s1.cell(4, col[name]).value == f"=SUBTOTAL(109,{c}2:{c}3)"
        assert sum(s1.cell(r, col[name]).value for r in (2, 3)) == want
    assert s1.cell(4, 1).font.b
    assert s1.freeze_panes == "A2" and s1.auto_filter.ref == f"A1:{letter(len(header))}3"
    assert s1.cell(2, col[value]).number_format == '"¥"#,##0.00;-"¥"#,##0.00'
    assert s1.cell(2, col[suggested]).number_format == "#,##0"
    # whole units and days: H's safety stock 5.03 → 6 units to hold, reorder point 14.03 → 15; S 11 days
    ss, rop = ("安全库存（件）", "补货点（件）") if zh else ("Safety stock (pcs)", "Reorder point (pcs)")
    cover = "可售天数" if zh else "Days of cover"  # says days already
    assert (s1.cell(2, col[ss]).value, s1.cell(2, col[rop]).value, s1.cell(3, col[cover]).value) == (6, 15, 11)
    runs_out = "预计断货" if zh else "Runs out"
    assert s1.cell(2, col[runs_out]).value == _dt.datetime(2026, 12, 2)
    assert s1.cell(2, col[runs_out]).number_format == "yyyy-mm-dd"
    assert s1.cell(1, col[suggested]).fill.fgColor.rgb.endswith("FFF3BF")  # the column purchasing acts on
    # printed as it is sent: landscape, one page wide, the header row on every page, who and when on top
    assert s1.page_setup.orientation == "landscape" and s1.page_setup.fitToWidth == 1
    assert s1.sheet_properties.pageSetUpPr.fitToPage and s1.print_title_rows == "$1:$1"
    assert s1.oddHeader.center.text.startswith("S1 · ") and D.isoformat() in s1.oddHeader.center.text
    # S2 has nothing to order: no rows above its total, its SKUs after a gap, under their own title
    s2 = wb["S2"]
    assert s2.cell(2, 1).value == ("合计" if zh else "Total") and s2.cell(3, 1).value is None
    assert s2.cell(4, 1).value == ("其余SKU（本次无需补货）" if zh else "The other SKUs (nothing to order this time)")
    assert [s2.cell(r, 1).value for r in range(6, 11)] == ["L", "M", "N", "X", "Z"]
    summary = wb[summary_name]
    assert [[c.value for c in r] for r in summary.iter_rows(min_row=2, max_row=2)] == [["S1", 2, 76, 680]]
    assert summary.cell(3, 3).value == "=SUBTOTAL(109,C2:C2)"
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


def test_a_hot_sku_at_zero_comes_first_and_overdue_orders_are_chased(ctx, con):
    # H (hot) counted 0 on D, and po1 (H, 2 units) was due 11-20: 6 days overdue at D. The daily of D
    # opens with H out of stock, then lists po1 to chase; the Thursday table marks H urgent, lists po1
    # (supplier S1, runs out D), and leaves its 2 units out of H's cover (the default).
    from storeops.reviews.actions import action_items

    con.raw_sql("UPDATE inventory SET on_hand = 0 WHERE sku = 'H' AND date = DATE '2026-11-26'")
    con.raw_sql("UPDATE purchase_orders SET expected_on = DATE '2026-11-20' WHERE po_id = 'po1'")
    day = ReviewContext(ctx.cfg, con, Period.day(D), ctx.lang)
    items = [a for a in action_items(day) if a.count]
    title = "TH（PH）" if ctx.lang == "zh" else "TH (PH)"
    assert (items[0].key, items[0].count, items[0].top, items[0].anchor) == ("hot_out", 1, f"H {title}", "products")
    chase = {a.key: a for a in items}["po_overdue"]
    assert (chase.count, chase.top, chase.anchor) == (1, "po1 H ×2 (+6d)", "products")
    html = replenishment.overview(ctx)
    assert html.data["urgent"].sku.tolist()[0] == "H"
    late = html.data["overdue_orders"]
    assert late[["po_id", "sku", "supplier", "qty", "days_overdue"]].values.tolist() == [["po1", "H", "S1", 2, 6]]
    assert late.stockout_date.tolist() == [D]
    assert ctx.shown["action_po_overdue"] == 1 and ctx.shown["action_hot_out"] == 1
    plan = replenishment.plan(ctx).set_index("sku")
    # H: 0 on hand, po1 overdue (not counted): position 0 < 14.03 → reorder; 1 × 37 + 5.03 = 42.03 → MOQ 50 → 60
    assert plan.loc["H", ["on_order", "overdue", "status", "urgent", "suggested_qty"]].tolist() == [
        2, 2, "reorder", True, 60]
