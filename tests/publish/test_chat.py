"""Alerts to team chat, against a real HTTP server on loopback that checks each robot's message
format and signature as the platform documents them (企业微信, 钉钉, 飞书, Slack)."""

from __future__ import annotations

import datetime as _dt
import json
import socket
import threading

import pytest

from storeops.errors import ConfigError
from storeops.publish import chat
from tests.publish.conftest import KEY, SECRET, Robots

MESSAGE = chat.Message("库存预警 · 热销SKU今日售罄", ("60058074-03M 基础款连衣裙：库存 4，今日已售 11，约 3 小时售罄",),
                       "https://reports.example/pace/latest.html")


def _channels(base: str, secret: str = SECRET) -> list[chat.Channel]:
    return [chat.Channel("wecom", f"{base}/cgi-bin/webhook/send?key={KEY}"),
            chat.Channel("dingtalk", f"{base}/robot/send?access_token={KEY}", secret),
            chat.Channel("feishu", f"{base}/open-apis/bot/v2/hook/{KEY}", secret),
            chat.Channel("slack", f"{base}/services/T0/B0/{KEY}")]


def test_each_robot_takes_the_alert_in_its_own_format_and_signature(robots):
    results = [chat.deliver(c, MESSAGE, sleep=lambda s: None) for c in _channels(robots)]
    assert [(r.ok, r.tries, r.problem) for r in results] == [(True, 1, None)] * 4
    wecom, ding, feishu, slack = (body for _, _, body in Robots.got)
    assert wecom["markdown"]["content"].splitlines() == [
        "**库存预警 · 热销SKU今日售罄**", "- 60058074-03M 基础款连衣裙：库存 4，今日已售 11，约 3 小时售罄",
        "[https://reports.example/pace/latest.html](https://reports.example/pace/latest.html)"]
    assert ding["markdown"]["title"] == MESSAGE.title and ding["markdown"]["text"] == wecom["markdown"]["content"]
    assert feishu["card"]["header"]["title"]["content"] == MESSAGE.title
    assert slack["text"] == MESSAGE.title and "<https://reports.example/pace/latest.html|" in slack["blocks"][0]["text"]["text"]


def test_a_wrong_secret_is_refused_by_the_robot_and_named_without_the_secret(robots):
    wrong = [c for c in _channels(robots, secret="not-the-secret") if c.kind in ("dingtalk", "feishu")]
    results = [chat.deliver(c, MESSAGE, sleep=lambda s: None) for c in wrong]
    assert [(r.ok, r.tries) for r in results] == [(False, 1), (False, 1)]  # a refusal is not retried
    assert results[0].problem == "dingtalk (127.0.0.1) refused the message: 310000 sign not match"
    assert results[1].problem == "feishu (127.0.0.1) refused the message: 19021 sign match fail"
    assert all(KEY not in r.problem and "not-the-secret" not in r.problem for r in results)
    assert KEY not in repr(wrong[0]) and "not-the-secret" not in repr(wrong[0])  # a log of the channel shows neither


def test_a_busy_channel_is_retried_with_back_off_and_a_down_one_is_given_up(robots):
    waits = []
    flaky = chat.deliver(chat.Channel("wecom", f"{robots}/flaky"), MESSAGE, tries=3, backoff=0.5, sleep=waits.append)
    assert (flaky.ok, flaky.tries, waits) == (True, 3, [0.5, 1.0])  # 503, 503, then taken
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits.clear()
    down = chat.deliver(chat.Channel("slack", f"http://127.0.0.1:{port}/services/T/B/{KEY}"), MESSAGE, tries=3,
                        backoff=0.5, sleep=waits.append)
    assert (down.ok, down.tries, waits) == (False, 3, [0.5, 1.0])
    assert down.problem == "slack (127.0.0.1) could not be reached: ConnectionRefusedError (3 tries)"


