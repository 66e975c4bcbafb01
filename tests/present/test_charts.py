"""Charts render Chinese with the bundled CJK font: no missing-glyph boxes."""

from __future__ import annotations

import datetime as _dt
import warnings

import pandas as pd

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


def test_an_analysts_own_chart_shows_chinese_after_import_storeops():
    # a fresh process, as a notebook: seaborn first, then storeops, then a chart of Chinese names
    import subprocess
    import sys

    code = ("import warnings, matplotlib; matplotlib.use('Agg'); import seaborn as sns; import storeops\n"
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
