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
import os
from pathlib import Path

import ibis
import pytest

from storeops import compiled, sqlcache, warehouse
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


def test_values_ibis_finds_equal_but_writes_apart_are_shapes_of_their_own(t):
    """A map's pairs in another order (its first key), and 0.0 and -0.0: equal to ibis, written apart in
    SQL; each query has its own SQL, in one run."""
    tr = t.con.table("traffic")
    day = tr.filter(tr.date == D)

    def first(m):
        return day.select(k=ibis.literal(m, type="map<string, int64>").keys()[0]).k.execute().tolist()

    assert first({"a": 1, "b": 2}) == ["a"] and first({"b": 2, "a": 1}) == ["b"]
    zero, minus_zero = (t.con.compile(day.select(z=ibis.literal(z))) for z in (0.0, -0.0))
    assert "-0.0" not in zero and "-0.0" in minus_zero
    assert len(t.con._shapes) == 4


# ---------------------------------------------------------------- SQL kept on disk (storeops.sqlcache)


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """A folder of kept SQL of the test's own, and a count of the compiles ibis does (no double compile
    of the tests' checking mode: each answer is checked against the hand-worked figures instead)."""
    folder = tmp_path / "sql"
    monkeypatch.setenv("STOREOPS_SQL_CACHE", str(folder))
    monkeypatch.setattr(compiled.Backend, "check", False)
    calls = []
    direct = compiled._DuckDB.compile

    def counted(self, expr, /, **kw):
        calls.append(expr)
        return direct(self, expr, **kw)

    monkeypatch.setattr(compiled._DuckDB, "compile", counted)
    return folder, calls


def _next_run(t: warehouse.Tables, tmp_path) -> warehouse.Tables:
    """The same warehouse through a new backend: nothing compiled in memory, as in the next run."""
    t.con.disconnect()
    return warehouse.Tables(compiled.Backend().connect(str(tmp_path / "w.duckdb")))


def test_a_query_on_days_is_prepared_once_per_connection(t, tmp_path):
    """evaluate prepares a Days query's aggregates to be computed once each (metrics.base._each_once)
    once per connection. ibis finds the same query through a new connection to the same file equal:
    that one is prepared anew, never handed the first, closed connection's."""
    days = Days()
    exprs = {"paid": sales.paid_amount(t, days), "uv": sales.uv(t, days)}
    got = [evaluate(exprs, days.of(Period.day(D + _dt.timedelta(days=n)))) for n in (0, 1)]
    assert got == [{"paid": 23, "uv": 200}, {"paid": 4000, "uv": 3000}]
    assert len(t.con.memo) == 1
    again = _next_run(t, tmp_path)
    exprs = {"paid": sales.paid_amount(again, days), "uv": sales.uv(again, days)}
    assert evaluate(exprs, days.of(Period.day(D))) == {"paid": 23, "uv": 200}
    again.con.disconnect()


def test_the_next_run_reads_each_shape_from_disk_and_answers_for_its_own_dates(t, kept, tmp_path):
    folder, calls = kept
    days = Days()  # a query built on parameters, as the headline KPIs are
    exprs = {"paid": sales.paid_amount(t, days), "uv": sales.uv(t, days)}
    assert evaluate(exprs, days.of(Period.day(D))) == {"paid": 23, "uv": 200}
    assert evaluate({"paid": sales.paid_amount(t, Period.day(D))})["paid"] == 23  # dates as literals
    assert t.con.table("orders").count().execute() == 4  # no date at all
    assert len(calls) == 3 and len(list(folder.glob("*.sql"))) == 3
    t = _next_run(t, tmp_path)
    days = Days()  # new parameters, numbered anew by ibis: the same shape
    exprs = {"paid": sales.paid_amount(t, days), "uv": sales.uv(t, days)}
    assert evaluate(exprs, days.of(Period.day(D + _dt.timedelta(days=1)))) == {"paid": 4000, "uv": 3000}
    assert evaluate(exprs, days.of(Period(D - _dt.timedelta(days=1), D, "week"))) == {"paid": 123, "uv": 210}
    assert evaluate({"paid": sales.paid_amount(t, Period.day(D - _dt.timedelta(days=1)))})["paid"] == 100
    assert t.con.table("orders").count().execute() == 4
    assert len(calls) == 3  # none compiled again
    t.con.disconnect()


def test_queries_that_differ_in_anything_but_dates_are_kept_apart(t, kept, tmp_path):
    """A string, a number's sign or decimals, a column: each its own SQL, in this run and the next."""
    folder, calls = kept
    o = t.con.table("orders")
    asks = [lambda o: o.filter(o.order_id == "o1").count(), lambda o: o.filter(o.order_id == "O1").count(),
            lambda o: o.filter(o.order_id == "o1\r\n").count(), lambda o: o.filter(o.order_id == "o1\n").count(),
            lambda o: o.filter(o.paid_amount > 0.0).count(), lambda o: o.filter(o.paid_amount > -20.5).count(),
            lambda o: o.filter(o.paid_amount > 3).count(), lambda o: o.filter(o.paid_amount > 3.5).count(),
            lambda o: o.paid_amount.sum(), lambda o: o.goods_amount.sum()]
    want = [1, 0, 0, 0, 4, 4, 3, 3, 4123, 4123]
    assert [ask(o).execute() for ask in asks] == want
    assert len(list(folder.glob("*.sql"))) == len(asks)
    t = _next_run(t, tmp_path)
    o = t.con.table("orders")
    assert [ask(o).execute() for ask in asks] == want
    assert len(calls) == len(asks)
    t.con.disconnect()