def test_an_alert_fires_once_per_day_and_key(robots, tmp_path):
    state = tmp_path / "alerts.json"
    to = _channels(robots)[:2]
    day = _dt.date(2026, 12, 5)
    first = chat.fire({"sellout:60058074-03M": MESSAGE}, to, state, day, sleep=lambda s: None)
    assert [r.ok for r in first] == [True, True] and len(Robots.got) == 2
    again = chat.fire({"sellout:60058074-03M": MESSAGE, "ads:pace": MESSAGE}, to, state, day, sleep=lambda s: None)
    assert len(again) == 2 and len(Robots.got) == 4  # only the new key went out
    assert json.loads(state.read_text()) == {"2026-12-05": ["ads:pace", "sellout:60058074-03M"]}
    chat.fire({"sellout:60058074-03M": MESSAGE}, to, state, day + _dt.timedelta(days=1), sleep=lambda s: None)
    assert len(Robots.got) == 6  # a new day: it may fire again
    # a check re-run for the day before (a backfill) neither forgets today's keys nor posts them again
    chat.fire({"sellout:60058074-03M": MESSAGE}, to, state, day, sleep=lambda s: None)
    assert len(Robots.got) == 6
    assert json.loads(state.read_text()) == {"2026-12-05": ["ads:pace", "sellout:60058074-03M"],
                                             "2026-12-06": ["sellout:60058074-03M"]}
    chat.fire({}, to, state, day + _dt.timedelta(days=8), sleep=lambda s: None)  # a week on: the old days go
    assert json.loads(state.read_text()) == {"2026-12-06": ["sellout:60058074-03M"], "2026-12-13": []}


def test_an_alert_no_channel_took_is_tried_at_the_next_run(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    state = tmp_path / "alerts.json"
    down = [chat.Channel("wecom", f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={KEY}")]
    out = chat.fire({"k": MESSAGE}, down, state, _dt.date(2026, 12, 5), tries=1, sleep=lambda s: None)
    assert [r.ok for r in out] == [False] and json.loads(state.read_text()) == {"2026-12-05": []}


def test_channels_come_from_settings_with_secrets_from_the_environment(monkeypatch):
    monkeypatch.setenv("DING_URL", f"https://oapi.dingtalk.com/robot/send?access_token={KEY}")
    monkeypatch.setenv("DING_SECRET", SECRET)
    (c,) = chat.channels([{"kind": "dingtalk", "url_env": "DING_URL", "secret_env": "DING_SECRET"}])
    assert (c.kind, c.secret, c.name) == ("dingtalk", SECRET, "dingtalk (oapi.dingtalk.com)")
    with pytest.raises(ConfigError, match=r"alerts.channels\[0\]: kind must be one of wecom, dingtalk, feishu, slack"):
        chat.channels([{"kind": "wechat", "url": "https://x"}])
    with pytest.raises(ConfigError, match=r"url_env names NOPE, which is not set in the environment"):
        chat.channels([{"kind": "slack", "url_env": "NOPE"}])
    with pytest.raises(ConfigError, match=r"unknown key\(s\) secrte"):
        chat.channels([{"kind": "feishu", "url": "https://open.feishu.cn/x", "secrte": "s"}])


def test_a_broken_answer_or_a_bad_url_is_a_failed_delivery_that_names_no_key(tmp_path):
    # a server that answers with no HTTP at all, and a webhook URL with a space in its key
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def garbage():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.recv(65536)
            conn.sendall(b"garbage\r\n\r\n")
            conn.close()

    threading.Thread(target=garbage, daemon=True).start()
    port = server.getsockname()[1]
    broken = chat.deliver(chat.Channel("wecom", f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={KEY}"), MESSAGE,
                          tries=2, sleep=lambda s: None)
    spaced = chat.deliver(chat.Channel("slack", f"http://127.0.0.1:{port}/services/{KEY} x"), MESSAGE, tries=1,
                          sleep=lambda s: None)
    server.close()
    assert (broken.ok, broken.tries, broken.problem) == (
        False, 2, "wecom (127.0.0.1) could not be reached: BadStatusLine (2 tries)")
    assert (spaced.ok, spaced.problem) == (False, "slack (127.0.0.1) could not be reached: InvalidURL (1 tries)")
    assert KEY not in broken.problem + spaced.problem
