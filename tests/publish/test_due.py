"""What is due when, the run manifest, the lock, the archive."""

from __future__ import annotations

import datetime as _dt
import json
import subprocess
from pathlib import Path

import pytest

from storeops import config
from storeops.errors import ConfigError, ReportError
from storeops.periods import Period
from storeops.publish import archive, due, manifest, run
from tests.conftest import BIN


def test_due_rules():
    # 2027-03-01 is a Monday and the 1st: the daily for Sunday, the weekly for the week before, February's monthly
    assert due.due_on(_dt.date(2027, 3, 1)) == [
        due.Due("daily", Period.day("2027-02-28")),
        due.Due("weekly", Period(_dt.date(2027, 2, 22), _dt.date(2027, 2, 28), "week")),
        due.Due("monthly", Period(_dt.date(2027, 2, 1), _dt.date(2027, 2, 28), "month")),
    ]
    assert [d.kind for d in due.due_on(_dt.date(2026, 11, 26))] == ["daily", "replenishment"]  # a Thursday
    assert [d.kind for d in due.due_on(_dt.date(2026, 11, 27))] == ["daily"]


def cli(project, *args):
    return subprocess.run([BIN / "storeops", *args, "--config", project / "params" / "store.yaml"],
                          capture_output=True, text=True, timeout=600)


def test_run_due_on_a_thursday_runs_the_replenishment_table(demo_project):
    before = len(manifest.read(config.load(demo_project / "params" / "store.yaml")))
    r = cli(demo_project, "run", "due", "--date", "2026-11-26")  # Thursday: daily for the 25th, replenishment
    assert r.returncode == 0, r.stderr
    lines = manifest.read(config.load(demo_project / "params" / "store.yaml"))[before:]
    assert [(x["kind"], x["status"]) for x in lines] == [("daily", "ok"), ("replenishment", "ok")]
    assert lines[0]["period"] == {"start": "2026-11-25", "end": "2026-11-25"}
    assert lines[0]["outputs"][0].endswith("daily-2026-11-25.html")
    assert lines[1]["period"] == {"start": "2026-11-26", "end": "2026-11-26"}  # the stock counted that morning
    assert [Path(o).name for o in lines[1]["outputs"]] == [
        "replenishment-2026-11-26.html", "replenishment-2026-11-26.ipynb", "replenishment-2026-11-26.summary.json",
        "replenishment-2026-11-26.xlsx"]
    assert all(Path(o).is_file() for o in lines[1]["outputs"])
    assert "daily          2026-11-25  ok" in r.stdout


def test_run_due_on_the_first_runs_the_monthly(demo_project):
    cfg = config.load(demo_project / "params" / "store.yaml")
    before = len(manifest.read(cfg))
    r = cli(demo_project, "run", "due", "--date", "2026-11-01")  # the 1st: the daily and October's monthly
    assert r.returncode == 0, r.stderr
    lines = manifest.read(cfg)[before:]
    assert [(x["kind"], x["status"]) for x in lines] == [("daily", "ok"), ("monthly", "ok")]
    assert lines[1]["period"] == {"start": "2026-10-01", "end": "2026-10-31"}
    assert lines[1]["outputs"][0].endswith("monthly-2026-10.html")


def test_run_due_fails_when_a_due_report_fails(demo_project):
    cfg = config.load(demo_project / "params" / "store.yaml")
    before = len(manifest.read(cfg))
    r = cli(demo_project, "run", "due", "--date", "2026-11-30")  # Monday; the demo ends on the 26th
    assert r.returncode == 1
    assert "daily          2026-11-29  failed  no data for 2026-11-29 in orders, traffic" in r.stderr
    lines = manifest.read(cfg)[before:]
    assert [(x["kind"], x["status"]) for x in lines] == [("daily", "failed"), ("weekly", "failed")]
    assert lines[0]["error"].startswith("no data for 2026-11-29")
    # the week before that Monday: the demo's last three days are missing, named day by day
    assert lines[1]["period"] == {"start": "2026-11-23", "end": "2026-11-29"}
    assert lines[1]["error"].startswith("no data for 2026-W48 in orders (11-27, 11-28, 11-29), "
                                        "traffic (11-27, 11-28, 11-29)")
    assert set(lines[0]) == {"kind", "period", "parameters", "start", "end", "status", "outputs", "error"}


