"""The weekly review end to end: storeops run weekly on the demo store, in zh and en, every section,
and its summary.json against the metric functions (a week is the sum of its days)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

import storeops
from storeops import config, warehouse
from storeops.metrics import campaigns, inventory, sales, service
from storeops.metrics.base import evaluate
from storeops.periods import Period
from storeops.publish import mail
from storeops.reviews.context import kpi_values
from tests.e2e.overview import assert_figures_match, assert_whole

pytestmark = pytest.mark.e2e
WEEK = "2026-W47"  # Monday 2026-11-16 to Sunday 2026-11-22
SECTIONS = ("overview", "actions", "kpis", "days", "bridge", "drivers", "categories", "traffic", "ads", "campaigns",
            "service", "fulfilment", "inventory", "glossary")


@pytest.fixture(scope="module", params=["zh", "en"])
def published(request, review):
    return review("weekly", request.param)


def test_paths_and_every_section(published, demo_project):
    lang, html_path, page = published
    assert_whole(published, demo_project, "weekly", WEEK, SECTIONS)
    assert "storeops.weekly" not in page and "<script" not in page
    assert len(re.findall(r'<img[^>]* src="data:image/png;base64,', page)) == 2  # the 7 days and the bridge
    if lang == "zh":
        assert "周报 2026-W47" in page and "环比(上周)" in page and "同比(去年同周)" in page and "逐日表现" in page
    else:
        assert "Weekly review 2026-W47" in page and "vs last week" in page and "Day by day" in page


def test_every_figure_of_the_overview_is_in_summary_json(published):
    assert assert_figures_match(published) >= 5


def test_summary_is_the_week_and_the_sum_of_its_days(published, demo_project):
    lang, html_path, _ = published
    s = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())
    assert s["kind"] == "weekly" and s["period"] == {"start": "2026-11-16", "end": "2026-11-22"}
    cfg = config.load(demo_project / "params" / "store.yaml")
    con = warehouse.connect(cfg, read_only=True)
    try:
        t = warehouse.Tables(con)
        week = Period.parse(WEEK)
        days = [kpi_values(t, Period.day(d))["paid_amount"] for d in week.dates()]
        assert Decimal(str(s["metrics"]["paid_amount"])) == sum(days)  # to the cent
        last = kpi_values(t, week.previous())["paid_amount"]
        assert s["comparisons"]["wow"]["paid_amount"] == pytest.approx(float(sum(days) / last - 1))
        assert set(s["comparisons"]) == {"wow", "yoy", "w4"}
        # the bridge against last week adds up to the change, to the cent
        parts = [Decimal(str(s["metrics"][k])) for k in ("bridge_uv", "bridge_conversion", "bridge_atv")]
        assert sum(parts) == sum(days) - last
    finally:
        con.disconnect()
    change = s["comparisons"]["wow"]["paid_amount"]
    assert mail.subject(cfg, s).startswith(f"[{cfg.name(lang)}] {'周报' if lang == 'zh' else 'Weekly review'} "
                                           f"2026-W47 · ")
    assert mail.subject(cfg, s).endswith(f"({'+' if change > 0 else '−'}{abs(change) * 100:.1f}%)")


def test_stock_service_and_assortment_figures_are_the_metric_functions(published, demo_project):
    lang, html_path, page = published
    s = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())["metrics"]
    cfg = config.load(demo_project / "params" / "store.yaml")
    con = warehouse.connect(cfg, read_only=True)
    try:
        t, week = warehouse.Tables(con), Period.parse(WEEK)
        assert s["sell_ratio"] == pytest.approx(evaluate({"r": sales.sell_ratio(t, week)})["r"])
        days = inventory.stockout_days(t, week)
        assert s["stockout_rate"] == pytest.approx(days.out_days.sum() / days.days.sum())
        assert s["dsr_item"] == service.dsr_change(t, week).now.iloc[0]
    finally:
        con.disconnect()
    for heading in (("类目表现", "未来7天开始的活动", "问题订单按类型", "店铺评分", "按销售分级", "未来14天预计到货")
                    if lang == "zh" else ("By category", "Starting in the next 7 days", "Tickets by kind",
                                          "Store ratings (DSR)", "By sales class", "due in the next 14 days")):
        assert heading in page, heading


def test_the_campaigns_of_a_week_with_one(demo_project):
    """W45 (11-02 … 11-08) falls in 双11 (10-31 … 11-11): the section shows it judged to 11-08."""
    ctx = storeops.weekly.context("2026-W45", str(demo_project / "params" / "store.yaml"), "en")
    try:
        html = storeops.weekly.campaigns(ctx)
        ran = html.data["campaigns_ran"]
        expected = campaigns.results(ctx.t, ctx.period)
        assert ran.campaign_id.tolist() == ["C2026D11"] == expected.campaign_id.tolist()
        assert ran.lift.iloc[0] == expected.lift.iloc[0] and ran.days.iloc[0] == 9  # 10-31 … 11-08
        assert "running" in str(html) and f"{expected.roi.iloc[0]:.2f}" in str(html)
    finally:
        ctx.con.disconnect()


def test_the_digest_is_the_weeks(published, demo_project):
    from tests.e2e.overview import digest_of, overview_text

    lang, html_path, page = published
    body, plain, _ = digest_of(demo_project, html_path)
    heading = "本周要点" if lang == "zh" else "Highlights and actions"
    assert f">{heading}</h2>" in body and "今日待办" not in body and "Action list" not in body
    told = overview_text(page)  # it opens with the week's own overview, the same words
    assert told and told in plain and plain.index(told) < plain.index(heading)
    assert len(body.encode()) < 100_000 and "<style" not in body  # inlined: Gmail drops <style>
