"""The plan file round trip: `storeops plan` writes it, the GM edits it, the daily's target follows."""

from __future__ import annotations

import datetime as _dt
import subprocess
from decimal import Decimal

import pytest

from storeops import config, targets, warehouse
from storeops.errors import ConfigError
from storeops.metrics import plan
from storeops.periods import Period
from storeops.reviews.context import ReviewContext
from tests.conftest import BIN, load, write_config


@pytest.fixture
def store(tmp_path):
    cfg = config.load(write_config(tmp_path))
    con = warehouse.connect(cfg, create=True)
    load(con, targets=[dict(month="2026-03-01", category="*", gmv_target="31000.00")])  # no history: even split
    con.disconnect()
    return cfg


def storeops_plan(cfg, *args):
    return subprocess.run([BIN / "storeops", "plan", *args, "--config", cfg.path], capture_output=True, text=True,
                          timeout=120)


def daily_target(cfg, day: str) -> float:
    con = warehouse.connect(cfg, read_only=True)
    try:
        return ReviewContext(cfg, con, Period.day(day), "en").target
    finally:
        con.disconnect()


def test_written_edited_and_used_by_the_daily(store):
    r = storeops_plan(store, "--month", "2026-03")
    assert r.returncode == 0, r.stderr
    f = targets.path(store, _dt.date(2026, 3, 1))
    lines = f.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "date,weekday,week,gmv_target" and len(lines) == 32
    assert lines[10] == "2026-03-10,Tue,2026-W11,1000.00"  # 31,000 over 31 even days
    assert daily_target(store, "2026-03-10") == pytest.approx(1000)
    # the GM moves ¥1,500 onto the 10th: the daily follows the file, and the month grows with it
    f.write_text(f.read_text(encoding="utf-8").replace("2026-03-10,Tue,2026-W11,1000.00",
                                                       "2026-03-10,Tue,2026-W11,2500.00"), encoding="utf-8")
    assert daily_target(store, "2026-03-10") == pytest.approx(2500)
    assert daily_target(store, "2026-03-11") == pytest.approx(1000)
    con = warehouse.connect(store, read_only=True)
    try:
        mtd = plan.month_to_date(warehouse.Tables(con), _dt.date(2026, 3, 10), None, targets.load(store))
    finally:
        con.disconnect()
    assert mtd["month_target"] == 32500  # 31,000 + 1,500; the first 10 days' share is 11,500 of it
    r = storeops_plan(store, "--month", "2026-03")  # the edits are not overwritten by accident
    assert r.returncode == 1 and "exists (it may hold your edits): give --force" in r.stderr
    assert "2500.00" in f.read_text(encoding="utf-8")


def test_a_quarter_and_a_month_without_a_target(store):
    r = storeops_plan(store, "--quarter", "2026-Q2", "--target", "91000")
    assert r.returncode == 0, r.stderr
    written = [targets.read(targets.path(store, _dt.date(2026, m, 1))) for m in (4, 5, 6)]
    totals = [sum(next(iter(w.values()))) for w in written]
    assert totals == [Decimal("30000.00"), Decimal("31000.00"), Decimal("30000.00")]  # by days: 30, 31, 30
    r = storeops_plan(store, "--month", "2026-07")
    assert r.returncode == 1 and "no target for 2026-07: give --target" in r.stderr


@pytest.mark.parametrize("row, says", [
    ("2026-03-10,Tue,2026-W11,abc", "row 11, column gmv_target: expected an amount ≥ 0 with at most 2 decimals, found 'abc'"),
    ("2026-04-10,Tue,2026-W11,1.00", "row 11, column date: 2026-04-10 is not in 2026-03"),
    ("2026-03-10,Tue,2026-W11,-5", "row 11, column gmv_target"),
    ("", "no row for 03-10"),
])
def test_a_bad_plan_file_is_refused_with_row_and_column(store, row, says):
    assert storeops_plan(store, "--month", "2026-03").returncode == 0
    f = targets.path(store, _dt.date(2026, 3, 1))
    lines = f.read_text(encoding="utf-8").splitlines()
    lines[10] = row
    f.write_text("\n".join(x for x in lines if x) + "\n", encoding="utf-8")
    plans = targets.load(store)  # files are read when their month is asked for
    with pytest.raises(ConfigError, match=says.replace("(", r"\(").replace(")", r"\)")):
        plans[_dt.date(2026, 3, 1)]


def test_only_the_months_asked_for_are_read_and_excel_dates_are_dates(store):
    assert storeops_plan(store, "--month", "2026-03").returncode == 0
    f = targets.path(store, _dt.date(2026, 3, 1))
    (f.parent / "2026-03 - copy.csv").write_text("junk", encoding="utf-8")  # a stray copy: not a plan file
    targets.path(store, _dt.date(2024, 1, 1)).write_text("date,gmv_target\n", encoding="utf-8")  # broken, unused
    f.write_text(f.read_text(encoding="utf-8").replace("2026-03-10,", "2026/3/10,"), encoding="utf-8")  # Excel
    assert daily_target(store, "2026-03-10") == pytest.approx(1000)


def test_a_quarter_end_month_plans_the_next_quarter(store):
    # reviewing March, next month (April) opens Q2: nothing of Q2 is done yet, all of it is left
    con = warehouse.connect(store)
    load(con, targets=[dict(month=f"2026-0{m}-01", category="*", gmv_target="30000.00") for m in (4, 5, 6)])
    try:
        from storeops.reviews import plan as plan_section

        ctx = ReviewContext(store, con, Period.parse("2026-03"), "en", review="monthly")
        html = str(plan_section.next_month(ctx))
        assert ctx.shown["next_month_target"] == Decimal("30000.00")
        assert ctx.shown["quarter_remaining_target"] == 90000
        import html as _html

        assert "2026-04's plan is split by day and kept in its plan file: edit it" in _html.unescape(html)
        assert "params/" not in html
        assert sum(targets.read(targets.path(store, _dt.date(2026, 4, 1)))[_dt.date(2026, 4, 1)]) == Decimal("30000.00")
    finally:
        con.disconnect()
