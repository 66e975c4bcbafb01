"""What a person sees: the archive and a daily report in headless Chromium at phone width.

Debian's chromium, driven by Playwright's Python API with that executable (no
browser download). Without a browser this test skips, unless
STOREOPS_REQUIRE_BROWSER=1 (set by .ci/run), under which it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BIN, ROOT

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:  # pragma: no cover - depends on the machine
        problem = f"playwright is not installed ({e})"
        pw = None
    else:
        problem = None if Path(CHROMIUM).is_file() else f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if problem:
        if os.environ.get("STOREOPS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"STOREOPS_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"])
    yield b
    b.close()
    pw.stop()


@pytest.fixture(scope="module")
def pages(demo_project):
    r = subprocess.run([BIN / "storeops", "run", "daily", "--date", "2026-11-26", "--config",
                        demo_project / "params" / "store.yaml"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    report = Path(r.stdout.strip().splitlines()[-1])
    return {"report": report, "index": demo_project / "reports" / "index.html"}


@pytest.mark.parametrize("name", ["report", "index"])
@pytest.mark.parametrize("width", [375, 1280])
def test_reads_well(browser, pages, name, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(pages[name].as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests)  # self-contained: nothing fetched
    images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.clientWidth])")
    assert all(done and natural > 0 for done, natural, _ in images)
    assert all(shown <= width for *_, shown in images)
    if name == "report":
        assert len(images) == 2
        assert page.locator("nav.so-toc a").count() == 11  # the overview and 10 sections
        assert page.title().startswith("测试服饰店 · 日报 2026-11-26")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.close()


def test_report_under_2_mb(pages):
    assert pages["report"].stat().st_size < 2 * 1024 * 1024


def test_a_row_keeps_its_name_while_the_table_scrolls(browser, pages):
    # on a phone the KPI table is wider than the screen: scrolled sideways, its first column stays put
    page = browser.new_page(viewport={"width": 390, "height": 900})
    page.goto(pages["report"].as_uri())
    page.wait_for_load_state("load")
    box = page.locator("table.so-kpis").locator("xpath=..")  # its .so-scroll
    wide = box.evaluate("b => b.scrollWidth - b.clientWidth")
    assert wide > 0  # the table is wider than a phone: it scrolls, the page does not
    first = page.locator("table.so-kpis tbody tr").first.locator("th").first
    second = page.locator("table.so-kpis tbody tr").first.locator("td").first
    x0, s0 = first.bounding_box()["x"], second.bounding_box()["x"]
    box.evaluate("b => { b.scrollLeft = 200; }")
    x1, s1 = first.bounding_box()["x"], second.bounding_box()["x"]
    assert abs(x1 - x0) < 1 and s1 < s0 - 100  # the name stays, the figures moved under it
    page.close()
