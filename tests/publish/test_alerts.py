"""What raises an alert from a pace check's summary (params/alerts.yaml's rules), and alerts by mail
through a real SMTP server, once per day and key."""

from __future__ import annotations

import datetime as _dt

import pytest

from storeops import config
from storeops.errors import ConfigError
from storeops.present import formats
from storeops.publish import alerts
from tests.conftest import write_config
from tests.publish.conftest import PASSWORD, email_yaml

#: a pace check at 14:00, worked by hand against the default rules
SUMMARY = {
    "kind": "pace", "period": {"start": "2026-12-03", "end": "2026-12-03"}, "hour": 14, "lang": "en",
    "metrics": {"paid_amount": 420.0, "pace_projection": 1015.0, "like_low": 1100.0, "ad_cost": 400.0,
                "ad_expected": 300.0, "ad_pace": 400 / 300, "breakeven_roas": 2.0, "ship_soon": 1},
    "lists": {
        "sell_outs": [{"sku": "B", "title": "item B", "class": "hot", "on_hand": 2, "sold": 1, "runs_out_h": 19},
                      {"sku": "D", "title": "item D", "class": "steady", "on_hand": 1, "sold": 1, "runs_out_h": 14}],
        "roas_below": [{"channel": "直通车", "campaign": "A", "cost": 300.0, "roas": 1.5}],
        "complaints": [{"ticket_id": "K1", "kind": "投诉", "age_h": 3.0}, {"ticket_id": "K2", "kind": "投诉", "age_h": 1.5}],
        "ship_soon": [{"order_id": "p2", "hours_left": 6.0}, {"order_id": "p3", "hours_left": 12.0}]},
}


@pytest.fixture
def store(tmp_path):
    write_config(tmp_path, language="en")
    return tmp_path


def _rules(store, text: str | None = None):
    if text is not None:
        (store / "params" / "alerts.yaml").write_text(text, encoding="utf-8")
    return alerts.rules(config.load(store / "params" / "store.yaml"))


def test_each_rule_the_summary_crosses_raises_one_alert_naming_its_figures(store):
    """Defaults: 1015 < the weakest like day's 1100; B is hot and sells out (D is steady); spend is 133 %
    of its pace (> 30 % off); A spent 300 ≥ 200 below break-even; K1 open 3 h ≥ 2 (K2 1.5 h is not);
    p2 has 6 h ≤ 6 left (p3's 12 are not)."""
    cfg = config.load(store / "params" / "store.yaml")
    got = alerts.raised(SUMMARY, _rules(store), cfg, "https://r.example/pace/latest.html")
    assert sorted(got) == ["ads:over", "complaint:K1", "pace:below", "roas:直通车/A", "sell_out:B", "ship:72h"]
    m = lambda v: formats.money(v, "en")  # noqa: E731
    assert got["pace:below"].lines == (f"The day points to {m(1015)}, below the weakest like day ({m(1100)}); "
                                       f"{m(420)} paid by 14:00",)
    assert got["sell_out:B"].lines == ("item B (B, hot) sells out at about 19:00: 2 counted this morning, 1 sold today",)
    assert got["ads:over"].lines == (f"Ad spend ahead of pace: {m(400)} spent, {m(300)} due by now (133.3%)",)
    assert got["roas:直通车/A"].lines == (f"直通车 · A: {m(300)} spent today at ROAS 1.50, below break-even 2.00",)
    assert got["complaint:K1"].lines == ("Serious complaint K1 (投诉) open for 3 h",)
    assert got["ship:72h"].lines == ("1 order is within 6 h of missing 72 h (the first, p2, has 6 h left)",)
    assert {a.link for a in got.values()} == {"https://r.example/pace/latest.html"}
    assert {a.title for a in got.values()} == {"Test Apparel · Alert 2026-12-03 14:00"}


def test_rules_turn_alerts_off_or_widen_them(store):
    cfg = config.load(store / "params" / "store.yaml")
    loose = _rules(store, "rules:\n  below_interval: false\n  sell_out: any\n  ad_pace_pct: 40\n"
                          "  complaint_hours:\n  ship_hours: 5\n")
    assert sorted(alerts.raised(SUMMARY, loose, cfg, "x")) == ["roas:直通车/A", "sell_out:B", "sell_out:D"]
    off = _rules(store, "rules:\n  sell_out: off\n")  # YAML reads off as false: still off
    assert off["sell_out"] == "off" and not any(k.startswith("sell_out") for k in alerts.raised(SUMMARY, off, cfg, "x"))
    quiet = {**SUMMARY, "metrics": {**SUMMARY["metrics"], "pace_projection": 1100.0, "ad_pace": 1.2}}
    assert "pace:below" not in alerts.raised(quiet, _rules(store, ""), cfg, "x")  # at the like day: not below
    assert "ads:over" not in alerts.raised(quiet, _rules(store, ""), cfg, "x")  # 20 % off: within 30 %


def test_a_misspelt_rule_is_refused_naming_the_file_line_and_key(store):
    with pytest.raises(ConfigError) as e:
        _rules(store, "rules:\n  below_interval: true\n  ad_pace: 30\n")
    assert "alerts.yaml:3" in str(e.value) and "ad_pace" in str(e.value) and "ad_pace_pct" in str(e.value)
    with pytest.raises(ConfigError, match="sell_out"):
        _rules(store, "rules: {sell_out: hottest}\n")
    # a channel written as a mapping, not a list: refused without repeating the webhook (its key)
    with pytest.raises(ConfigError) as e:
        _rules(store, "channels: {kind: slack, url: 'https://hooks.slack.com/services/T0/B0/SECRETKEY123'}\n")
    assert "alerts.yaml:1" in str(e.value) and "channels" in str(e.value) and "SECRETKEY123" not in str(e.value)


def test_alerts_by_mail_once_per_day_and_key(store, smtp_server, monkeypatch):
    inbox, port = smtp_server
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    email_yaml(store, port)
    (store / "params" / "alerts.yaml").write_text("mail: [gm@example.com]\n", encoding="utf-8")
    cfg = config.load(store / "params" / "store.yaml")
    raised = alerts.raised(SUMMARY, alerts.rules(cfg), cfg, "https://r.example/pace/latest.html")
    day = _dt.date(2026, 12, 3)
    first = alerts.fire(cfg, raised, day)
    assert [d.ok for d in first] == [True] * 6 and len(inbox.messages) == 6
    m = inbox.messages[0]
    assert m["To"] == "gm@example.com" and m["Subject"] == "Test Apparel · Alert 2026-12-03 14:00"
    assert "https://r.example/pace/latest.html" in m.get_content()
    assert alerts.fire(cfg, raised, day) == [] and len(inbox.messages) == 6  # not again today
    assert len(alerts.fire(cfg, raised, day + _dt.timedelta(days=1))) == 6  # a new day: again
