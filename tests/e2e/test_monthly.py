"""The monthly review end to end: storeops run monthly on the demo store, in zh and en, every section;
its summary.json against the metric functions; the plan file it writes, used by the daily's target."""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from storeops import config, targets, warehouse
from storeops.metrics import inventory, members, plan
from storeops.periods import Period
from storeops.reviews.context import ReviewContext, kpi_values
from tests.e2e.overview import assert_figures_match, assert_whole

pytestmark = pytest.mark.e2e
MONTH = "2026-10"  # the demo's last complete month (its 70 days run 09-18 … 11-26)
SECTIONS = ("overview", "actions", "attainment", "kpis", "days", "weekday_profile", "bridge", "drivers", "categories",
            "traffic", "campaigns", "costs", "health", "members", "service", "service_quality", "competitors",
            "next_month", "glossary")


@pytest.fixture(scope="module", params=["zh", "en"])
def published(request, review):
    return review("monthly", request.param)


def _summary(html_path: Path) -> dict:
    return json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())


def test_paths_and_every_section(published, demo_project):
    lang, html_path, page = published
    assert_whole(published, demo_project, "monthly", MONTH, SECTIONS)
    assert ("月报 2026-10" in page and "环比(上月)" in page and "按会员等级" in page) if lang == "zh" else \
        ("Monthly review 2026-10" in page and "vs last month" in page and "By membership level" in page)
    # the demo's data begins 09-18: September's cohort holds earlier customers too, and says so
    assert ("数据从 2026-09 开始" in page) if lang == "zh" else ("The data begins in 2026-09" in page)


def test_every_figure_of_the_overview_is_in_summary_json(published):
    assert assert_figures_match(published) >= 3


def test_summary_is_the_month_and_the_metric_functions(published, demo_project):
    _, html_path, _ = published
    s = _summary(html_path)
    assert s["kind"] == "monthly" and s["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert set(s["comparisons"]) == {"mom", "yoy", "m3"}
    m = s["metrics"]
    cfg = config.load(demo_project / "params" / "store.yaml")
    con = warehouse.connect(cfg, read_only=True)
    try:
        t, month = warehouse.Tables(con), Period.parse(MONTH)
        days = [kpi_values(t, Period.day(d))["paid_amount"] for d in month.dates()]
        assert Decimal(str(m["paid_amount"])) == sum(days)  # to the cent
        assert members.by_level(t, month).paid_amount.sum() == pytest.approx(m["paid_amount"], abs=0.005)
        b = members.buyers(t, month)
        assert (m["new_buyers"], m["repeat_rate"], m["returning_share"]) == (
            b["new_buyers"], pytest.approx(b["repeat_rate"]), pytest.approx(b["returning_share"]))
        h = inventory.health(t, month)
        assert m["turnover"] == pytest.approx(h["turnover"]) and m["sell_through"] == pytest.approx(h["sell_through"])
        tgt = plan.target(t, month, targets.festivals(cfg))
        assert m["target"] == pytest.approx(tgt) and m["attainment"] == pytest.approx(m["paid_amount"] / tgt)
    finally:
        con.disconnect()


def test_the_plan_file_it_writes_is_the_dailys_target(published, demo_project):
    _, html_path, page = published
    cfg = config.load(demo_project / "params" / "store.yaml")
    f = targets.path(cfg, _dt.date(2026, 11, 1))
    # the GM reads which month's plan was written, not where the file lies (the README says)
    import html

    shown = html.unescape(page)
    assert f.is_file() and ("2026-11 的计划" in shown or "2026-11's plan" in shown) and "params/targets" not in page
    days = targets.read(f)[_dt.date(2026, 11, 1)]
    assert Decimal(str(_summary(html_path)["metrics"]["next_month_target"])) == sum(days)
    con = warehouse.connect(cfg, read_only=True)
    try:
        month_target = plan.month_target(warehouse.Tables(con), _dt.date(2026, 11, 1))
        assert sum(days) == month_target  # the days add up to the month, to the cent
        ctx = ReviewContext(cfg, con, Period.day("2026-11-20"), "en")
        assert ctx.target == pytest.approx(float(days[_dt.date(2026, 11, 20)]))
    finally:
        con.disconnect()


def test_the_digest_is_the_months_with_its_attainment(published, demo_project):
    from storeops.present import formats
    from tests.e2e.overview import digest_of, overview_text

    lang, html_path, page = published
    body, plain, s = digest_of(demo_project, html_path)
    assert (">本月要点</h2>" if lang == "zh" else ">Highlights</h2>") in body
    assert overview_text(page) in plain
    label = "目标完成率" if lang == "zh" else "Attainment"
    att = s["metrics"]["attainment"]
    assert att is not None and f"{label}: {formats.pct(att)}" in plain
