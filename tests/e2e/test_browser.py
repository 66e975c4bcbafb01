"""What a person sees: the archive and every review, zh and en, in headless Chromium at phone and desk width.

Debian's chromium, driven by Playwright's Python API with that executable (no
browser download). Without a browser this test skips, unless
STOREOPS_REQUIRE_BROWSER=1 (set by .ci/run), under which it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT

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
def pages(review, demo_project):
    return {"report": review("daily", "zh")[1], "index": demo_project / "reports" / "index.html"}


def _open(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests)  # self-contained: nothing fetched
    return page


@pytest.mark.parametrize("width", [375, 1280])
def test_the_archive_reads_well(browser, pages, width):
    page = _open(browser, pages["index"], width)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the archive scrolls sideways by {overflow}px at {width}px"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"index-{width}.png"), full_page=True)
    page.close()


#: what sticks out of the page, section by section: any element outside a table's own scrolling box
#: whose right edge passes the viewport; for each table, where its key columns are and what a phone
#: shows of it before scrolling; for each chart, how large its smallest text is drawn
LAYOUT = """() => {
  const W = document.documentElement.clientWidth;
  const sections = Array.from(document.querySelectorAll('section[id]'));
  const where = e => { let id = '(top)';
    for (const s of sections) if (s === e || s.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING) id = s.id;
    return id; };
  const out = [];
  document.querySelectorAll('body *').forEach(e => {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > W + 0.5 && !e.parentElement.closest('.so-scroll'))
      out.push(where(e) + ': ' + e.tagName.toLowerCase() + '.' + e.className);
  });
  const tables = Array.from(document.querySelectorAll('.so-scroll > table')).map(t => {
    const ths = Array.from(t.querySelectorAll('thead th'));
    return {section: where(t),
            keys: ths.map((th, i) => th.dataset.priority === '1' ? i : -1).filter(i => i >= 0),
            shown: ths.filter(th => th.getBoundingClientRect().right <= W + 0.5).length,
            first: ths.length ? ths[0].textContent : ''};
  });
  const charts = Array.from(document.querySelectorAll('img[data-text]')).map(i => {
    const wide = i.currentSrc === i.src;
    return [i.alt.slice(0, 40), parseFloat(wide ? i.dataset.text : i.dataset.narrowText) * i.clientWidth,
            wide ? 'wide' : 'narrow']; });
  return {out, tables, charts, images: document.images.length};
}"""

REVIEWS = [(kind, lang) for kind in ("daily", "weekly", "monthly", "replenishment", "pace") for lang in ("zh", "en")]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("kind,lang", REVIEWS)
def test_every_review_fits_a_phone_and_a_desk(browser, review, kind, lang, width):
    """Nothing sticks out of the page but a table's own scrolling body, in any section; a table's key
    columns come right after its row names, and a phone shows the first of them without scrolling;
    chart text is at least 11 px as drawn."""
    _, path, _ = review(kind, lang)
    page = _open(browser, path, width)
    seen = page.evaluate(LAYOUT)
    assert seen["out"] == [], f"{kind} {lang} at {width}px: sticks out of the page: {seen['out'][:5]}"
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    for t in seen["tables"]:
        assert t["keys"] == list(range(1, 1 + len(t["keys"]))), t  # right after the row's name, together
        if t["keys"] and width == 390:
            assert t["shown"] >= 2, f"{kind} {lang}: a phone shows only {t['first']!r} of a table in {t['section']}"
    assert len(seen["charts"]) == seen["images"], "every chart says how large its text is drawn"
    small = [(alt, round(px, 1)) for alt, px, _ in seen["charts"] if px < 11]
    assert small == [], f"{kind} {lang} at {width}px: chart text under 11 px: {small}"
    if width == 390:
        assert all(which == "narrow" for *_, which in seen["charts"])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{kind}-{lang}-{width}.png"), full_page=True)
    page.close()


def test_the_daily_as_a_reader_opens_it(browser, pages):
    page = _open(browser, pages["report"], 1280)
    images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
    assert len(images) == 2 and all(done and natural > 0 for done, natural in images)
    assert page.locator("nav.so-toc a").count() == 11  # the overview and 10 sections
    assert page.title().startswith("测试服饰店 · 日报 2026-11-26")
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
