"""The hourly pace check on the demo store, as cron runs it: `storeops run pace` publishes the day so
far and posts its new alerts to a WeCom robot and by mail (a Slack channel that is down is retried,
then noted), once per key and day; its projections are checked against the like days computed here
from the orders, and their error against the demo's real day total is reported."""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import subprocess

import duckdb
import pytest

from storeops import config, warehouse
from storeops.publish import alerts
from tests.conftest import BIN, ROOT
from tests.publish.conftest import KEY, PASSWORD, Robots, _free_port, email_yaml

DAY = _dt.date(2026, 11, 26)  # the demo's last day, a Thursday
LIKE = [DAY - _dt.timedelta(days=7 * k) for k in range(1, 5)]  # the 4 Thursdays before: none a festival


def _copy(demo_project, dest):
    for part in ("params", "notebooks"):
        shutil.copytree(demo_project / part, dest / part)
    (dest / "data").mkdir(parents=True)
    shutil.copyfile(demo_project / "data" / "warehouse.duckdb", dest / "data" / "warehouse.duckdb")
    return dest


def _pace(root, hour, *extra, env=None):
    return subprocess.run([BIN / "storeops", "run", "pace", "--date", DAY.isoformat(), "--hour", str(hour),
                           "--config", root / "params" / "store.yaml", *extra],
                          capture_output=True, text=True, env={**os.environ, **(env or {})})


def _summary(root, hour):
    return json.loads((root / "reports" / "pace" / "2026" / f"pace-{DAY}T{hour:02d}.summary.json").read_text())


