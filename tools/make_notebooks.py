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
lang = ""         # zh or en; empty: the store's language'''


def md(text):
    return new_markdown_cell(text, metadata={"tags": ["analyst"]})


def code(src, *tags):
    return new_code_cell(src, metadata={"tags": list(tags)} if tags else {})


DAILY = [
    md("# 日报 · Daily review\n\nWhat the general manager reads first every morning: how did the day go, "
       "against the day before and the same weekday last week, and against plan.\n\n"
       "Run it with `storeops run daily --date YYYY-MM-DD`; cells tagged `analyst` (like this one) "
       "are notes for analysts and are left out of the published report."),
    code(PARAMS, "parameters"),
    code("import storeops\n\nctx = storeops.daily.context(report_date or None, config or None, lang or None)\n"
         "storeops.daily.header(ctx)"),
    md("## 核心指标 · Headline KPIs\n\nEach sales and conversion metric for the day, with 环比 (vs the previous "
       "day), 同比 (vs the same weekday last week) and, for paid amount, the day's target."),
    code("storeops.daily.kpis(ctx)"),
    md("## 近28天趋势 · 28-day trend\n\nWhere does the day's paid amount stand in the last four weeks?"),
    code("storeops.daily.trend(ctx)"),
    md("## 指标说明 · Glossary\n\nThe definition of every metric shown above, from the registry."),
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
