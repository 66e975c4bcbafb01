"""Charts render Chinese with the bundled CJK font: no missing-glyph boxes."""

from __future__ import annotations

import datetime as _dt
import warnings

import pandas as pd
import pytest

from storeops.present import charts, theme


def test_cjk_font_is_registered_and_used():
    family = theme.cjk_font()
    assert family == "Noto Sans CJK SC"
    theme.apply()
    import matplotlib.pyplot as plt

    assert plt.rcParams["font.family"][0] == family


def test_chinese_labels_render_without_missing_glyphs():
    days = [_dt.date(2026, 11, 1) + _dt.timedelta(days=i) for i in range(28)]
    df = pd.DataFrame({"day": days, "paid_amount": [1000.0 + i for i in range(28)], "uv": [500] * 28,
                       "conversion": [0.03] * 28})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for a tofu box
        chart = charts.trends(df, days[-1], "zh", {"paid_amount": "支付金额", "uv": "访客数",
                                                  "conversion": "支付转化率", "ma7": "7日均值"})
        bridge = charts.waterfall(100.0, [("访客", 20.0), ("转化率", -5.0), ("客单价", 3.0)], 118.0,
                                  ("上周同日", "报告日"), "zh")
    for c in (chart, bridge):
        assert c.png[:8] == b"\x89PNG\r\n\x1a\n" and len(c.png) > 5_000
        assert 'alt="' in c._repr_html_() and "data:image/png;base64," in c._repr_html_()
    assert "上周同日 ¥100.00 → 访客 ¥20.00 → 转化率 −¥5.00" in bridge.alt


