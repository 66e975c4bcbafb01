"""The replenishment table end to end: storeops run replenishment on the demo store, in zh and en;
its summary.json against the library's table; the workbook beside it; the freshness guard; mail."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest

import storeops
from storeops import config
from storeops.publish import mail
from tests.conftest import BIN
from tests.e2e.overview import assert_whole

pytestmark = pytest.mark.e2e
DAY = "2026-11-26"  # a Thursday, the demo's last day
SECTIONS = ("overview", "table", "ledger", "glossary")


def run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "storeops", "run", "replenishment", *args, "--config",
                           project / "params" / "store.yaml"], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module", params=["zh", "en"])
def published(request, review):
    return review("replenishment", request.param)


def test_paths_sections_and_no_missing_values(published, demo_project):
    lang, html_path, page = published
    assert_whole(published, demo_project, "replenishment", DAY, SECTIONS)
    assert ("补货需求表" in page and "进销存" in page) if lang == "zh" else ("Replenishment table" in page
                                                                        and "Stock ledger" in page)


def test_summary_and_workbook_are_the_librarys_table(published, demo_project):
    lang, html_path, _ = published
    s = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())
    assert s["kind"] == "replenishment" and s["period"] == {"start": DAY, "end": DAY}
    ctx = storeops.replenishment.context(DAY, str(demo_project / "params" / "store.yaml"), lang)
    try:
        plan = storeops.replenishment.plan(ctx)
    finally:
        ctx.con.disconnect()
    m = s["metrics"]
    assert m["suggested_qty"] == plan.suggested_qty.sum() > 0
    assert m["order_value"] == pytest.approx(round(plan.order_value.sum(), 2), abs=0.005)
    assert sum(m[f"skus_{k}"] for k in ("reorder", "watch", "overstock", "no_count", "ok")) == len(plan)
    book = openpyxl.load_workbook(html_path.with_name(html_path.name.replace(".html", ".xlsx")))
    suppliers = sorted(plan.supplier.dropna().unique())
    assert book.sheetnames[3:] == suppliers
    # the summary sheet: each supplier's units to order, above a SUBTOTAL of them (then the POs to chase)
    first = book.worksheets[0]
    rows = [[c.value for c in r] for r in first.iter_rows(min_row=2)]
    at = next(i for i, r in enumerate(rows) if r[0] in ("合计", "Total"))
    assert sum(r[2] for r in rows[:at]) == m["suggested_qty"] and rows[at][2] == f"=SUBTOTAL(109,C2:C{at + 1})"
    cfg = config.load(demo_project / "params" / "store.yaml")
    index = (demo_project / "reports" / "index.html").read_text(encoding="utf-8")
    row = re.search(rf'href="replenishment/2026/{html_path.name}">{DAY}</a></th><td>{lang}</td>(.*?)</tr>', index)
    assert row and f">{m['suggested_qty']:,}<" in row.group(1)  # the archive lists what it asks to order
    assert mail.subject(cfg, s).startswith(f"[{cfg.name(lang)}] {'补货表' if lang == 'zh' else 'Replenishment table'}"
                                           f" {DAY} · ")


def test_the_mail_carries_the_workbook(published, demo_project):
    _, html_path, _ = published
    cfg = config.load(demo_project / "params" / "store.yaml")
    ecfg = mail.EmailConfig(Path("email.yaml"), "localhost", 25, "none", "", "", "storeops@example.com")
    msg = mail.build_message(cfg, ecfg, html_path, ["purchasing@example.com"])
    names = [p.get_filename() for p in msg.iter_attachments()]
    assert names == [html_path.name, html_path.name.replace(".html", ".xlsx")]


def test_a_day_without_a_stock_count_is_refused_or_bannered(demo_project):
    r = run(demo_project, "--date", "2026-11-27")
    assert r.returncode == 1
    assert "no data for 2026-11-27 in inventory" in r.stderr and "Traceback" not in r.stderr
    assert not (demo_project / "reports" / "replenishment" / "2026" / "replenishment-2026-11-27.html").exists()
    r = run(demo_project, "--date", "2026-11-27", "--allow-incomplete", "--lang", "en")
    assert r.returncode == 0, r.stderr
    page = Path(r.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8")
    assert "so-banner" in page and "inventory" in page


def test_the_digest_lists_what_to_order_per_supplier(published, demo_project):
    from tests.e2e.overview import digest_of

    lang, html_path, _ = published
    body, plain, s = digest_of(demo_project, html_path)
    ctx = storeops.replenishment.context(DAY, str(demo_project / "params" / "store.yaml"), lang)
    try:
        plan = storeops.replenishment.plan(ctx)
    finally:
        ctx.con.disconnect()
    ordering = plan[plan.suggested_qty > 0]
    rows = s["lists"]["suppliers"]
    # every supplier with something to order, its SKUs, urgent ones, units and cost: the plan's, to the unit
    assert sum(r["units"] for r in rows) == ordering.suggested_qty.sum() == s["metrics"]["suggested_qty"]
    assert sum(r["skus"] for r in rows) == len(ordering) and sum(r["urgent"] for r in rows) == ordering.urgent.sum()
    assert [r["urgent"] for r in rows] == sorted((r["urgent"] for r in rows), reverse=True)  # urgent first
    assert (">补货要点</h2>" if lang == "zh" else ">What to order</h2>") in body
    for r in rows:
        assert f"- {r['supplier']}: {r['skus']}" in plain and f">{r['supplier']}</th>" in body
