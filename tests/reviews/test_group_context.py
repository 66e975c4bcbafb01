"""The group's figures over two tiny hand-made stores (group.context): a CNY store and a USD store,
a week across a month end converted part by part at each month's rate.

rates: USD 7.00 in 2026-11, 7.2018 in 2026-12. Week 2026-W49 = Mon 2026-11-30 … Sun 2026-12-06.

store  paid on      amount         converted
cn     2026-12-01   ¥100.00        100.00
us     2026-11-30   $10.00   ×7.00  70.00
us     2026-12-02   $20.00 ×7.2018 144.04  (144.036 → half up)
group paid amount 314.04, 3 paying buyers; the week before (W48): cn ¥50.00 on 11-24, us $5.00 on
11-25 ×7.00 = 35.00 → 85.00. us's change: 214.04 − 35.00 = 179.04; at November's rate the week's
dollars make 30.00 × 7.00 = 210.00, so the rate moved 4.04 and sales 175.00.

W50 (12-07 … 12-13) against W49, which spans the month end: us sold $15.00 on 12-08 = 108.03
(108.027). W49 was converted at 214.04 ÷ $30.00 in effect (7.13466…), so at that rate W50 makes
107.02: sales −107.02, the rate +1.01, together the change 108.03 − 214.04 = −106.01.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal as D

import ibis
import pytest

from storeops import warehouse
from storeops.group import config as gconfig
from storeops.group.context import GroupContext, Store
from storeops.group.sections import _bridge_rows
from storeops.periods import Period
from storeops.reviews.context import ReviewContext
from tests.conftest import load, write_config

W49 = Period.parse("2026-W49")


def orders(rows):
    return [{"order_id": f"o{i}", "buyer_id": f"b{i}", "created_at": f"{day} 10:00:00", "paid_at": f"{day} 10:05:00",
             "goods_amount": amount, "paid_amount": amount} for i, (day, amount) in enumerate(rows)]


@pytest.fixture
def ctx(tmp_path):
    write_config(tmp_path / "cn")
    write_config(tmp_path / "us")
    us = tmp_path / "us" / "params" / "store.yaml"
    us.write_text(us.read_text().replace("timezone: Asia/Shanghai", "timezone: America/Los_Angeles\n  currency: USD"))
    g = tmp_path / "g" / "params"
    g.mkdir(parents=True)
    (g / "rates.csv").write_text("month,currency,rate\n2026-11,USD,7.00\n2026-12,USD,7.2018\n")
    (g / "group.yaml").write_text("stores: [{folder: ../cn}, {folder: ../us}]\nrates_file: params/rates.csv\n")
    cfg = gconfig.load(tmp_path / "g")
    cons = []
    stores = []
    # an unpaid order every day from 11-01 to 12-06: the data covers both weeks
    fill = [{"order_id": f"u{d}", "buyer_id": "x", "created_at": f"{_dt.date(2026, 11, 1) + _dt.timedelta(days=d)} 09:00:00",
             "status": "created", "goods_amount": "1", "paid_amount": "0"} for d in range(43)]
    for m, paid in zip(cfg.members, ([("2026-12-01", "100.00"), ("2026-11-24", "50.00")],
                                     [("2026-11-30", "10.00"), ("2026-12-02", "20.00"), ("2026-11-25", "5.00"),
                                      ("2026-12-08", "15.00")])):
        con = ibis.duckdb.connect()
        warehouse.create_tables(con)
        load(con, orders=orders(paid) + fill)
        cons.append(con)
        stores.append(Store(m, ReviewContext(m.cfg, con, W49, "en", review="weekly")))
    yield GroupContext(cfg, W49, "en", "group-weekly", stores)
    for c in cons:
        c.disconnect()


def test_a_week_across_a_month_end_is_converted_part_by_part(ctx):
    us = ctx.stores[1]
    assert ctx.store_values(us, W49)["paid_amount"] == D("214.04")
    g = ctx.values(W49)
    assert g["paid_amount"] == D("314.04") and g["paying_buyers"] == 3 and g["paid_orders"] == 3
    assert g["atv"] == pytest.approx(314.04 / 3)
    assert g["uv"] is None and g["conversion"] is None  # neither store loads traffic: no visitors, not 0


def test_the_week_s_change_by_store_and_the_dollar_s_part(ctx):
    assert ctx.headline() == W49.previous()
    rows = {r["store"]: r for r in _bridge_rows(ctx, W49.previous())}
    us, cn = rows["us"], rows["cn"]
    assert (us["before"], us["after"], us["change"]) == (D("35.00"), D("214.04"), D("179.04"))
    assert (us["sales"], us["bridge_rate"]) == (D("175.00"), D("4.04"))
    assert (cn["change"], cn["bridge_rate"]) == (D("50.00"), 0)
    assert us["bridge_uv"] is None  # no visitors: the sales part is not split
    assert sum(r["change"] for r in rows.values()) == ctx.values(W49)["paid_amount"] - ctx.values(W49.previous())[
        "paid_amount"] == D("229.04")


def test_against_a_week_across_a_month_end_the_rate_is_the_one_it_was_converted_at(ctx):
    w50 = Period.parse("2026-W50")
    g = GroupContext(ctx.cfg, w50, "en", "group-weekly", ctx.stores)
    us = {r["store"]: r for r in _bridge_rows(g, W49)}["us"]
    assert (us["before"], us["after"], us["change"]) == (D("214.04"), D("108.03"), D("-106.01"))
    assert (us["sales"], us["bridge_rate"]) == (D("-107.02"), D("1.01"))


def test_with_a_store_left_out_there_is_no_share_of_the_company_nor_of_the_plan(ctx):
    from storeops.group.sections import plan_by_store

    dec = Period.parse("2026-12")
    ctx.cfg.raw["plan"] = {"company_sales": {"2026-12": 1000}}
    whole = GroupContext(ctx.cfg, dec, "en", "group-monthly", ctx.stores)
    plan_by_store(whole)
    assert whole.shown["group_online_share"] == pytest.approx(float(whole.values(dec)["paid_amount"]) / 1000)
    cn, us = ctx.stores
    partial = GroupContext(ctx.cfg, dec, "en", "group-monthly", [cn, Store(us.member, None, {"orders": [dec.start]})])
    page = str(plan_by_store(partial))
    assert "group_online_share" not in partial.shown  # the cn store's 100.00 is not 10 % of the company's sales
    assert "Test Apparel left out of the totals: no online share" in page
    assert "Share of the plan" not in page
