"""Compiled SQL reused across periods (storeops.compiled): queries that differ only in their dates
share one compile, and each answers for its own dates. Hand-made data:

order  paid_at               paid_amount        traffic date  uv
o1     2026-03-09 10:00      100                2026-03-09    10
o2     2026-03-10 09:00       20                2026-03-10    200
o3     2026-03-10 23:59:59     3                2026-03-11    3000
o4     2026-03-11 00:00     4000

Paid by day: 03-09 100, 03-10 23, 03-11 4000; 03-09..03-10: 123; 03-09..03-11: 4123.
Visitors: 03-10 200; 03-09..03-10 210; 03-10..03-11 3200.
"""

from __future__ import annotations

import datetime as _dt

import ibis
import pytest

from storeops import compiled, warehouse
from storeops.metrics import sales
from storeops.metrics.base import Days, evaluate
from storeops.periods import Period
from tests.conftest import load

D = _dt.date(2026, 3, 10)


def _o(oid, paid_at, amount):
    return dict(order_id=oid, buyer_id=oid, created_at=paid_at, paid_at=paid_at, goods_amount=amount,
                paid_amount=amount)


@pytest.fixture
def t(tmp_path):
    con = compiled.Backend().connect(str(tmp_path / "w.duckdb"))
    warehouse.create_tables(con)
    tables = load(con, orders=[_o("o1", "2026-03-09 10:00", "100"), _o("o2", "2026-03-10 09:00", "20"),
                               _o("o3", "2026-03-10 23:59:59", "3"), _o("o4", "2026-03-11 00:00", "4000")],
                  traffic=[dict(date=_dt.date(2026, 3, 9), uv=10, pv=10), dict(date=D, uv=200, pv=200),
                           dict(date=_dt.date(2026, 3, 11), uv=3000, pv=3000)])
    yield tables
    con.disconnect()


def test_periods_share_one_compile_and_answer_for_their_own_dates(t):
    days = [Period.day(D + _dt.timedelta(days=n)) for n in (-1, 0, 1)]
    got = [evaluate({"paid": sales.paid_amount(t, p)})["paid"] for p in days]
    assert got == [100, 23, 4000]
    week = Period(days[0].start, days[-1].end, "week")
    assert evaluate({"paid": sales.paid_amount(t, week)})["paid"] == 4123
    # a timestamp column is cut at start and the day after the end: two dates, one shape for all four
    assert len(t.con._shapes) == 1


def test_a_date_used_twice_is_a_shape_of_its_own(t):
    """A day's traffic is ``date BETWEEN d AND d``: one date in two places. A longer period has two
    dates there, another shape; neither answers with the other's dates."""
    one = Period.day(D)
    assert evaluate({"uv": sales.uv(t, one)})["uv"] == 200
    assert evaluate({"uv": sales.uv(t, Period(D - _dt.timedelta(days=1), D, "week"))})["uv"] == 210
    assert evaluate({"uv": sales.uv(t, Period(D, D + _dt.timedelta(days=1), "week"))})["uv"] == 3200
    assert evaluate({"uv": sales.uv(t, Period.day(D + _dt.timedelta(days=1)))})["uv"] == 3000
    assert len(t.con._shapes) == 2


def test_other_literals_are_part_of_the_shape(t):
    """Only dates vary within a shape: the same query with another number is compiled anew."""
    orders = t.con.table("orders")
    big = [orders.filter(orders.paid_amount > n).count().execute() for n in (50, 1000)]
    assert big == [2, 1]
    assert t.con._shapes == {}  # no dates: nothing to share, nothing kept
    day = [orders.filter((orders.paid_at >= D) & (orders.paid_amount > n)).count().execute() for n in (50, 10)]
    assert day == [1, 2]
    assert len(t.con._shapes) == 2


def test_a_query_built_on_days_is_compiled_once_and_bound_to_each_period(t):
    """The headline KPIs' way (metrics.base.Days): the expression is built once, its parameters bound
    to each period's dates; the orders' timestamps are cut at start and the day after the end, the
    traffic's dates at start and end."""
    days = Days()
    exprs = {"paid": sales.paid_amount(t, days), "uv": sales.uv(t, days)}
    got = [evaluate(exprs, days.of(p)) for p in
           (Period.day(D), Period.day(D + _dt.timedelta(days=1)), Period(D - _dt.timedelta(days=1), D, "week"))]
    assert got == [{"paid": 23, "uv": 200}, {"paid": 4000, "uv": 3000}, {"paid": 123, "uv": 210}]
    assert len(t.con._shapes) == 1


def test_the_row_limit_ibis_reads_from_its_options_is_part_of_the_shape(t):
    orders = t.con.table("orders")
    since = [orders.filter(orders.paid_at >= d).order_by("paid_at") for d in (D - _dt.timedelta(days=1), D)]
    assert len(since[0].execute()) == 4
    try:
        ibis.options.sql.default_limit = 1
        assert since[1].execute().order_id.tolist() == ["o2"]
    finally:
        ibis.options.sql.default_limit = None
    assert len(since[1].execute()) == 3


def test_a_value_compiled_alone_is_named_after_its_own_dates(t):
    """An unnamed value's column is named after the expression, its dates and all (ibis), not a slot."""
    orders = t.con.table("orders")
    for d in (D, D + _dt.timedelta(days=1)):
        sql = t.con.compile((orders.paid_at >= d).sum())
        assert f"datetime.date({d.year}, {d.month}, {d.day})" in sql and "param_" not in sql


def test_dates_near_the_sentinels_are_put_in_once(t):
    """Slots' sentinels are dates in 1111: a real date there is substituted in one pass, never taken
    for another slot's sentinel. Each filter holds on every row: 3 visitors' days."""
    tr = t.con.table("traffic")
    a, b = _dt.date(1111, 1, 1), _dt.date(1111, 1, 2)
    for early, late in ((a, b), (b, a)):
        holds = (ibis.literal(early) < ibis.literal(late)) if early < late else (ibis.literal(early) > ibis.literal(late))
        assert tr.filter(holds & (tr.date > late)).count().execute() == 3
