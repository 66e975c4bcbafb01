"""The group review end to end, as `make demo-group` and cron run it: the demo group's three stores
(Tmall and JD in CNY in Shanghai, Shopify in USD in Los Angeles) built once, each store's own
reviews and the group's published, and the group's figures checked against the stores' own
summary.json figures converted at the rates file's rates, to the cent."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BIN
from tests.e2e.overview import machine_words
from tests.e2e.test_browser import ARTIFACTS, LAYOUT, _open, browser  # noqa: F401  (a fixture)
from tests.publish.conftest import PASSWORD, USER, smtp_server  # noqa: F401  (a fixture)

pytestmark = pytest.mark.e2e
END = "2026-11-26"
STORES = ("tmall", "jd", "shopify")
CENT = Decimal("0.01")


def storeops(*args, ok: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    r = subprocess.run([BIN / "storeops", *map(str, args)], capture_output=True, text=True, timeout=900,
                       env={**os.environ, **(env or {})})
    if ok:
        assert r.returncode == 0, r.stderr
    return r


@pytest.fixture(scope="module")
def group(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("group")
    storeops("demo", "--group", root, "--days", 430, "--end", END, "--scale", 0.3)
    return root


@pytest.fixture(scope="module")
def published(group):
    """``published(kind, label, lang=None, store=None)``: (html path, page, summary) of a review, made on first
    use; a group review after its stores' own."""
    done = {}
    flags = {"daily": "--date", "weekly": "--week", "monthly": "--month"}

    def get(kind: str, label: str, lang: str | None = None, store: str | None = None):
        key = (kind, label, lang, store)
        if kind.startswith("group-"):  # as cron runs them: each store's own review first, which the group links
            for s in STORES:
                get(kind.removeprefix("group-"), label, store=s)
        if key not in done:
            where = (["--config", group / "stores" / store / "params" / "store.yaml"] if store else
                     ["--group", group])
            r = storeops("run", kind, flags[kind.removeprefix("group-")], label, *where,
                         *(["--lang", lang] if lang else []))
            html = Path(r.stdout.strip().splitlines()[-1])
            done[key] = (html, html.read_text(encoding="utf-8"),
                         json.loads(html.with_name(html.name.replace(".html", ".summary.json")).read_text()))
        return done[key]

    return get


def rates(group: Path) -> dict[str, Decimal]:
    with (group / "params" / "rates.csv").open() as f:
        return {r["month"]: Decimal(r["rate"]) for r in csv.DictReader(f) if r["currency"] == "USD"}


def conv(v, currency: str, month: str, group: Path) -> Decimal:
    rate = rates(group)[month] if currency == "USD" else Decimal(1)
    return (Decimal(str(v)) * rate).quantize(CENT, ROUND_HALF_UP)


@pytest.mark.parametrize("kind,label", [("daily", END), ("weekly", "2026-W47")])
def test_the_group_is_its_stores_summaries_converted_to_the_cent(group, published, kind, label):
    html, page, g = published(f"group-{kind}", label, "zh" if kind == "daily" else "en")
    own = {s: published(kind, label, store=s)[2] for s in STORES}
    currency = {"tmall": "CNY", "jd": "CNY", "shopify": "USD"}
    month = "2026-11"
    m = g["metrics"]
    assert g["currency"] == "CNY" and own["shopify"]["currency"] == "USD"
    for mid in ("paid_amount", "ad_cost", "refund_amount", "order_amount"):
        expected = sum(conv(own[s]["metrics"][mid], currency[s], month, group) for s in STORES)
        assert Decimal(str(m[mid])) == expected, mid
    for mid in ("paid_orders", "paying_buyers", "uv", "orders"):
        assert m[mid] == sum(own[s]["metrics"][mid] for s in STORES), mid
    assert m["conversion"] == pytest.approx(m["paying_buyers"] / m["uv"])
    assert m["atv"] == pytest.approx(m["paid_amount"] / m["paying_buyers"])
    assert m["store_roas"] == pytest.approx(m["paid_amount"] / m["ad_cost"])
    assert m["target"] == pytest.approx(float(sum(conv(own[s]["metrics"]["target"], currency[s], month, group)
                                                  for s in STORES)), abs=0.005)
    rows = {r["store"]: r for r in g["lists"]["stores"]}
    for s in STORES:  # each store as its own review shows it, converted
        assert rows[s]["paid_amount_local"] == own[s]["metrics"]["paid_amount"]
        assert Decimal(str(rows[s]["paid_amount"])) == conv(own[s]["metrics"]["paid_amount"], currency[s], month, group)
    assert sum(r["store_share"] for r in rows.values()) == pytest.approx(1.0)
    # the change by store adds up to the group's, to the cent, and each row to its own change
    bridge = g["lists"]["bridge"]
    for r in bridge:
        change = Decimal(str(r["change"]))
        assert Decimal(str(r["after"])) - Decimal(str(r["before"])) == change
        parts = [Decimal(str(r[k])) for k in ("bridge_uv", "bridge_conversion", "bridge_atv", "bridge_rate")]
        assert sum(parts) == change, r["store"]
        assert Decimal(str(r["after"])) == Decimal(str(rows[r["store"]]["paid_amount"]))
    total = sum(Decimal(str(r["change"])) for r in bridge)
    assert Decimal(str(m["group_change"])) == total
    before = Decimal(str(m["paid_amount"])) - total
    assert g["comparisons"]["wow"]["paid_amount"] == pytest.approx(float(Decimal(str(m["paid_amount"])) / before - 1))
    assert all(Decimal(str(r["bridge_rate"])) == 0 for r in bridge)  # both periods in November: one rate


