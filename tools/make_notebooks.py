"""Write the committed notebooks from their cell lists (clean: no outputs, no execution counts).

Run after editing: python tools/make_notebooks.py. Editing the .ipynb in JupyterLab
and clearing outputs works too; tests/test_notebooks.py checks either way.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
KERNEL = {"kernelspec": {"name": "storeops", "display_name": "storeops", "language": "python"},
          "language_info": {"name": "python"}}

PARAMS = '''report_date = ""  # YYYY-MM-DD; empty: yesterday in store time
config = ""       # path to store.yaml; empty: the nearest params/store.yaml
lang = ""         # zh or en; empty: the store's language
allow_incomplete = False  # True: publish with a banner when orders or traffic are missing'''


def md(text):
    return new_markdown_cell(text, metadata={"tags": ["analyst"]})


def code(src, *tags):
    return new_code_cell(src, metadata={"tags": list(tags)} if tags else {})


DAILY = [
    md("# 日报 · Daily review\n\nWhat the general manager reads first every morning: how did yesterday go, "
       "why, and what needs doing today, for every part of the store.\n\n"
       "Run it with `storeops run daily --date YYYY-MM-DD`. Markdown cells tagged `analyst` (like this one) "
       "are notes for analysts and stay out of the published report, whose text comes from the zh/en catalog."),
    code(PARAMS, "parameters"),
    code("import storeops\n\nctx = storeops.daily.context(report_date or None, config or None, lang or None, "
         "allow_incomplete)\nstoreops.daily.header(ctx)"),
    md("## 今日待办 · Action list\n\nWhat needs doing today: late and urgent orders, tickets near or past 24 h, "
       "hot SKUs running short, out-of-stock SKUs with visitors, ads below break-even, KPI anomalies."),
    code("storeops.daily.actions(ctx)"),
    md("## 核心指标 · Headline KPIs\n\nEach KPI with 环比, 同比 (same weekday last week), the 4-week same-day "
       "mean, the day's target, and an anomaly flag."),
    code("storeops.daily.kpis(ctx)"),
    md("## 支付金额拆解 · GMV bridge\n\nThe change against the same weekday last week, split into visitors, "
       "conversion and spend per buyer."),
    code("storeops.daily.bridge(ctx)"),
    md("## 趋势 · Trends\n\n28 days of paid amount, UV and conversion; the month against target."),
    code("storeops.daily.trends(ctx)"),
    md("## 流量来源 · Traffic by source"),
    code("storeops.daily.traffic(ctx)"),
    md("## 客服 · Customer service\n\nInquiry conversion, response times, per agent, the 10-chat QA sample, tickets."),
    code("storeops.daily.service(ctx)"),
    md("## 订单与物流 · Orders and fulfilment\n\nFunnel, backlog by age, 72 h compliance, urgent orders."),
    code("storeops.daily.fulfilment(ctx)"),
    md("## 推广 · Advertising\n\nPer channel and campaign against break-even ROAS; spend pacing."),
    code("storeops.daily.ads(ctx)"),
    md("## 商品 · Products\n\nTop sellers, high-traffic low-conversion products, stock warnings."),
    code("storeops.daily.products(ctx)"),
    md("## 指标说明 · Glossary"),
    code("storeops.daily.glossary(ctx)"),
    code("storeops.daily.summary(ctx)  # hands the shown figures to summary.json", "summary"),
]

FLOOR = [
    code(PARAMS, "parameters"),
    code("from IPython.display import display\n\n"
         "display({'application/vnd.storeops.summary+json': {'kind': 'floor', "
         "'period': {'start': report_date, 'end': report_date}, 'lang': lang, 'metrics': {}}}, raw=True)",
         "summary"),
]


def write(path: Path, cells) -> None:
    nb = new_notebook(cells=cells, metadata=KERNEL)
    for c in nb.cells:  # stable ids keep diffs quiet
        c.id = f"{path.stem}-{nb.cells.index(c)}"
    nbformat.validate(nb)
    nbformat.write(nb, path)


if __name__ == "__main__":
    write(ROOT / "notebooks" / "daily.ipynb", DAILY)
    write(ROOT / "benchmarks" / "floor.ipynb", FLOOR)
