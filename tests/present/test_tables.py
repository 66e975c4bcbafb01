"""Rendered tables: escaped, formatted, coloured as the reader reads changes (snapshot-style)."""

import pandas as pd
import pytest

from storeops.metrics import registry
from storeops.present import tables
from storeops.present.tables import Col


def test_data_table_escapes_and_formats():
    df = pd.DataFrame({"title": ["<b>T恤</b> & 衬衫"], "paid_amount": [123456.0], "conversion": [0.05123],
                       "uv": [None]})
    html = tables.data_table("top", df, [Col("title", "col.product"), Col("paid_amount", "paid_amount", "money"),
                                  Col("conversion", "conversion", "rate"), Col("uv", "uv", "count")], "zh").html
    assert "<b>" not in html and "&lt;b&gt;T恤&lt;/b&gt; &amp; 衬衫" in html
    assert '<td class="so-num">¥12.3万</td>' in html and '<td class="so-num">5.1%</td>' in html
    assert '<td class="so-num">—</td>' in html
    assert "<th class=\"\">商品</th>" in html and "支付金额" in html


def test_tables_carry_their_data():
    a = tables.data_table("by_source", pd.DataFrame({"source": ["搜索"], "uv": [60]}, index=[7]),
                          [Col("source", "col.source"), Col("uv", "uv", "count")], "en")
    b = tables.data_table("by_source", pd.DataFrame({"source": ["推荐"], "uv": [50]}),
                          [Col("source", "col.source"), Col("uv", "uv", "count")], "en")
    both = tables.section("traffic", "en", "traffic") + a + tables.note("x") + b
    assert list(both.data) == ["by_source", "by_source_2"]  # the same name twice: numbered, nothing lost
    assert both.data["by_source"].to_dict("records") == [{"source": "搜索", "uv": 60}]
    assert both.html.count("<table") == 2
    phone = tables.data_table("t", pd.DataFrame({"title": ["客服电话13812345678"]}), [Col("title", "col.product")], "zh")
    assert phone.data["t"].title.tolist() == ["客服电话138****5678"]  # .data is masked as the cells are
    kpis = tables.kpi_table([tables.KpiRow(registry.get("paid_amount"), 100, (0.1, -0.2, None), flag="low")],
                            "en", "week")
    assert kpis.data["kpis"].to_dict("records") == [{"metric": "paid_amount", "value": 100.0, "wow": 0.1,
                                                      "yoy": -0.2, "w4": None, "target": None,
                                                      "attainment": None, "flag": "low"}]


def test_kpi_row_colours():
    up = tables.KpiRow(registry.get("paid_amount"), 100, (0.1, -0.2, None), flag="low")
    refunds = tables.KpiRow(registry.get("refund_amount"), 100, (0.1, -0.2, 0.0))
    html = tables.kpi_table([up, refunds], "en").html
    paid, ref = html.split("<tr data-metric=")[1:]
    assert 'so-good">+10.0%' in paid and 'so-bad">−20.0%' in paid and "▼ unusually low" in paid
    assert 'so-bad">+10.0%' in ref and 'so-good">−20.0%' in ref  # fewer refunds is good news
    assert 'class="so-anomaly"' in paid and "so-anomaly" not in ref


def test_kpi_row_colours_in_the_market_convention():
    # 红涨绿跌: a rise is red and ▲ whether it is good news or not, a fall green and ▼
    up = tables.KpiRow(registry.get("paid_amount"), 100, (0.1, -0.2, 0.0001))
    refunds = tables.KpiRow(registry.get("refund_amount"), 100, (0.1, -0.2, None))
    html = tables.kpi_table([up, refunds], "zh", "day", "market").html
    paid, ref = html.split("<tr data-metric=")[1:]
    assert 'so-up">▲+10.0%' in paid and 'so-down">▼−20.0%' in paid and 'so-flat">0.0%' in paid
    assert 'so-up">▲+10.0%' in ref and 'so-down">▼−20.0%' in ref


@pytest.mark.parametrize("settings, lang, convention", [
    ({}, "zh", "market"), ({}, "en", "outcome"), ({"present": {"colours": "outcome"}}, "zh", "outcome"),
    ({"present": {"colours": "market"}}, "en", "market"),
])
def test_the_colour_convention_follows_the_reader(settings, lang, convention):
    assert tables.colours(settings, lang) == convention


def test_a_misspelt_colour_convention_is_refused():
    from storeops.errors import ConfigError

    with pytest.raises(ConfigError, match="present.colours must be one of market, outcome, not 'red'"):
        tables.colours({"present": {"colours": "red"}}, "zh")