@pytest.mark.parametrize("kind,label", [("daily", END), ("weekly", "2026-W47")])
def test_the_group_review_reads_whole_and_merges_each_store_s_actions(group, published, kind, label):
    own = {s: published(kind, label, store=s) for s in STORES}
    for lang in ("zh", "en"):
        html, page, g = published(f"group-{kind}", label, lang)
        assert html == group / "reports" / f"group-{kind}" / "2026" / f"group-{kind}-{label}{'' if lang == 'zh' else '.en'}.html"
        for anchor in ("overview", "kpis", "stores", "bridge", "actions", "glossary"):
            assert f'id="{anchor}"' in page, anchor
        for sign in ("Traceback", "nan", "None", "NaN"):
            assert not re.search(rf"\b{sign}\b", page), sign
        assert not machine_words(page), machine_words(page)
        assert ("America/Los_Angeles" in page) and ("USD" in page)  # each store's own business day, the rate
        assert (">天猫<" if lang == "zh" else ">Tmall<") in page and ">tmall<" not in page  # platforms as said
        listed = {(a["store"], a["key"]): a["count"] for a in g["lists"]["actions"]}
        for s in STORES:
            mine = {k.removeprefix("action_"): v for k, v in own[s][2]["metrics"].items()
                    if k.startswith("action_") and v}
            assert {k: v for (st, k), v in listed.items() if st == s} == mine, s
        # each store's name links its own review, which is there
        links = re.findall(r'<h3><a href="([^"]+)">', page[page.index('id="actions"'):])
        assert len(links) == 3 and all((html.parent / link).resolve().is_file() for link in links)
        assert [Path(link).parts[-5] for link in links] == list(STORES)  # stores/<key>/reports/<kind>/2026/…
        for key in {k for _, k in listed}:
            assert g["metrics"][f"action_{key}"] == sum(v for (_, k), v in listed.items() if k == key)


def test_the_group_monthly_shows_the_plan_by_store_and_the_online_share(group, published):
    html, page, g = published("group-monthly", "2026-10", "zh")
    for anchor in ("overview", "kpis", "stores", "bridge", "actions", "plan", "glossary"):
        assert f'id="{anchor}"' in page, anchor
    import yaml

    company = yaml.safe_load((group / "params" / "group.yaml").read_text())["plan"]["company_sales"]["2026-10"]
    assert g["metrics"]["group_online_share"] == pytest.approx(g["metrics"]["paid_amount"] / company)
    assert g["comparisons"]["yoy"]["paid_amount"] is not None  # 430 days: October a year back is covered
    bridge = {r["store"]: r for r in g["lists"]["bridge"]}  # September's rate against October's: the dollar moved
    usd = rates(group)
    shop = bridge["shopify"]
    local_now = Decimal(str(next(r for r in g["lists"]["stores"] if r["store"] == "shopify")["paid_amount_local"]))
    assert Decimal(str(shop["bridge_rate"])) == Decimal(str(shop["after"])) - (local_now * usd["2026-09"]).quantize(
        CENT, ROUND_HALF_UP) != 0
    assert Decimal(str(bridge["tmall"]["bridge_rate"])) == 0
    en = published("group-monthly", "2026-10", "en")[1]
    assert "Plan by store" in en and not machine_words(en)


