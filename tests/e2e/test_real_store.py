"""A real store's shape, end to end: a UK tea shop invoicing in GBP, closed on Saturdays, whose data
begins mid-year (Wednesday 2026-07-08), with no ads, no refunds and no launch dates. Its weekly and
monthly in zh and en must say only what is true of its data: £ everywhere, no refusal and no
banner for the Saturdays it never trades, "—" (not 0) for what it does not track, and no change
against a period the data does not cover.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import re
import shutil
import subprocess

import ibis
import pytest

from storeops import config, warehouse, weekly
from storeops.periods import Period
from storeops.reviews import compare
from storeops.reviews.context import ReviewContext
from tests.conftest import BIN, ROOT, frame
from tests.e2e.overview import assert_figures_match, assert_whole, publish

pytestmark = pytest.mark.e2e
FIRST, LAST = _dt.date(2026, 7, 8), _dt.date(2026, 9, 30)
STORE_YAML = """store:
  name: 泰晤士茶庄
  name_en: Thames Tea Co
  currency: GBP
  timezone: Europe/London
  language: en
warehouse:
  url: duckdb://data/warehouse.duckdb
thresholds:
  gross_margin_rate: 0.5
calendar:
  closed_weekdays: [sat]
  closed: ["12-25..12-26"]
"""
PRODUCTS = [(f"T{i:02d}", "Tea" if i < 12 else "Teaware", round(4.5 + 1.75 * i, 2)) for i in range(20)]


def _rows() -> dict[str, list[dict]]:
    """About 20 orders on each trading day, 1–3 lines each, shipped the next day; two free samples
    (paid 0, no buyer) in August; visitors on trading days."""
    rnd = random.Random(2026)
    orders, items, traffic = [], [], []
    day, n = FIRST, 0
    while day <= LAST:
        if day.weekday() != 5:
            traffic.append(dict(date=day, uv=rnd.randint(700, 900), pv=rnd.randint(2000, 2600)))
            for _ in range(rnd.randint(15, 25)):
                n += 1
                lines = [(rnd.choice(PRODUCTS), rnd.randint(1, 3)) for _ in range(rnd.randint(1, 3))]
                goods = sum(round(p[2] * q, 2) for p, q in lines)
                at = _dt.datetime.combine(day, _dt.time(8)) + _dt.timedelta(minutes=rnd.randint(0, 720))
                orders.append(dict(order_id=f"#{1000 + n}", buyer_id=f"c{rnd.randint(1, 400)}@example.co.uk",
                                   created_at=at, paid_at=at + _dt.timedelta(minutes=2),
                                   shipped_at=at + _dt.timedelta(hours=20), status="completed",
                                   goods_amount=f"{goods:.2f}", shipping_fee="3.95", paid_amount=f"{goods + 3.95:.2f}",
                                   discount_amount="0", tax_amount="0", refund_amount="0", is_urgent=False,
                                   source="shopify"))
                items += [dict(order_id=f"#{1000 + n}", line_no=i + 1, sku=p[0], qty=q, unit_price=f"{p[2]:.2f}",
                               amount=f"{p[2] * q:.2f}", refund_qty=0) for i, (p, q) in enumerate(lines)]
        day += _dt.timedelta(days=1)
    for i, d in enumerate((_dt.date(2026, 8, 4), _dt.date(2026, 8, 18))):  # samples: no sale, no buyer
        at = _dt.datetime.combine(d, _dt.time(9))
        orders.append(dict(order_id=f"#S{i}", created_at=at, paid_at=at, shipped_at=at + _dt.timedelta(hours=3),
                           status="completed", goods_amount="0", shipping_fee="0", paid_amount="0",
                           discount_amount="0", tax_amount="0", refund_amount="0", is_urgent=False, source="shopify"))
    products = [dict(sku=s, product_id=s, title=f"{c} {s}", category=c, price=f"{p:.2f}", unit_cost=f"{p / 2:.2f}",
                     status="on_sale", supplier="Leaf & Co") for s, c, p in PRODUCTS]
    return {"orders": orders, "order_items": items, "products": products, "traffic": traffic}


@pytest.fixture(scope="module")
def tea_shop(tmp_path_factory):
    root = tmp_path_factory.mktemp("tea_shop")
    (root / "params").mkdir()
    (root / "params" / "store.yaml").write_text(STORE_YAML, encoding="utf-8")
    (root / "data").mkdir()
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    con = ibis.duckdb.connect(root / "data" / "warehouse.duckdb")
    warehouse.create_tables(con)
    for name, rows in _rows().items():
        warehouse.upsert(con, name, frame(name, rows))
    con.disconnect()
    return root


RUNS = [("weekly", "--week", "2026-W29"), ("monthly", "--month", "2026-08")]


@pytest.fixture(scope="module", params=[(k, f, p, lang) for k, f, p in RUNS for lang in ("zh", "en")],
                ids=lambda r: f"{r[0]}-{r[3]}")
def published(request, tea_shop):
    kind, flag, label, lang = request.param
    return kind, label, publish(tea_shop, kind, flag, label, lang)


def _summary(html_path):
    return json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())


def _row(page: str, metric: str) -> str:
    return re.search(rf'<tr data-metric="{metric}"[^>]*>(.*?)</tr>', page, re.S).group(1)


def _words(page: str) -> str:
    """What the report itself says: the page without its data cells, code, images and styles."""
    page = re.sub(r"<(style|script|code|td)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<img[^>]*>", " ", page)
    return re.sub(r"<[^>]+>", " ", page)


def test_published_whole_in_pounds_without_refusal_or_banner(published, tea_shop):
    kind, label, (lang, html_path, page) = published
    assert_whole((lang, html_path, page), tea_shop, kind, label, ("overview", "actions", "kpis", "glossary"),
                 store_lang="en")
    assert 'class="so-banner"' not in page  # the Saturdays it never trades are not missing data
    assert "£" in page and "¥" not in page and "CN¥" not in page
    assert ("amounts in GBP (£)" if lang == "en" else "金额单位 GBP（£）") in page  # the code, said once
    config.load(tea_shop / "params" / "store.yaml")  # the test writes figures as the store does: in pounds
    assert assert_figures_match((lang, html_path, page)) >= 1


def test_untracked_data_is_no_zero(published):
    kind, label, (lang, html_path, page) = published
    s = _summary(html_path)
    for k in ("ad_cost", "store_roas", "spend_pacing", "refund_amount", "refund_rate", "action_ads_below_breakeven"):
        assert k not in s["metrics"], k
    for k in ("ad_cost", "refund_amount"):
        cells = _row(page, k)
        assert "£0.00" not in cells and "—" in cells, k
    assert "No product was launched" not in page and "近30天没有上架新品" not in page
    assert ("Products carry no launch date" in page) if lang == "en" else ("商品没有上架日期" in page)
    if kind == "monthly":  # the cost section leaves ads out, and says why
        costs = page[page.index('id="costs"'):page.index('id="health"')]
        assert "£0.00" not in costs.split("so-gap")[0].split("<thead>")[1].split("</thead>")[0]
        assert ("No advertising data" in costs) if lang == "en" else ("没有推广数据" in costs)
        assert "ad_cost" not in s["metrics"] and "marketing_cost_ratio" in s["metrics"]
        # new buyers need a year of history: said, with the day the data begins
        assert "2026-07-08" in page[page.index('id="members"'):]


def test_no_change_against_periods_before_the_data(published):
    kind, label, (lang, html_path, page) = published
    s = _summary(html_path)
    head = compare.HEADLINE[Period.parse(label).kind]
    # W28 (07-06 …) and July (07-01 …) begin before the data: every change against them is "—"
    assert all(v is None for basis in s["comparisons"].values() for v in basis.values())
    assert 'data-figure="comparisons.' not in page and head in s["comparisons"]
    assert not any(k.startswith("bridge_") for k in s["metrics"])
    said = {"zh": "的数据不完整（早于数据起始日或有缺失）", "en": "is not wholly in the data"}[lang]
    assert said in page


def test_words_fit_the_period_and_the_language(published):
    kind, label, (lang, html_path, page) = published
    # what the report says, and the glossary's definitions (table cells, but the catalog's words)
    glossary = page[page.index(">", page.index('id="glossary"')) + 1:]
    words = _words(page) + re.sub(r"<[^>]+>", " ", glossary)
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]", words), re.findall(r"\S*[\u4e00-\u9fff]+\S*", words)[:10]
        day_words = re.findall(r"\b(today|yesterday|this day|the day before)\b", words, re.I)
    else:
        # the platform's own terms, the product's name and the store's timezone (an identifier, as data)
        allowed = {"SKU", "UV", "PV", "ROI", "ROAS", "GMV", "DSR", "RFM", "KPI", "VIP", "ID", "GBP", "storeops", "Europe", "London"}
        english = [w for w in re.findall(r"[A-Za-z]{2,}", words) if w not in allowed]
        assert not english, sorted(set(english))[:20]
        day_words = re.findall(r"今天|今日|昨天|昨日|当天|当日", words)
    assert not day_words, day_words


def test_a_mean_over_fewer_weeks_says_how_many(tea_shop):
    # W31 (07-27 … 08-02): of the 4 weeks before, W30 and W29 are in the data, W28 and W27 are not
    cfg = config.load(tea_shop / "params" / "store.yaml")
    con = warehouse.connect(cfg, read_only=True)
    try:
        ctx = ReviewContext(cfg, con, Period.parse("2026-W31"), "zh")
        assert compare.short(ctx.period, ctx.bases()) == {"w4": 2}
        page = str(weekly.kpis(ctx))
        assert "较近4周均值（2周）" in page
    finally:
        con.disconnect()


def test_the_mail_is_in_pounds(published, tea_shop):
    from storeops.publish import mail

    kind, label, (lang, html_path, page) = published
    cfg = config.load(tea_shop / "params" / "store.yaml")
    body, plain = mail.digest(cfg, _summary(html_path), None)
    assert "£" in mail.subject(cfg, _summary(html_path)) and "£" in body and "¥" not in body + plain


def test_a_saturday_daily_is_one_line(tea_shop):
    r = subprocess.run([BIN / "storeops", "run", "daily", "--date", "2026-08-15", "--config",
                        tea_shop / "params" / "store.yaml"], capture_output=True, text=True)
    assert r.returncode == 0 and "2026-08-15: the store is closed that day" in r.stdout
    assert not (tea_shop / "reports" / "daily").exists()


def test_check_counts_zero_amount_orders_and_knows_the_calendar(tea_shop):
    # the two free samples of August are counted apart; Saturday is closed by the calendar already, so
    # nothing is suggested for it (and no other weekday or run of days is quiet)
    r = subprocess.run([BIN / "storeops", "check", "--config", tea_shop / "params" / "store.yaml"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "2 orders paid for 0 (stock adjustments, tests, samples): no sale and no buyer in any figure" in r.stdout
    assert "closed_weekdays" not in r.stdout and "calendar.closed" not in r.stdout