def test_action_list():
    assert "Nothing needs action today." in tables.action_list([tables.Action("urgent", 0, "fulfilment")], "en").html
    html = tables.action_list([tables.Action("urgent", 2, "fulfilment", "o<1> (5h)"),
                               tables.Action("hot_short", 0, "products")], "zh").html
    assert '<a href="#fulfilment"><span class="so-count">2</span> 待发货的加急订单</a>' in html
    assert "o&lt;1&gt; (5h)" in html and "热销" not in html  # items with nothing to do are left out


def test_two_products_with_one_title_are_told_apart():
    import pandas as pd

    from storeops.present.tables import Col, data_table, product_name

    df = pd.DataFrame({"sku": ["A1", "B1", "X"], "product_id": ["P012", "P047", "#no-sku"],
                       "title": ["修身休闲裤 2026新款", "修身休闲裤 2026新款", "（无SKU）"],
                       "color": ["黑色", "卡其", None], "size": ["XL", "M", None]})
    html = str(data_table("t", df, [Col("sku", "col.sku"), Col("title", "col.product", "product")], "zh"))
    assert "修身休闲裤 2026新款（P012）黑色/XL" in html and "修身休闲裤 2026新款（P047）卡其/M" in html
    assert "（无SKU）</td>" in html  # the metrics' own rows carry no id to show
    # a table with its own colour and size columns names the product alone; en writes the id in brackets
    with_cols = str(data_table("t", df, [Col("title", "col.product", "product"), Col("color", "col.color")], "en"))
    assert "修身休闲裤 2026新款 (P012)</td>" in with_cols
    assert product_name({"title": "Tee", "product_id": "Tee"}, "en") == "Tee"  # an id that is the title: once


def test_a_tables_key_columns_come_right_after_its_row_names():
    # the replenishment table's shape: a phone shows SKU, then the columns marked KEY, in their order
    df = pd.DataFrame({"sku": ["A-1"], "color": ["黑"], "supplier": ["苏州"], "state": ["立即补货"], "on_hand": [3],
                       "suggested_qty": [40], "stockout_date": [pd.Timestamp("2026-12-01")]})
    cols = [Col("sku", "col.sku"), Col("color", "col.color"), Col("supplier", "col.supplier"),
            Col("state", "col.status", priority=tables.KEY), Col("on_hand", "col.on_hand", "count"),
            Col("suggested_qty", "suggested_qty", "count", tables.KEY),
            Col("stockout_date", "col.stockout_date", "date", tables.KEY)]
    html = tables.data_table("t", df, cols, "en").html
    import re

    heads = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    assert heads == ["SKU", "Status", "Suggested order", "Runs out", "Colour", "Supplier", "On hand"]
    assert html.count('data-priority="1"') == 3
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert cells == ["A-1", "立即补货", "40", "2026-12-01", "黑", "苏州", "3"]  # each value under its heading
    assert list(tables.data_table("t", df, cols, "en").data["t"].columns) == list(df.columns)  # the data as it was


def test_kpi_flags_sit_under_the_name_and_no_targets_no_target_columns():
    flagged = tables.KpiRow(registry.get("refund_amount"), 100, (0.1, None, None), flag="high")
    html = tables.kpi_table([flagged], "zh").html
    assert '<th scope="row">退款金额<span class="so-flag">▲ 异常偏高</span></th>' in html
    assert "目标" not in html and "完成率" not in html  # no target anywhere: the columns would be all dashes
    paid = tables.KpiRow(registry.get("paid_amount"), 110, (0.1, None, None), target=100.0, attainment=1.1)
    html = tables.kpi_table([paid, flagged], "zh").html
    import re

    assert re.findall(r"<thead><tr>(.*?)</tr>", html)[0].count("<th>") == 7
    heads = re.findall(r"<th>([^<]*)</th>", html)
    assert heads[:3] == ["指标", "数值", "完成率"] and heads[-1] == "目标"  # attainment beside the value
    paid_row = html.split("<tr data-metric=")[1]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", paid_row) == ["¥110.00", "110.0%", "+10.0%", "—", "—", "¥100.00"]


def test_outputs_carry_their_colours_inline_for_a_notebook_front_end():
    up = tables.KpiRow(registry.get("paid_amount"), 100, (0.1, -0.2, None))
    out = tables.kpi_table([up], "zh", "day", "market")._repr_html_()
    assert 'class="so-num so-up" style="color:#b91c1c">▲+10.0%' in out
    assert 'class="so-num so-down" style="color:#15803d">▼−20.0%' in out
    assert 'class="so-num so-up">' in tables.kpi_table([up], "zh", "day", "market").html  # the page keeps classes
    assert tables.inline_colours('<p class="so-note" style="x">') == '<p class="so-note" style="x">'