def test_the_archive_lists_the_group_s_reviews_and_links_each_store_s_archive(group, published):
    published("group-daily", END, "zh")
    index = (group / "reports" / "index.html").read_text()
    assert f"group-daily/2026/group-daily-{END}.html" in index
    for s in STORES:
        assert f'href="../stores/{s}/reports/index.html"' in index


@pytest.fixture
def copy(group, tmp_path) -> Path:
    """A copy of the demo group to spoil (the stores are named by folder, so the copy keeps their names)."""
    dest = tmp_path / "group"
    shutil.copytree(group, dest, ignore=shutil.ignore_patterns("reports"))
    return dest


def test_a_store_missing_a_day_refuses_the_group_by_name_or_is_left_out(copy):
    db = duckdb.connect(str(copy / "stores" / "jd" / "data" / "warehouse.duckdb"))
    db.execute("delete from orders where created_at::date = date '2026-11-20'")
    db.close()
    for more in ([], ["--stores"]):  # with --stores too: refused before any store's own review is published
        r = storeops("run", "group-daily", "--group", copy, "--date", "2026-11-20", *more, ok=False)
        assert r.returncode == 1
        assert "jd has no data for 2026-11-20 in orders" in r.stderr and "--allow-incomplete" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert not list((copy / "stores").glob("*/reports/daily/2026/daily-2026-11-20.html"))
    assert not list((copy / "reports").rglob("*.html")) if (copy / "reports").exists() else True
    ok = storeops("run", "group-daily", "--group", copy, "--date", "2026-11-20", "--allow-incomplete")
    html = Path(ok.stdout.strip().splitlines()[-1])
    page, g = html.read_text(), json.loads(html.with_name(html.name.replace(".html", ".summary.json")).read_text())
    assert "云裳服饰京东店 缺少 2026-11-20 的订单数据" in page and "so-banner" in page
    assert [r["store"] for r in g["lists"]["stores"]] == ["tmall", "shopify"]
    assert Decimal(str(g["metrics"]["paid_amount"])) == sum(Decimal(str(r["paid_amount"])) for r in g["lists"]["stores"])


def test_a_missing_rate_is_refused_naming_the_currency_and_month(copy):
    rates_csv = copy / "params" / "rates.csv"
    rates_csv.write_text("".join(line for line in rates_csv.read_text().splitlines(True) if "2026-11," not in line))
    r = storeops("run", "group-daily", "--config", copy / "params" / "group.yaml", "--date", END, ok=False)
    assert r.returncode == 1
    assert "no exchange rate for USD in 2026-11" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_misspelt_group_setting_is_refused_with_its_line(copy):
    p = copy / "params" / "group.yaml"
    p.write_text(p.read_text().replace("rates_file:", "rate_file:"))
    r = storeops("run", "group-daily", "--group", copy, ok=False)
    assert r.returncode == 1 and "rate_file is no setting (did you mean rates_file?)" in r.stderr
    assert re.search(r"group\.yaml:\d+:", r.stderr)


