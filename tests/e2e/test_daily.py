"""The daily review end to end: storeops run → papermill → nbconvert → HTML + summary.json."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

from storeops import config, warehouse
from storeops.metrics import fulfilment, plan
from storeops.periods import Period
from storeops.reviews.context import ReviewContext, kpi_values
from tests.conftest import BIN
from tests.e2e.conftest import PERIODS
from tests.e2e.overview import assert_figures_match

pytestmark = pytest.mark.e2e
DAY = PERIODS["daily"][1]


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "storeops", *args, "--config", project / "params" / "store.yaml"],
                          capture_output=True, text=True, timeout=600)


SECTIONS = ("overview", "actions", "kpis", "bridge", "trends", "traffic", "service", "fulfilment", "ads", "products", "glossary")


@pytest.fixture(scope="module", params=["zh", "en"])
def published(request, review):
    return review("daily", request.param)


def test_paths(published, demo_project):
    lang, html_path, _ = published
    stem = f"daily-{DAY}" + ("" if lang == "zh" else ".en")  # zh is the store's language
    folder = demo_project / "reports" / "daily" / "2026"
    assert html_path == folder / f"{stem}.html"
    assert (folder / f"{stem}.ipynb").is_file() and (folder / f"{stem}.summary.json").is_file()


def test_html_is_a_clean_self_contained_report(published):
    lang, _, page = published
    assert 'class="so-table so-kpis"' in page
    for anchor in SECTIONS:
        assert f'id="{anchor}"' in page, anchor
    for sign in ("Traceback", "nan", "None", "inf", "NaN"):
        assert not re.search(rf"\b{sign}\b", re.sub(r'src="data:[^"]+"', "", page)), sign
    for code in ("storeops.daily", "import storeops", "report_date =", "papermill", "In&nbsp;[", "jp-InputPrompt"):
        assert code not in page, code
    assert "<script" not in page and "http://" not in page and "https://" not in page
    imgs = re.findall(r'<img[^>]* src="data:image/png;base64,([^"]+)"', page)
    assert len(imgs) == 2 and all(len(i) > 10_000 for i in imgs)  # trends and the bridge
    assert ("核心指标" in page and "指标说明" in page) if lang == "zh" else ("Headline KPIs" in page and "Glossary" in page)
    assert ("支付金额" in page) == (lang == "zh")


def test_buyers_and_phones_masked_and_data_escaped(published):
    _, _, page = published
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "13812345678" not in page and "138****5678" in page
    assert not re.search(r"\btb\d{9}\b", page)  # buyer ids appear masked only
    assert re.search(r"tb\d\*{6}\d{2}", page)


def test_every_figure_of_the_overview_is_in_summary_json(published):
    assert assert_figures_match(published) >= 5


def test_summary_equals_the_metric_functions(published, demo_project):
    lang, html_path, _ = published
    s = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())
    assert s["kind"] == "daily" and s["lang"] == lang and s["period"] == {"start": DAY, "end": DAY}
    cfg = config.load(demo_project / "params" / "store.yaml")
    con = warehouse.connect(cfg, read_only=True)
    t = warehouse.Tables(con)
    p = Period.day(DAY)
    expected = kpi_values(t, p)
    m = s["metrics"]
    for k, v in expected.items():
        assert m[k] == pytest.approx(float(v)), k
    assert m["paid_amount"] > 0 and m["target"] == pytest.approx(plan.target(t, p))
    # the bridge parts add up to the change against the same weekday last week, to the cent
    before = kpi_values(t, p.same_weekday_last_week())["paid_amount"]
    parts = [Decimal(str(m[k])) for k in ("bridge_uv", "bridge_conversion", "bridge_atv")]
    assert sum(parts) == Decimal(str(m["paid_amount"])) - before
    backlog = fulfilment.ship_backlog(t, ReviewContext(cfg, con, p, lang).cutoff)
    assert [m[f"ship_backlog_{k}"] for k in backlog] == list(backlog.values())
    for key in ("consultations", "consult_conversion", "first_response", "response_3min", "ticket_sla",
                "ship_72h", "urgent_orders", "spend_pacing", "breakeven_roas", "pacing", "forecast_month",
                "tickets_open", *(f"action_{a}" for a in ("ship_breached", "ship_at_risk", "urgent",
                "tickets_breached", "tickets_at_risk", "hot_short", "oos_visited", "ads_below_breakeven",
                "anomalies"))):
        assert key in m, key
    con.disconnect()


def test_no_papermill_traces_in_the_html_but_parameters_in_the_notebook(published):
    _, html_path, page = published
    nb = nbformat.read(html_path.with_suffix(".ipynb"), as_version=4)
    assert nb.metadata.papermill.parameters["report_date"] == DAY  # kept for debugging
    assert "injected-parameters" not in page and DAY in page


def test_a_failing_cell_is_one_clear_line_and_publishes_nothing(demo_project, tmp_path):
    nb = nbformat.read(demo_project / "notebooks" / "daily.ipynb", as_version=4)
    nb.cells.insert(4, nbformat.v4.new_code_cell("storeops.daily.no_such_section(ctx)"))
    bad = tmp_path / "broken.ipynb"
    nbformat.write(nb, bad)
    r = run(demo_project, "run", "daily", "--date", "2026-11-20", "--notebook", str(bad))
    assert r.returncode == 1
    lines = [x for x in r.stderr.splitlines() if x.startswith("storeops")]
    assert len(lines) == 1 and "Traceback" not in r.stderr
    # the cell as the kept notebook shows it (In [4], after the parameters, the injected parameters and
    # the imports), and the section it is in: papermill's own index counts cells before its marker cells
    assert re.search(r"failed in cell In \[4\] \(section “概述 · In short”\) of the executed notebook "
                     r"\(storeops\.daily\.no_such_section\(ctx\)\): AttributeError: .*no_such_section", lines[0])
    kept = nbformat.read(demo_project / "reports" / "daily" / "2026" / "daily-2026-11-20.ipynb", as_version=4)
    (failed,) = [c for c in kept.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert failed.execution_count == 4 and failed.source == "storeops.daily.no_such_section(ctx)"
    folder = demo_project / "reports" / "daily" / "2026"
    assert f"kept at {folder / 'daily-2026-11-20.ipynb'}" in lines[0]
    assert (folder / "daily-2026-11-20.ipynb").is_file()
    assert not (folder / "daily-2026-11-20.html").exists()
    assert not (folder / "daily-2026-11-20.summary.json").exists()


def test_missing_warehouse_is_one_line(tmp_path):
    from tests.conftest import write_config

    cfg = write_config(tmp_path)
    r = subprocess.run([BIN / "storeops", "run", "daily", "--config", cfg], capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().startswith("storeops run: ")


def test_missing_day_is_refused_naming_what_is_missing(demo_project):
    r = run(demo_project, "run", "daily", "--date", "2026-12-05")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == ("storeops run: no data for 2026-12-05 in orders, traffic: load it first, "
                                "or run with --allow-incomplete to publish with a warning banner")
    assert not (demo_project / "reports" / "daily" / "2026" / "daily-2026-12-05.html").exists()


def test_allow_incomplete_publishes_with_a_banner_and_one_line_per_empty_section(demo_project):
    r = run(demo_project, "run", "daily", "--date", "2026-12-05", "--allow-incomplete", "--lang", "en")
    assert r.returncode == 0, r.stderr
    page = Path(r.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert 'class="so-banner"' in page and "Incomplete data: 2026-12-05 has no orders, traffic;" in page
    # the bridge has no same weekday last week to split against: 11-28 is after the data ends
    for line in ("No traffic-by-source data for this day.", "No customer-service chats for this day.",
                 "No advertising data for this day.", "No product sales for this day.",
                 "The same day last week is not wholly in the data"):
        assert line in page, line
    for sign in ("nan", "None", "inf", "Traceback"):
        assert not re.search(rf"\b{sign}\b", re.sub(r'src="data:[^"]+"', "", page)), sign


def test_check_lists_tables_with_their_latest_day(demo_project):
    r = subprocess.run([BIN / "storeops", "check", "--config", demo_project / "params" / "store.yaml"],
                       capture_output=True, text=True)
    assert r.returncode == 0
    tables, coverage, columns = r.stdout.split("\n\n")
    rows = {line.split()[0]: line for line in tables.splitlines()}
    assert rows["orders"].endswith("latest 2026-11-26") and rows["traffic"].endswith("latest 2026-11-26")
    assert rows["order_items"].endswith("latest -")
    # the coverage rules over the 30 days to the latest order day; the demo store tracks everything
    assert coverage.splitlines()[0] == "coverage, 2026-10-28 to 2026-11-26 (what the reports judge; untracked " \
                                       "figures show as —):"
    assert {line.split()[0]: line.split()[1] for line in coverage.splitlines()[1:]} == {
        k: "tracked" for k in ("orders", "buyers", "traffic", "shipping", "refund_times", "refund_lines",
                               "source_sales", "inventory", "product_traffic", "tickets", "cs", "ads",
                               "launch_dates")}
    fill = {line.split()[0]: line.split()[1] for line in columns.splitlines()[1:]}
    assert fill["orders.buyer_id"] == "100.0%" and fill["traffic_by_source.paid_amount"] == "100.0%"


@pytest.mark.parametrize("args, message", [
    (["demo", "--days", "0"], "argument --days: must be above 0, got 0"),
    (["demo", "--scale", "x"], "argument --scale: expected a number, got 'x'"),
    (["run", "daily", "--date", "26/11/2026"], "argument --date: expected a date as YYYY-MM-DD, got '26/11/2026'"),
])
def test_bad_arguments_are_one_line(args, message):
    r = subprocess.run([BIN / "storeops", *args], capture_output=True, text=True)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