def test_a_second_run_of_the_same_report_is_refused(demo_project):
    cfg = config.load(demo_project / "params" / "store.yaml")
    with manifest.lock(cfg, "daily", "2026-11-20"):
        with pytest.raises(ReportError, match="daily 2026-11-20 is already being run by another process"):
            run.publish(cfg, "daily", period=_dt.date(2026, 11, 20))
    # the run that lost the race stood aside: skipped, not failed (the other one made the report)
    last = [json.loads(x) for x in (cfg.reports_dir / "runs.jsonl").read_text(encoding="utf-8").splitlines()][-1]
    assert (last["status"], last["period"]["start"]) == ("skipped", "2026-11-20")
    # released: the same run now goes through
    assert run.publish(cfg, "daily", period=_dt.date(2026, 11, 20)).html.is_file()


def test_archive_lists_published_reports_newest_first(demo_project):
    cfg = config.load(demo_project / "params" / "store.yaml")
    for d in ("2026-11-18", "2026-11-19"):
        run.publish(cfg, "daily", period=_dt.date.fromisoformat(d))
    page = (cfg.reports_dir / "index.html").read_text(encoding="utf-8")  # rebuilt by every run
    assert page.index(">2026-11-19<") < page.index(">2026-11-18<")
    assert 'href="daily/2026/daily-2026-11-19.html"' in page
    s = json.loads((cfg.reports_dir / "daily" / "2026" / "daily-2026-11-19.summary.json").read_text())
    from storeops.present import formats

    assert formats.money(s["metrics"]["paid_amount"], "zh") in page
    assert ">2026-11-29<" not in page  # failed: no HTML, not listed
    entries = archive.entries(cfg.reports_dir)
    assert [e.end for e in entries if e.kind == "daily"] == sorted((e.end for e in entries if e.kind == "daily"),
                                                                   reverse=True)
    r = cli(demo_project, "index")
    assert r.returncode == 0 and r.stdout.strip() == str(cfg.reports_dir / "index.html")


def test_the_pace_check_is_due_in_the_trading_hours_of_a_trading_day(tmp_path):
    from storeops.publish import hourly
    from tests.conftest import write_config

    cfg = config.load(write_config(tmp_path, extra="calendar:\n  closed_weekdays: [sun]\n  hours: [10, 22]\n"))
    at = lambda d, h: _dt.datetime(2026, 12, d, h, 5)  # noqa: E731  (12-05 a Saturday, 12-06 a Sunday)
    assert hourly.hourly_due(cfg, at(5, 10)) is None and hourly.hourly_due(cfg, at(5, 22)) is None
    assert hourly.hourly_due(cfg, at(5, 9)) == "09:00 is outside calendar.hours (10–22); no pace check"
    assert hourly.hourly_due(cfg, at(5, 23)) == "23:00 is outside calendar.hours (10–22); no pace check"
    assert "the store is closed" in hourly.hourly_due(cfg, at(6, 12))
    default = config.load(write_config(tmp_path / "d"))
    assert hourly.hourly_due(default, at(6, 9)) is None and hourly.hourly_due(default, at(6, 8)) is not None
    # the clock at 00:05 checks the day just ended, as its hour 24: due where calendar.hours runs to 24
    whole = config.load(write_config(tmp_path / "w", extra="calendar:\n  hours: [9, 24]\n"))
    assert hourly.hourly_due(whole, at(6, 0)) is None and hourly.hourly_due(default, at(6, 0)).startswith("24:00")
    quoted = config.load(write_config(tmp_path / "q", extra="calendar:\n  hours: ['10', '22']\n"))
    assert hourly.hourly_due(quoted, at(5, 10)) is None  # read as the settings check reads it
    for bad in ("[10]", "[22, 10]", "[0, 23]"):
        with pytest.raises(ConfigError, match="calendar.hours"):
            config.load(write_config(tmp_path / "b", extra=f"calendar:\n  hours: {bad}\n"))