def test_the_group_plan_splits_by_last_year_and_trend_and_keeps_edits(copy):
    db = duckdb.connect(str(copy / "stores" / "jd" / "data" / "warehouse.duckdb"))  # JD opened on 2025-12-20
    db.execute("delete from orders where created_at < timestamp '2025-12-20'")
    db.close()
    storeops("plan", "--group", copy, "--month", "2026-12", "--target", "1000000")
    with (copy / "params" / "targets" / "group-2026-12.csv").open() as f:
        rows = {r["store"]: r for r in csv.DictReader(f)}
    assert sum(Decimal(r["target"]) for r in rows.values()) == Decimal("1000000.00")
    usd = rates(copy)

    def paid(store: str, month: str) -> Decimal:  # the store's paid amount of a month, by its own SQL
        db = duckdb.connect(str(copy / "stores" / store / "data" / "warehouse.duckdb"), read_only=True)
        v = db.execute(f"select coalesce(sum(paid_amount), 0) from orders where paid_amount > 0 and "
                       f"strftime(paid_at, '%Y-%m') = '{month}'").fetchone()[0]
        db.close()
        return conv(v, "USD" if store == "shopify" else "CNY", month, copy) if v else Decimal(0)

    # the data begins on 2025-09-23: September 2025 is not whole, so no store has a year-back trend
    # (×1); JD, open since 2025-12-20, has no December a year back: its run rate of Sep–Nov 2026
    # (91 days) for December's 31 days
    weights = {s: paid(s, "2025-12") for s in ("tmall", "shopify")}
    weights["jd"] = sum(paid("jd", m) for m in ("2026-09", "2026-10", "2026-11")) / 91 * 31
    assert all(rows[s]["trend"] == "" for s in STORES) and rows["jd"]["last_year"] == ""
    for s in STORES:
        share = weights[s] / sum(weights.values())
        assert abs(Decimal(rows[s]["target"]) - (Decimal(1000000) * share)) <= CENT, s
        days = (copy / "stores" / s / "params" / "targets" / "2026-12.csv").read_text().splitlines()[1:]
        assert sum(Decimal(d.split(",")[-1]) for d in days) == Decimal(rows[s]["target_local"])
    assert Decimal(rows["shopify"]["target_local"]) == (Decimal(rows["shopify"]["target"]) / usd["2026-12"]).quantize(
        CENT, ROUND_HALF_UP)
    # the GM moves 50,000 to JD in the group file; without --target the stores' files follow it
    again = storeops("plan", "--group", copy, "--month", "2026-12", "--target", "1000000", ok=False)
    assert again.returncode == 1 and "exists (it may hold your edits)" in again.stderr
    f = copy / "params" / "targets" / "group-2026-12.csv"
    jd = Decimal(rows["jd"]["target"]) + 50000
    f.write_text(f.read_text().replace(f"{rows['jd']['target']},", f"{jd:.2f},", 1))
    storeops("plan", "--group", copy, "--month", "2026-12", "--force")
    days = (copy / "stores" / "jd" / "params" / "targets" / "2026-12.csv").read_text().splitlines()[1:]
    assert sum(Decimal(d.split(",")[-1]) for d in days) == jd


def test_the_group_daily_is_mailed_to_the_group_s_list_once(copy, smtp_server):  # noqa: F811
    inbox, port = smtp_server
    (copy / "params" / "email.yaml").write_text(
        f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  tls: none\n  user: {USER}\n  password_env: TEST_SMTP_PASSWORD\n"
        'from: "集团报表 <reports@example.com>"\nrecipients:\n  group-daily: [ceo@example.com]\n', encoding="utf-8")
    env = {"TEST_SMTP_PASSWORD": PASSWORD}
    storeops("run", "group-daily", "--group", copy, "--date", END, "--send", env=env)
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert "集团日报" in msg["Subject"] and "云裳集团" in msg["Subject"]
    assert inbox.envelopes[0][1] == ["ceo@example.com"]
    again = storeops("run", "group-daily", "--group", copy, "--date", END, "--send", env=env)
    assert len(inbox.messages) == 1 and "not sent again" in again.stderr


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_stores_side_by_side_fit_a_phone_and_a_desk(browser, published, lang, width):  # noqa: F811
    html, _, _ = published("group-daily", END, lang)
    page = _open(browser, html, width)
    seen = page.evaluate(LAYOUT)
    assert seen["out"] == [], f"group {lang} at {width}px: sticks out of the page: {seen['out'][:5]}"
    for t in seen["tables"]:
        assert t["keys"] == list(range(1, 1 + len(t["keys"]))), t
        if t["keys"] and width == 390:
            assert t["shown"] >= 2, f"a phone shows only {t['first']!r} of a table in {t['section']}"
    stores = [t for t in seen["tables"] if t["section"] == "stores"]
    assert len(stores) == 1 and (width == 1280 or stores[0]["shown"] >= 3)  # name, paid amount, share at 390
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#stores").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"group-daily-{lang}-{width}.png"), full_page=True)
    page.close()