def test_tables_named_for_one_run_are_kept_as_placeholders_for_the_next_runs_own(t, kept, tmp_path):
    """A table held in memory and Table.cache's temporary table have names ibis makes up in each run:
    the SQL is kept with a placeholder for each, the next run's query puts in its own (and its own rows)."""
    folder, calls = kept

    def ask(t, wanted):
        o = t.con.table("orders")
        ids = ibis.memtable({"order_id": wanted})
        with o.filter(o.paid_amount > 50).cache() as big:
            return o.semi_join(ids, "order_id").count().execute(), big.semi_join(ids, "order_id").count().execute()

    assert ask(t, ["o1", "o4"]) == (2, 2)
    assert len(calls) == 2  # the two counts (ibis writes the cached table without this compile)
    kept_sql = [p.read_text() for p in folder.glob("*.sql")]
    assert len(kept_sql) == 2 and not any("ibis_" in sql for sql in kept_sql)
    t = _next_run(t, tmp_path)
    assert ask(t, ["o2", "o3", "o4"]) == (3, 1)  # o4 alone paid over 50 among them
    assert len(calls) == 2
    t.con.disconnect()


def test_what_the_digest_cannot_write_exactly_is_not_kept():
    """A value of a type it does not know; a UDF, whose class (made at run time) holds what it compiles to."""
    with pytest.raises(sqlcache.Unkept):
        sqlcache._Digest().value(object())
    @ibis.udf.scalar.python
    def same(x: int) -> int:  # a Python function in the graph
        return x

    assert sqlcache.entry(same(ibis.table({"a": "int64"}, name="t").a).name("a").as_table().op()) is None


def test_the_key_is_the_whole_expression(t):
    o = t.con.table("orders")
    key = lambda e: sqlcache.entry(e.as_table().op()).key  # noqa: E731
    # equal in Python, written apart in SQL (-0.0)
    assert key(o.filter(o.paid_amount > 0.0).count()) != key(o.filter(o.paid_amount > -0.0).count())
    assert key(o.paid_amount.sum()) == key(t.con.table("orders").paid_amount.sum())  # built twice: one key
    one, two = ibis.param("date"), ibis.param("date")
    assert key(o.filter(o.paid_at >= one).count()) == key(o.filter(o.paid_at >= two).count())
    # one parameter in two places is another query than two parameters
    assert key(o.filter((o.paid_at >= one) & (o.created_at >= one)).count()) != key(
        o.filter((o.paid_at >= one) & (o.created_at >= two)).count())


def test_off_and_an_unwritable_folder_compile_as_without_the_cache(t, kept, tmp_path, monkeypatch):
    folder, calls = kept
    o = t.con.table("orders")
    monkeypatch.setenv("STOREOPS_SQL_CACHE", "off")
    assert o.count().execute() == 4
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("STOREOPS_SQL_CACHE", str(blocked / "sql"))
    assert o.paid_amount.sum().execute() == 4123
    assert len(calls) == 2 and not folder.exists()


def test_the_folder_keeps_the_newest(tmp_path, monkeypatch):
    monkeypatch.setenv("STOREOPS_SQL_CACHE", str(tmp_path))
    monkeypatch.setattr(sqlcache, "KEPT", 2)
    for i, name in enumerate("abc"):
        (tmp_path / f"{name}.sql").write_text(name)
        os.utime(tmp_path / f"{name}.sql", (1_000_000 + i, 1_000_000 + i))
    monkeypatch.setattr(sqlcache, "_pruned", False)
    sqlcache.Entry("d", ()).put("d")  # a, the oldest, and b go; c and d stay
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.sql", "d.sql"]
    assert sqlcache.Entry("d", ()).get() == "d" and sqlcache.Entry("a", ()).get() is None


def test_a_parameter_left_unbound_is_refused_as_ibis_refuses_it(t, kept, tmp_path):
    """A query built on parameters (Days) run without their values: ibis refuses it; the kept SQL of
    the same query with its values (sentinel dates in it) is never handed out for it."""
    days = Days()
    exprs = {"paid": sales.paid_amount(t, days)}
    assert evaluate(exprs, days.of(Period.day(D))) == {"paid": 23}
    with pytest.raises(KeyError):
        evaluate(exprs)
    t = _next_run(t, tmp_path)
    days = Days()
    with pytest.raises(KeyError):
        evaluate({"paid": sales.paid_amount(t, days)})
    t.con.disconnect()


@pytest.mark.parametrize("damage", ["", "garbage", "cut", "another query's"])
def test_a_damaged_file_is_compiled_anew_and_rewritten(t, kept, tmp_path, damage):
    folder, calls = kept
    o = t.con.table("orders")
    assert o.filter(o.paid_amount > 50).count().execute() == 2
    assert o.paid_amount.sum().execute() == 4123
    (mine, other) = sorted(folder.glob("*.sql"), key=lambda p: "Sum" in p.read_text())  # the count's, the sum's
    good = mine.read_text()
    mine.write_text({"": "", "garbage": "SELECT 1", "cut": good[:-20], "another query's": other.read_text()}[damage])
    t = _next_run(t, tmp_path)
    o = t.con.table("orders")
    assert o.filter(o.paid_amount > 50).count().execute() == 2
    assert len(calls) == 3 and mine.read_text() == good
    t.con.disconnect()


def test_a_query_the_folder_cannot_hold_and_a_user_without_a_home_compile_as_without_it(t, kept, monkeypatch):
    folder, calls = kept
    o = t.con.table("orders")
    # a lone surrogate (no UTF-8 file can hold it; DuckDB would not run it either): compiled, not kept
    assert "caf\udce9" in t.con.compile(o.filter(o.order_id == "caf\udce9").count())
    assert not list(folder.glob("*"))  # no temporary file left
    monkeypatch.delenv("STOREOPS_SQL_CACHE")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert o.count().execute() == 4
    assert len(calls) == 2