def test_projections_against_the_like_days_and_the_real_day(demo_project, tmp_path):
    """At 10:00, 14:00 and 20:00 of the demo's last whole day: the report's projection and range are
    those worked out here from the orders of the 4 Thursdays before, and the error against what the
    day really came to is written to tests/artifacts/pace-projection.txt."""
    root = _copy(demo_project, tmp_path)
    db = duckdb.connect(str(root / "data" / "warehouse.duckdb"), read_only=True)
    rows = db.execute("select paid_at::date, hour(paid_at), paid_amount from orders "
                      "where paid_at is not null and paid_amount > 0").fetchall()
    db.close()
    real = sum(float(a) for d, _, a in rows if d == DAY)
    report = [f"pace projections on the demo's {DAY} (real day total {real:,.2f})",
              "hour  paid so far    projected   range                    error"]
    for hour in (10, 14, 20):
        done = _pace(root, hour, "--no-alerts")
        assert done.returncode == 0, done.stderr
        s = _summary(root, hour)
        assert [d["day"] for d in s["lists"]["like_days"]] == [d.isoformat() for d in LIKE]
        before = {d: sum(float(a) for dd, h, a in rows if dd == d and h < hour) for d in [DAY, *LIKE]}
        whole = {d: sum(float(a) for dd, _, a in rows if dd == d) for d in LIKE}
        so_far = before[DAY]
        projected = so_far * sum(whole.values()) / sum(before[d] for d in LIKE)
        own = [so_far * whole[d] / before[d] for d in LIKE]
        m = s["metrics"]
        assert m["paid_amount"] == pytest.approx(so_far, abs=0.005)
        assert (m["pace_projection"], m["pace_low"], m["pace_high"]) == pytest.approx((projected, min(own), max(own)))
        assert (m["like_low"], m["like_high"]) == pytest.approx((min(whole.values()), max(whole.values())))
        assert m["like_days"] == 4 and min(own) <= projected <= max(own)
        report.append(f"{hour:02d}:00 {so_far:12,.2f} {projected:12,.2f}   {min(own):10,.2f} – {max(own):10,.2f}"
                      f"   {(projected - real) / real:+.1%}")
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    (ROOT / "tests" / "artifacts" / "pace-projection.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))


@pytest.fixture
def at_two(demo_project, tmp_path, robots, smtp_server):
    """The demo taken back to 14:00 of its last day (storeops demo --today's cut), with alerts to a WeCom
    robot, a Slack webhook nobody answers, and mail; every alert rule set to fire on the demo."""
    from storeops import demo_today

    root = _copy(demo_project, tmp_path)
    cfg = config.load(root / "params" / "store.yaml")
    con = warehouse.connect(cfg)
    demo_today.cut(con, _dt.datetime(2026, 11, 26, 14))
    con.disconnect()
    inbox, port = smtp_server
    email_yaml(root, port)
    (root / "params" / "alerts.yaml").write_text(
        "rules: {ad_pace_pct: 0, ship_hours: 72, complaint_hours: 0, sell_out: any}\n"
        "channels:\n  - {kind: wecom, url_env: PACE_WECOM}\n  - {kind: slack, url_env: PACE_SLACK}\n"
        "mail: [gm@example.com]\nretry: {tries: 2, wait_s: 0.01}\nlink: https://reports.example/{path}\n",
        encoding="utf-8")
    env = {"PACE_WECOM": f"{robots}/cgi-bin/webhook/send?key={KEY}",
           "PACE_SLACK": f"http://127.0.0.1:{_free_port()}/services/T0/B0/{KEY}", "TEST_SMTP_PASSWORD": PASSWORD}
    return root, env, inbox


def test_the_hour_is_published_and_its_alerts_reach_each_channel_once(at_two):
    root, env, inbox = at_two
    done = _pace(root, 14, env=env)
    html = root / "reports" / "pace" / "2026" / f"pace-{DAY}T14.html"
    assert done.stdout.splitlines()[0] == str(html) and done.returncode == 1  # published; Slack did not take it
    assert "not delivered: slack (127.0.0.1) could not be reached" in done.stderr and "(2 tries)" in done.stderr
    latest = root / "reports" / "pace" / "latest.html"
    assert latest.read_bytes() == html.read_bytes()
    page = html.read_text(encoding="utf-8")
    assert "实时进度 2026-11-26 14:00" in page and "同类日：11-19、11-12、11-05、10-29" in page
    s = _summary(root, 14)
    assert s["hour"] == 14 and s["metrics"]["ad_pace"] is not None and s["metrics"]["ship_soon"] > 0
    cfg = config.load(root / "params" / "store.yaml")
    keys = sorted(alerts.raised(s, alerts.rules(cfg), cfg, "x"))
    assert any(k.startswith("ads:") for k in keys) and "ship:72h" in keys
    posts = [body["markdown"]["content"] for path, _, body in Robots.got if path == "/cgi-bin/webhook/send"]
    assert len(posts) == len(keys) and len(inbox.messages) == len(keys)
    assert all(f"https://reports.example/pace/2026/pace-{DAY}T14.html" in p for p in posts)
    run = json.loads((root / "reports" / "runs.jsonl").read_text().splitlines()[-1])
    assert run["kind"] == "pace" and run["status"] == "ok" and "slack (127.0.0.1)" in run["error"]
    assert run["alerts"] == {"raised": keys, "posted": ["wecom (127.0.0.1)", "mail (1 recipient)"] * len(keys)}
    for text in (page, (root / "reports" / "runs.jsonl").read_text(), done.stdout, done.stderr):
        assert KEY not in text  # the robots' key stays in the environment
    again = _pace(root, 14, env=env)  # cron runs the hour twice: nothing is posted twice
    assert again.returncode == 0, again.stderr
    assert len(Robots.got) == len(keys) and len(inbox.messages) == len(keys)
    earlier = _pace(root, 11, "--no-alerts")  # a check re-run for an earlier hour is not the latest
    assert earlier.returncode == 0, earlier.stderr
    assert latest.read_bytes() == html.read_bytes()


def test_a_day_not_loaded_yet_is_refused_unless_allowed(demo_project, tmp_path):
    """The warehouse holds nothing of the day by 14:00 (its export not loaded yet) while the like days
    had sold by then: no page, one line saying so; --allow-incomplete publishes it with a banner."""
    root = _copy(demo_project, tmp_path)
    db = duckdb.connect(str(root / "data" / "warehouse.duckdb"))
    db.execute(f"delete from orders where created_at >= date '{DAY}' or paid_at >= date '{DAY}'")
    db.close()
    refused = _pace(root, 14, "--no-alerts")
    assert refused.returncode == 1 and f"no paid order loaded for {DAY} before 14:00" in refused.stderr
    assert not (root / "reports" / "pace" / "2026" / f"pace-{DAY}T14.html").exists()
    assert not (root / "reports" / "pace" / "latest.html").exists()
    allowed = _pace(root, 14, "--no-alerts", "--allow-incomplete")
    assert allowed.returncode == 0, allowed.stderr
    page = (root / "reports" / "pace" / "latest.html").read_text(encoding="utf-8")
    assert "还没有导入任何已付款订单" in page and _summary(root, 14)["metrics"]["paid_amount"] == 0