@pytest.mark.parametrize("imports", [
    "import warnings, matplotlib; matplotlib.use('Agg'); import seaborn as sns; import storeops",
    # storeops first (it loads matplotlib only with a review's first chart), a review used, then seaborn
    "import warnings, storeops, storeops.weekly, matplotlib; matplotlib.use('Agg'); import seaborn as sns",
], ids=["seaborn-first", "storeops-first"])
def test_an_analysts_own_chart_shows_chinese_after_import_storeops(imports):
    # a fresh process, as a notebook: a chart of Chinese names
    import subprocess
    import sys

    code = (imports + "\n"
            "import matplotlib.pyplot as plt\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    sns.barplot(x=['女装', '男装'], y=[1, 2]); plt.gcf().savefig('/dev/null', format='png')\n"
            "print([str(x.message) for x in w if 'missing from font' in str(x.message)])\n"
            "print(plt.rcParams['font.family'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    missing, family = r.stdout.splitlines()
    assert missing == "[]" and family == "['sans-serif', 'Noto Sans CJK SC']"  # Latin keeps its font


def test_a_bridge_shows_a_small_part_and_says_where_its_axis_starts():
    # 100,000 → +5,000 visitors, −173 conversion, +2,000 spend per buyer → 106,827
    b = charts.bridge_bars(100000, [5000, -173, 2000], 106827)
    # the lowest level is 100,000, the range 6,827: the axis starts 60 % of it lower, at 95,903.8 — far
    # above 0, so it is drawn broken; the top is 106,827 plus 12 % of 10,923.2 = 108,137.784
    assert b.broken and b.ylim == pytest.approx((95903.8, 108137.784))
    # −173 is drawn at 3 % of the axis (12,233.984 × 0.03 = 367.01952), hanging from 105,000 where it starts
    assert b.heights[2] == pytest.approx(367.01952) and b.bottoms[2] + b.heights[2] == pytest.approx(105000)
    assert b.heights[1] == 5000 and b.bottoms[3] == 104827 and b.heights[3] == 2000  # the rest as they are
    # a bridge whose bars reach down near 0 starts at 0, unbroken: 100 → +150 → 250
    flat = charts.bridge_bars(100, [150], 250)
    assert not flat.broken and flat.ylim[0] == 0
    chart = charts.waterfall(100000, [("访客", 5000), ("转化率", -173), ("客单价", 2000)], 106827, ("上周", "本周"), "zh")
    assert chart.alt.endswith(" (纵轴不从0开始)")


def test_money_ticks_are_written_exactly():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_ylim(95000, 103000)
    ax.set_yticks([95000, 97500, 100000, 102500])
    charts._money_axis(ax, "zh")
    fmt = ax.yaxis.get_major_formatter()
    assert [fmt(t, i) for i, t in enumerate(ax.get_yticks())] == ["¥9.50万", "¥9.75万", "¥10.00万", "¥10.25万"]
    # as the axis draws them: all its ticks at once; one far above the limits (not shown) is written at
    # the scale of those shown (with it, the scale would be 亿)
    assert fmt.format_ticks([95000, 97500, 100000, 102500, 200000000]) == [
        "¥9.50万", "¥9.75万", "¥10.00万", "¥10.25万", "¥20,000.00万"]
    ax.set_ylim(0, 40000)
    ax.set_yticks([0, 20000, 40000])
    assert [fmt(t, i) for i, t in enumerate(ax.get_yticks())] == ["¥0万", "¥2万", "¥4万"]
    plt.close(fig)


def _all_charts():
    days = [_dt.date(2026, 11, 1) + _dt.timedelta(days=i) for i in range(28)]
    df = pd.DataFrame({"day": days, "paid_amount": [100000.0 + 900 * i for i in range(28)],
                       "uv": [5000 + i for i in range(28)], "conversion": [0.0395 + 0.0001 * (i % 3) for i in range(28)]})
    labels = {"paid_amount": "Paid amount", "uv": "Visitors", "conversion": "Conversion", "ma7": "7-day mean"}
    months = pd.DataFrame({"period": [f"2026-{m:02d}" for m in range(1, 13)],
                           "ad_cost": [300000.0 + 1000 * m for m in range(12)], "discounts": [50000.0] * 12})
    grid = pd.DataFrame([[0.0383, 0.0187, 0.0306], [0.0182, 0.0265, None]], index=["2026-01 (5983)", "2026-02 (5427)"],
                        columns=[1, 2, 3])
    return {"trends": charts.trends(df, days[-1], "en", labels),
            "bridge": charts.waterfall(2795176, [("Visitors", 374000), ("Conversion", 379000), ("Per buyer", 267000)],
                                       3815176, ("Last month", "This month"), "en"),
            "lines": charts.lines(months, "period", {"ad_cost": "Ad spend", "discounts": "Discounts"}, "money", "en"),
            "heatmap": charts.heatmap(grid, "en", "Months after", "Cohort")}


def test_each_chart_is_drawn_for_a_desk_and_for_a_phone_with_text_a_phone_can_read():
    for name, c in _all_charts().items():
        assert c.png[:8] == c.narrow[:8] == b"\x89PNG\r\n\x1a\n", name
        html = c._repr_html_()
        assert '<source media="(max-width: 600px)" srcset="data:image/png;base64,' in html, name
        # shown 362 px wide (a 390 px phone's page) the smallest text of the phone's drawing is ≥ 11 px,
        # and on a desk (the desk drawing at its own size, 825 px for 7.5 in at 110 dpi) ≥ 11 px
        assert c.text[1] * 362 >= 11, (name, c.text[1] * 362)
        width = int.from_bytes(c.png[16:20], "big")
        assert c.text[0] * width >= 11, (name, c.text[0] * width)
        # the phone's text is NARROW_PT (9 pt) or more: at 200 dpi that is 25 px of an image about 800 px wide
        narrow_width = int.from_bytes(c.narrow[16:20], "big")
        assert c.text[1] * narrow_width >= 9 / 72 * 200 - 0.01, name


def test_percent_ticks_tell_each_other_apart():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_ylim(0.039, 0.041)
    ax.set_yticks([0.0395, 0.04, 0.0405])
    charts._pct_axis(ax)
    fmt = ax.yaxis.get_major_formatter()
    assert [fmt(t, i) for i, t in enumerate(ax.get_yticks())] == ["3.95%", "4.00%", "4.05%"]  # not 4.0%, 4.0%, 4.0%
    assert fmt.format_ticks([0.0395, 0.04, 0.0405]) == ["3.95%", "4.00%", "4.05%"]
    ax.set_ylim(0.03, 0.05)
    ax.set_yticks([0.03, 0.04, 0.05])
    assert [fmt(t, i) for i, t in enumerate(ax.get_yticks())] == ["3%", "4%", "5%"]
    plt.close(fig)


def test_a_phones_bridge_writes_large_amounts_short():
    # en on a phone: ¥374K on a bar a fifth of 362 px wide, where ¥374,000 would run into its neighbours
    assert charts._short(374000, "en", charts.NARROW) == "¥374K"
    assert charts._short(2795176, "en", charts.NARROW) == "¥2.80M"
    assert charts._short(-17300, "en", charts.NARROW) == "−¥17.3K"
    assert charts._short(374000, "en", charts.WIDE) == "¥374,000"  # a desk: as the report writes it
    assert charts._short(374000, "zh", charts.NARROW) == "¥37.4万"


def test_a_heatmaps_colours_span_its_values():
    # retention of 1.82 % to 3.83 %: the scale runs from 15 % of the 2.01-point spread under the lowest
    # (1.82 − 0.3015 = 1.5185 %) to 3.83 %, not from 0 (which would leave every cell the same blue)
    assert charts.heat_range([0.0383, 0.0187, float("nan"), 0.0182]) == pytest.approx((0.015185, 0.0383))
    assert charts.heat_range([0.02, 0.02]) == (0.0, 0.05) and charts.heat_range([]) == (0.0, 1.0)
