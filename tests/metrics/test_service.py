"""Customer service on a hand-made day. D = 2026-03-10; cut-off D+1 00:00.

session  buyer  agent  started      first response  the buyer paid
s1       A      X      D 10:00      30 s            D 10:30           -> A converted (after the chat, same day)
s2       A      X      D 11:00      200 s
s3       B      Y      D 12:00      100 s           D 11:00           -> before the chat: not converted
s4       C      Y      D 23:00      (no answer)     D+1 00:10         -> next day: not converted
s5       D      Y      D−1 15:00    10 s                              -> not on D

ticket  opened        resolved        deadline (24 h)   on D's deadline list?
k1      D−1 01:00     D−1 10:00       D 01:00           yes, in time
k2      D−1 20:00     —               D 20:00           yes, late (still open)
k3      D−1 22:00     D 23:00 (25 h)  D 22:00           yes, late
k4      D 02:00       —               D+1 02:00         no (open 22 h at the cut-off)
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd
import pytest

from storeops import warehouse
from storeops.metrics import service
from storeops.metrics.base import evaluate
from storeops.periods import Period
from tests.conftest import load

D = Period.day("2026-03-10")
CUTOFF = _dt.datetime(2026, 3, 11)

SESSIONS = [
    dict(session_id="s1", buyer_id="A", agent="X", started_at="2026-03-10 10:00", first_response_s=30),
    dict(session_id="s2", buyer_id="A", agent="X", started_at="2026-03-10 11:00", first_response_s=200),
    dict(session_id="s3", buyer_id="B", agent="Y", started_at="2026-03-10 12:00", first_response_s=100),
    dict(session_id="s4", buyer_id="C", agent="Y", started_at="2026-03-10 23:00", first_response_s=None),
    dict(session_id="s5", buyer_id="D", agent="Y", started_at="2026-03-09 15:00", first_response_s=10),
]
TICKETS = [
    dict(ticket_id="k1", order_id="o", kind="退款", opened_at="2026-03-09 01:00", resolved_at="2026-03-09 10:00",
         status="resolved"),
    dict(ticket_id="k2", order_id="o", kind="物流异常", opened_at="2026-03-09 20:00", status="open"),
    dict(ticket_id="k3", order_id="o", kind="退换货", opened_at="2026-03-09 22:00", resolved_at="2026-03-10 23:00",
         status="resolved"),
    dict(ticket_id="k4", order_id="o", kind="催发货", opened_at="2026-03-10 02:00", status="open"),
]


def _paid(oid, buyer, ts):
    return dict(order_id=oid, buyer_id=buyer, created_at=ts, paid_at=ts, goods_amount="1", paid_amount="1")


ORDERS = [_paid("o1", "A", "2026-03-10 10:30"), _paid("o2", "B", "2026-03-10 11:00"),
          _paid("o3", "C", "2026-03-11 00:10")]


@pytest.fixture
def t(con):
    return load(con, cs_sessions=SESSIONS, orders=ORDERS, cs_tickets=TICKETS)


def test_day_figures(t):
    v = evaluate({"n": service.consultations(t, D), "conv": service.consult_conversion(t, D),
                  "frt": service.first_response(t, D), "fast": service.response_3min(t, D)})
    assert v["n"] == 3  # A, B, C
    assert v["conv"] == pytest.approx(1 / 3)  # only A
    assert v["frt"] == pytest.approx((30 + 200 + 100) / 3)  # the unanswered chat has no time
    assert v["fast"] == pytest.approx(2 / 4)  # s1, s3 of 4 chats; no answer counts as late


def test_per_agent(t):
    df = service.per_agent(t, D).set_index("agent")
    assert df.loc["X", ["sessions", "consultations"]].tolist() == [2, 1]
    assert df.loc["X", ["consult_conversion", "first_response", "response_3min"]].tolist() == pytest.approx([1.0, 115, 0.5])
    assert df.loc["Y", ["sessions", "consultations"]].tolist() == [2, 2]
    assert df.loc["Y", ["consult_conversion", "first_response", "response_3min"]].tolist() == pytest.approx([0.0, 100, 0.5])


def test_chat_sample_is_the_same_on_every_run(t):
    a = service.chat_sample(t, D)
    assert sorted(a.session_id) == ["s1", "s2", "s3", "s4"]  # fewer than 10 chats: all of them
    two = service.chat_sample(t, D, n=2)
    assert two.session_id.tolist() == service.chat_sample(t, D, n=2).session_id.tolist()
    assert set(two.session_id) <= {"s1", "s2", "s3", "s4"} and len(two) == 2
    other_day = service.chat_sample(t, Period.day("2026-03-09"))
    assert other_day.session_id.tolist() == ["s5"]


def test_ticket_sla_judges_tickets_whose_deadline_fell_on_the_day(t):
    # k1 in time, k2 and k3 late; k4's deadline is tomorrow -> 1/3
    assert evaluate({"sla": service.ticket_sla(t, D)})["sla"] == pytest.approx(1 / 3)


def test_open_tickets_at_the_cutoff(t):
    df = service.open_tickets(t, CUTOFF)
    assert df.ticket_id.tolist() == ["k2", "k4"]  # k3 was resolved before the cut-off
    assert df.age_h.tolist() == pytest.approx([28.0, 22.0])
    assert service.open_tickets(t, CUTOFF, min_age_h=24).ticket_id.tolist() == ["k2"]


def test_chat_sample_masks_buyers_and_phones_where_it_fetches_them(con):
    # the transcript quotes another buyer of the store (tbzhang001 bought o9, never chatted), its own
    # buyer, and a phone number; "tbnobody" is no buyer of the store and stays as written
    t = load(con, orders=[_paid("o9", "tbzhang001", "2026-03-01 10:00")], cs_sessions=[dict(
        session_id="s1", buyer_id="tbli002", agent="X", started_at="2026-03-10 10:00", first_response_s=5,
        transcript="我是tbli002，帮tbzhang001问一下，电话+86 139-1234-5678，不是tbnobody")])
    (row,) = service.chat_sample(t, D).itertuples()
    assert row.buyer_id == "tbl**02"
    assert row.transcript == "我是tbl**02，帮tbz*****01问一下，电话139****5678，不是tbnobody"


def test_chat_sample_masks_ids_longer_than_the_first_pass_looks_for(con):
    # buyers_named looks up pieces of up to 16 characters in its one pass over the ids, and longer ones
    # in a second: a 16-character member name (first pass), a 17-character one and a 21-character
    # e-mail (the chatting buyer's, in cs_sessions only) take the second; "tbx" is too short to mask
    assert service.NAMED_IN_ONE_PASS == 16
    t = load(con, orders=[_paid("o1", "tbzhangsanfengab", "2026-03-01 10:00"),
                          _paid("o2", "tbwangxiaoerhaoab", "2026-03-02 10:00"), _paid("o3", "tbx", "2026-03-03 10:00")],
             cs_sessions=[dict(session_id="s1", buyer_id="wei.zhang@example.com", agent="X",
                               started_at="2026-03-10 10:00", first_response_s=5,
                               transcript="我是wei.zhang@example.com，帮tbzhangsanfengab和tbwangxiaoerhaoab问，tbx不问")])
    text = "我是wei.zhang@example.com，帮tbzhangsanfengab和tbwangxiaoerhaoab问，tbx不问"
    assert service.buyers_named(t, [text]) == {"wei.zhang@example.com", "tbzhangsanfengab", "tbwangxiaoerhaoab"}
    assert service.buyers_named(t, ["tbwangxiaoerhaoa", "x"]) == set()  # a piece one short of the 17
    (row,) = service.chat_sample(t, D).itertuples()
    assert row.buyer_id == "wei" + "*" * 16 + "om"
    assert row.transcript == ("我是wei" + "*" * 16 + "om，帮tbz" + "*" * 11 + "ab和tbw" + "*" * 12 + "ab问，tbx不问")


def test_tickets_by_kind(t):
    # k1 退款: due on D, in time; k2 物流异常: due, late, still open; k3 退换货: due, late (25 h), closed;
    # k4 催发货: opened on D, due tomorrow, open at the cut-off
    df = service.tickets_by_kind(t, D, CUTOFF).set_index("kind")
    assert df.index[0] == "催发货"  # most opened first
    assert df.loc[["退款", "物流异常", "退换货", "催发货"], ["opened", "due", "in_time", "open"]].values.tolist() == [
        [0, 1, 1, 0], [0, 1, 0, 1], [0, 1, 0, 0], [1, 0, 0, 1]]
    assert df.loc[["退款", "物流异常", "退换货"], "sla"].tolist() == [1.0, 0.0, 0.0]
    assert pd.isna(df.loc["催发货", "sla"])  # nothing due: no rate


def test_dsr_as_last_reported_by_each_day(con):
    t = load(con, ratings=[dict(date="2026-03-08", dsr_item=4.8, dsr_service=4.7, dsr_logistics=4.6),
                           dict(date="2026-03-09", dsr_item=4.9, dsr_service=4.7, dsr_logistics=4.5),
                           dict(date="2026-03-12", dsr_item=5.0, dsr_service=None, dsr_logistics=4.4)])
    days = [_dt.date(2026, 3, d) for d in (10, 7, 9, 12, 10)]  # in any order, one twice
    df = service.dsr_at(t, days)
    assert df.index.tolist() == days and df.columns.tolist() == list(service.DSR)
    nan = float("nan")
    assert df.to_numpy().ravel().tolist() == pytest.approx(
        [4.9, 4.7, 4.5, nan, nan, nan, 4.9, 4.7, 4.5, 5.0, nan, 4.4, 4.9, 4.7, 4.5], nan_ok=True)


def test_dsr_of_a_store_that_reports_none(con):
    assert service.dsr_at(warehouse.Tables(con), [_dt.date(2026, 3, 7)]).isna().all().all()


def test_dsr_change_over_a_period(con):
    t = load(con, ratings=[dict(date="2026-03-08", dsr_item=4.8, dsr_service=4.7, dsr_logistics=4.6),
                           dict(date="2026-03-09", dsr_item=4.9, dsr_service=4.7, dsr_logistics=4.5)])
    # a period of 03-09 … 03-10: the last score by 03-10 (03-09's) against the last by 03-08
    df = service.dsr_change(t, Period(_dt.date(2026, 3, 9), _dt.date(2026, 3, 10), "custom")).set_index("score")
    assert df.now.tolist() == [4.9, 4.7, 4.5] and df.before.tolist() == [4.8, 4.7, 4.6]
    assert df.change.tolist() == pytest.approx([0.1, 0.0, -0.1])
    assert service.dsr_change(t, Period.day("2026-03-01")).now.isna().all()  # nothing reported yet: no score
