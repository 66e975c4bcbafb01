"""The replenishment table and the stock ledger, worked by hand. Report day D = Thu 2026-11-26: the
stock counted that day, sales to the day before: its 28 days are 10-29 … 11-25, its 30 days 10-27 … 11-25.
(Day i below is 10-30 + i.)

SKU  cost lead moq case  on hand                    paid in the 28 days              class
H    10   9    50  12    8 every day, 6 on D        2 units (¥100) on even days: 28   hot    (1,400 of 1,700)
S    5    —    —   4     40; 18 on 11-19; 11 on D   1 unit (¥10) every day (10-29 on): 28   steady (82 % before)
L    8    20   30  10    500 every day              2 units (¥20) on 11-20           slow   (before it 99 %)
N    6    0    —   —     30 every day               — (launched 11-20)               slow
X    1    10   —   —     −3 every day               —                                slow
Z    1    10   —   —     0 every day                —                                slow
M    1    10   —   —     7 until 11-25, none on D   —                                slow

Open purchase orders at D: H 2 (po1, due 11-29); S 10 (po3, due 12-05). po2 (H, received 11-10) and
po5 (H, 12 ordered, 10 received 11-22) are closed.

velocity, σ (sample, in-stock days), z (NormalDist): hot 1.6448536, slow 0.8416212
H  v = 28/28 = 1; σ = √(28/27) = 1.0183501 (14 twos, 14 zeros around a mean of 1)
   safety = 1.6448536 × 1.0183501 × √9 = 5.0251108; ROP = 9 + 5.0251108 = 14.0251108
   position = 6 + 2 = 8 < ROP → reorder; 8 / 1 = 8 days < 9 lead → urgent (runs out before an order lands)
   need = 1 × (9 + 28) + 5.0251108 − 6 − 2 = 34.03 → at least the MOQ 50 → whole cases of 12 → 60 (¥600)
   days of cover 6 → stock-out 12-02
S  v = 1, σ = 0; lead 15 (default: none set); ROP = 15; position 11 + 10 = 21 ≥ 15, but 21 − 7 = 14 < 15
   → watch; need = 1 × (15 + 21) − 11 − 10 = 15 → cases of 4 → 16 (¥80); cover 11 → 12-07
L  v = 2/28 = 1/14; σ = √((4 − 28/196)/27) = √(1/7); cover 500 × 14 = 7,000 > 90 → overstock, need < 0 → 0
N  new (launched 6 days before D), no sales: ok; lead 0 gives no safety stock and no NaN
X  on hand −3 counts as 0: ok; Z nothing on hand and no sales: ok; M no count on D: no_count
Order: H (urgent), S (watch), L (overstock), M (no_count), N, X, Z (ok, by SKU).
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import pytest

from storeops.errors import ConfigError
from storeops.metrics import inventory, replenishment as rep
from storeops.periods import Period
from tests.conftest import load

D = _dt.date(2026, 11, 26)
START = _dt.date(2026, 10, 28)
WEEK = Period(_dt.date(2026, 11, 20), D, "custom")


def _day(i: int) -> _dt.date:
    return _dt.date(2026, 10, 30) + _dt.timedelta(days=i)


@pytest.fixture
def t(con):
    days = [START + _dt.timedelta(days=i) for i in range(30)]
    stock = {"H": lambda d: 6 if d == D else 8, "S": lambda d: 11 if d == D else 18 if d == _dt.date(2026, 11, 19) else 40,
             "L": lambda d: 500, "N": lambda d: 30, "X": lambda d: -3, "Z": lambda d: 0, "M": lambda d: 7}
    inv = [dict(date=d.isoformat(), sku=s, on_hand=f(d)) for d in days for s, f in stock.items()
           if not (s == "M" and d == D)]
    orders, lines = [], []

    def sale(oid, day, sku, qty, amount, **extra):
        ts = f"{day.isoformat()} 10:00"
        orders.append(dict(order_id=oid, buyer_id="b" + oid, created_at=ts, paid_at=ts, goods_amount=amount,
                           paid_amount=amount, **extra))
        lines.append(dict(order_id=oid, line_no=1, sku=sku, qty=qty, unit_price="1", amount=amount,
                          refund_qty=extra.get("refund_amount") and 1 or 0))

    for i in range(28):
        if i % 2 == 0:
            sale(f"h{i}", _day(i), "H", 2, "100",
                 **(dict(refund_amount="50", refunded_at="2026-11-22 10:00") if i == 0 else {}))
    for i in range(-1, 28):
        sale(f"s{i}", _day(i), "S", 1, "10")
    sale("l1", _dt.date(2026, 11, 20), "L", 2, "20")

    def prod(sku, cost, lead=10, moq=None, case=None, cat=None, launched="2026-01-01"):
        return dict(sku=sku, product_id="P" + sku, title="T" + sku, category=cat, unit_cost=str(cost),
                    status="on_sale", lead_time_days=lead, moq=moq, case_pack=case, launched_on=launched,
                    supplier="S1" if sku in "HS" else "S2")

    pos = [dict(po_id="po1", sku="H", qty_ordered=2, qty_received=0, ordered_on="2026-11-20", expected_on="2026-11-29"),
           dict(po_id="po2", sku="H", qty_ordered=30, qty_received=30, ordered_on="2026-11-01",
                expected_on="2026-11-10", received_on="2026-11-10"),
           dict(po_id="po3", sku="S", qty_ordered=10, qty_received=0, ordered_on="2026-11-25", expected_on="2026-12-05"),
           dict(po_id="po5", sku="H", qty_ordered=12, qty_received=10, ordered_on="2026-11-10",
                expected_on="2026-11-21", received_on="2026-11-22")]
    return load(con, inventory=inv, orders=orders, order_items=lines, purchase_orders=pos, products=[
        prod("H", 10, 9, 50, 12, "tops"), prod("S", 5, None, None, 4, "tops"), prod("L", 8, 20, 30, 10, "pants"),
        prod("N", 6, 0, cat="pants", launched="2026-11-20"), prod("X", 1), prod("Z", 1), prod("M", 1)])


@pytest.fixture
def plan(t):
    return rep.table(inventory.stock_status(t, D, sales_to=D - _dt.timedelta(days=1)), rep.on_order(t, D),
                     rep.Settings(), D).set_index("sku")


def test_on_order_counts_open_lines_only(t):
    o = rep.on_order(t, D)
    assert o[["po_id", "sku", "qty"]].values.tolist() == [["po1", "H", 2], ["po3", "S", 10]]
    # before po5 was received (11-22), its 12 units were on order
    assert rep.on_order(t, _dt.date(2026, 11, 21)).set_index("po_id").qty.to_dict() == {"po1": 2, "po5": 12}


def test_velocity_sigma_safety_stock_and_reorder_point(plan):
    assert plan.loc["H", "velocity"] == pytest.approx(1) and plan.loc["H", "sigma"] == pytest.approx(1.0183501)
    assert plan.loc["H", "safety_stock"] == pytest.approx(5.0251108)
    assert plan.loc["H", "reorder_point"] == pytest.approx(14.0251108)
    assert plan.loc["S", "sigma"] == 0 and plan.loc["S", "reorder_point"] == pytest.approx(15)
    assert plan.loc["L", "velocity"] == pytest.approx(1 / 14) and plan.loc["L", "sigma"] == pytest.approx((1 / 7) ** .5)
    assert plan.loc["L", "safety_stock"] == pytest.approx(0.8416212 * (1 / 7) ** .5 * 20 ** .5)
    assert plan.sales_class.to_dict() == {"H": "hot", "S": "steady", "L": "slow", "M": "slow", "N": "slow",
                                          "X": "slow", "Z": "slow"}


def test_suggested_quantity_rounds_to_moq_and_case_pack(plan):
    assert plan.suggested_qty.to_dict() == {"H": 60, "S": 16, "L": 0, "M": 0, "N": 0, "X": 0, "Z": 0}
    assert plan.loc["H", "order_value"] == 600 and plan.loc["S", "order_value"] == 80


def test_sales_are_counted_to_the_day_before_the_count(t):
    # S's sale on D itself (the morning of the count) is not in its 28 days: 10-29 … 11-25, 28 units
    s = inventory.stock_status(t, D, sales_to=D - _dt.timedelta(days=1)).set_index("sku")
    assert s.loc["S", "units_28"] == 28 and s.loc["S", "on_hand"] == 11  # the count of D


def test_status_urgency_and_order(plan):
    assert plan.index.tolist() == ["H", "S", "L", "M", "N", "X", "Z"]
    assert plan.status.to_dict() == {"H": "reorder", "S": "watch", "L": "overstock", "M": "no_count", "N": "ok",
                                     "X": "ok", "Z": "ok"}
    assert plan.urgent.tolist() == [True] + [False] * 6
    assert plan.loc["H", "stockout_date"] == _dt.date(2026, 12, 2) and plan.loc["S", "days_cover"] == 11
    assert plan.loc["L", "days_cover"] == pytest.approx(7000)


def test_edge_cases_give_no_nan(plan):
    cols = ["velocity", "sigma", "safety_stock", "reorder_point", "suggested_qty", "order_value", "stock_value",
            "on_order", "lead_time_days"]
    assert not plan[cols].isna().any().any()
    assert plan.loc["N", "lead_time_days"] == 0 and plan.loc["N", "safety_stock"] == 0
    assert plan.loc["X", "on_hand"] == -3 and plan.loc["X", "stock_value"] == 0  # negative on hand counts as 0
    assert not plan.loc["S", "lead_time_set"] and plan.loc["S", "lead_time_days"] == 15  # the default, flagged
    assert plan.loc["H", "arrivals"] == "11-29 ×2" and plan.loc["S", "next_arrival"] == _dt.date(2026, 12, 5)


def test_totals_by_status_and_class(plan):
    by = rep.totals(plan.reset_index(), "status").set_index("status")
    assert by.index.tolist() == ["reorder", "watch", "overstock", "no_count", "ok"]
    assert by.loc["ok"].tolist() == [3, 27, 180, 0, 0]  # N 30, X −3 (worth 0), Z 0
    assert by.loc["reorder"].tolist() == [1, 6, 60, 60, 600]
    cls = rep.totals(plan.reset_index(), "sales_class").set_index("sales_class")
    assert cls.skus.to_dict() == {"hot": 1, "steady": 1, "slow": 5}
    assert cls.loc["slow", "stock_value"] == 4000 + 180


def test_settings_from_store_yaml():
    s = rep.Settings.from_config({"replenishment": {"cover_days": {"hot": 14}, "lead_time_days": 7}})
    assert s.cover_days == {"hot": 14, "steady": 21, "slow": 7} and s.lead_time_days == 7
    assert s.z("steady") == pytest.approx(1.2815516)
    for bad, says in [({"cover_days": {"fast": 3}}, "cover_days"), ({"service_level": {"hot": 1.2}}, "service_level.hot"),
                      ({"moq": 0}, "moq"), ({"stock_falls_at": "order"}, "stock_falls_at"), ({"lead": 3}, "lead")]:
        with pytest.raises(ConfigError, match=says):
            rep.Settings.from_config({"replenishment": bad})


# ---------------------------------------------------------------- ledger, week 11-20 … 11-26
# H: opening 8 (11-19) + received 10 (po5) − sold 6 (11-21, 23, 25) + returned 1 (h0, refunded 11-22)
#    = 13; counted 6 → −7 units, −¥70
# S: 18 − 7 = 11; counted 11 → 0.   L: 500 − 2 = 498; counted 500 → +2, +¥16.
# N 30 → 30, X −3 → −3, Z 0 → 0: 0.  M: no count on D → no expected-vs-counted figure.


def test_ledger_reconciles_by_hand(t):
    led = rep.ledger(t, WEEK).set_index("sku")
    assert led.loc["H", rep.LEDGER].tolist() == [8, 10, 6, 1, 13, 6, -7]
    assert led.loc["H", "difference_value"] == -70
    assert led.loc["S", rep.LEDGER].tolist() == [18, 0, 7, 0, 11, 11, 0]
    assert led.loc["L", ["expected", "counted", "difference", "difference_value"]].tolist() == [498, 500, 2, 16]
    assert pd.isna(led.loc["M", "counted"]) and pd.isna(led.loc["M", "difference"]) and led.loc["M", "expected"] == 7


def test_ledger_totals_by_category(t):
    g = rep.ledger_totals(rep.ledger(t, WEEK)).set_index("category")
    assert g.loc["tops", rep.LEDGER].tolist() == [26, 10, 13, 1, 24, 17, -7]
    assert g.loc["tops", ["opening_value", "sold_value", "expected_value", "counted_value", "difference_value"]
                 ].tolist() == [170, 95, 185, 115, -70]
    assert g.loc["pants", rep.LEDGER].tolist() == [530, 0, 2, 0, 528, 530, 2] and g.loc["pants", "difference_value"] == 16
    assert g.loc["—", ["skus", "uncounted", "opening", "difference"]].tolist() == [2, 1, -3, 0]


def test_ledger_by_shipment_counts_what_left(t, con):
    con.raw_sql("UPDATE orders SET shipped_at = TIMESTAMP '2026-11-27 09:00' WHERE order_id = 'l1'")
    con.raw_sql("UPDATE orders SET shipped_at = TIMESTAMP '2026-11-21 09:00' WHERE order_id = 's0'")
    led = rep.ledger(t, WEEK, "shipment").set_index("sku")
    assert led.loc["L", "sold"] == 0 and led.loc["S", "sold"] == 1  # paid 10-30, shipped in the week


def test_overdue_orders_are_marked_and_no_orders_is_no_crash(t):
    later = D + _dt.timedelta(days=4)  # 11-30: po1 (due 11-29) has not come
    pos = rep.on_order(t, later)
    plan = rep.table(inventory.stock_status(t, D, D - _dt.timedelta(days=1)), pos, rep.Settings(), later).set_index("sku")
    assert plan.loc["H", "arrivals"] == "11-29 ×2!" and plan.loc["H", "overdue"] == 2
    assert plan.loc["S", "arrivals"] == "12-05 ×10" and plan.loc["S", "overdue"] == 0
    none = rep.table(inventory.stock_status(t, D), pos.iloc[0:0], rep.Settings(), D)
    assert (none.arrivals == "").all() and (none.on_order == 0).all() and none.next_arrival.isna().all()


def test_a_sku_out_of_stock_all_28_days_keeps_its_demand(con):
    # O sold 10 units on 10-01 … 10-10 with stock on those days, then nothing on hand to D:
    # no in-stock day in the 28, so its rate comes from the 90 days: 10 units ÷ 10 days = 1 a day.
    days = [_dt.date(2026, 10, 1) + _dt.timedelta(days=i) for i in range(57)]
    t = load(con, inventory=[dict(date=d.isoformat(), sku="O", on_hand=5 if d.day <= 10 and d.month == 10 else 0)
                             for d in days],
             orders=[dict(order_id=f"o{i}", buyer_id="b", created_at=f"2026-10-{i:02d} 10:00",
                          paid_at=f"2026-10-{i:02d} 10:00", goods_amount="10", paid_amount="10") for i in range(1, 11)],
             order_items=[dict(order_id=f"o{i}", line_no=1, sku="O", qty=1, unit_price="10", amount="10", refund_qty=0)
                          for i in range(1, 11)],
             products=[dict(sku="O", product_id="PO", title="TO", status="on_sale", lead_time_days=10,
                            unit_cost="4")])
    s = inventory.stock_status(t, D, D - _dt.timedelta(days=1)).set_index("sku")
    assert s.loc["O", "in_stock_days"] == 0 and s.loc["O", "velocity"] == 1 and s.loc["O", "velocity_days"] == 90
    plan = rep.table(s.reset_index(), rep.on_order(t, D), rep.Settings(), D).set_index("sku")
    # slow (no sale in 30 days): ROP = 1 × 10 + 0; nothing on hand or on order: reorder, urgent,
    # 1 × (10 + 7) = 17 units
    assert plan.loc["O", ["status", "urgent", "suggested_qty"]].tolist() == ["reorder", True, 17]


def test_ledger_totals_count_a_category_nobody_counted(t, con):
    con.raw_sql("DELETE FROM inventory WHERE sku IN ('L', 'N') AND date = DATE '2026-11-19'")
    g = rep.ledger_totals(rep.ledger(t, WEEK)).set_index("category")
    assert g.loc["pants", ["skus", "uncounted", "difference"]].tolist() == [0, 2, 0]


def test_an_overdue_order_is_no_cover_but_a_problem_to_chase(con):
    # A, the only seller: 2 units a day 10-29 … 11-25 (v = 2, σ = 0), 20 on hand each day, 0 counted on D.
    # po9: 350 units due 11-20, not come by D (6 days overdue). Lead time 10: ROP = 2 × 10 = 20.
    # Not trusted (the default): on order shows 350, but the position is 0 < 20 → reorder; urgent (a hot
    # SKU at 0, and 0 < 2 × 10); order 2 × (10 + 28) = 76. Trusted: position 350 → ok, order 0, still
    # urgent (nothing on the shelf today). Chase list: po9, A, 350 units, 6 days overdue, runs out D.
    days = [_dt.date(2026, 10, 29) + _dt.timedelta(days=i) for i in range(29)]
    t = load(con, inventory=[dict(date=d.isoformat(), sku="A", on_hand=0 if d == D else 20) for d in days],
             orders=[dict(order_id=f"a{i}", buyer_id="b", created_at=f"{d} 10:00", paid_at=f"{d} 10:00",
                          goods_amount="20", paid_amount="20") for i, d in enumerate(days[:-1])],
             order_items=[dict(order_id=f"a{i}", line_no=1, sku="A", qty=2, unit_price="10", amount="20",
                               refund_qty=0) for i in range(28)],
             products=[dict(sku="A", product_id="PA", title="TA", status="on_sale", lead_time_days=10, unit_cost="5",
                            supplier="Acme")],
             purchase_orders=[dict(po_id="po9", sku="A", qty_ordered=350, qty_received=0, ordered_on="2026-10-01",
                                   expected_on="2026-11-20")])
    status, pos = inventory.stock_status(t, D, D - _dt.timedelta(days=1)), rep.on_order(t, D)
    plan = rep.table(status, pos, rep.Settings(), D).set_index("sku")
    assert plan.loc["A", ["sales_class", "on_order", "overdue", "status", "urgent", "suggested_qty"]].tolist() == [
        "hot", 350, 350, "reorder", True, 76]
    trusted = rep.table(status, pos, rep.Settings(trust_overdue=True), D).set_index("sku")
    assert trusted.loc["A", ["status", "urgent", "suggested_qty"]].tolist() == ["ok", True, 0]
    chase = rep.overdue_orders(pos, plan.reset_index(), D)
    assert chase[["po_id", "sku", "supplier", "qty", "days_overdue", "stockout_date"]].values.tolist() == [
        ["po9", "A", "Acme", 350, 6, D]]
    assert rep.Settings.from_config({"replenishment": {"trust_overdue": True}}).trust_overdue
    with pytest.raises(ConfigError, match="trust_overdue must be true or false"):
        rep.Settings.from_config({"replenishment": {"trust_overdue": "yes"}})


def test_units_on_refund_documents_come_back_into_the_ledger(t, con):
    # S: 18 − 7 sold; a credit note returns 2 in the week (and one of 11-19, the day before, does not)
    load(con, refunds=[dict(refund_id="C1", line_no=1, refunded_at="2026-11-24 10:00", sku="S", qty=2, amount="60"),
                       dict(refund_id="C0", line_no=1, refunded_at="2026-11-19 10:00", sku="S", qty=5, amount="150"),
                       dict(refund_id="C1", line_no=2, refunded_at="2026-11-24 10:00", sku=None, qty=1, amount="5")])
    led = rep.ledger(t, WEEK).set_index("sku")
    # opening 18 + received 0 − sold 7 + returned 2 = 13; counted 11 → −2
    assert led.loc["S", rep.LEDGER].tolist() == [18, 0, 7, 2, 13, 11, -2]
    assert led.loc["H", "returned"] == 1  # h0's refund on its order, as before
