"""Alerts to where the team talks: 企业微信 (WeCom) group robots, 钉钉 (DingTalk) and 飞书
(Feishu/Lark) custom robots with their signatures, and Slack incoming webhooks, each in its
documented message format; a failed post is retried with back-off, and an alert fires once per
day and key (a state file). A webhook's key and a signing secret are never written to a report
or a log: a channel is named by its kind and host.
"""

from __future__ import annotations

import base64
import datetime as _dt
import fcntl
import hashlib
import hmac
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storeops.errors import ConfigError

KINDS = ("wecom", "dingtalk", "feishu", "slack")
KEEP_DAYS = 7  # the days back the state file remembers (a check re-run for last week posts nothing again)


@dataclass(frozen=True)
class Channel:
    kind: str
    url: str = field(repr=False)  # holds the robot's key: a secret
    secret: str | None = field(default=None, repr=False)  # DingTalk's and Feishu's signing secret

    @property
    def name(self) -> str:
        """How a log names the channel: its kind and host, never the key in its URL."""
        return f"{self.kind} ({urllib.parse.urlsplit(self.url).hostname})"


def channels(settings: list | None, where: str = "alerts.channels") -> list[Channel]:
    """The channels a store configures: ``[{kind: dingtalk, url_env: DINGTALK_URL, secret_env: …}]``
    (``url`` and ``secret`` may be given in place, but a settings file is often shared: the
    environment keeps them out of it)."""
    out = []
    for i, raw in enumerate(settings or []):
        at = f"{where}[{i}]"
        if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
            raise ConfigError(f"{at}: kind must be one of {', '.join(KINDS)}")
        unknown = set(raw) - {"kind", "url", "url_env", "secret", "secret_env"}
        if unknown:
            raise ConfigError(f"{at}: unknown key(s) {', '.join(sorted(unknown))}")
        url, secret = _given(raw, "url", at), _given(raw, "secret", at, needed=False)
        if not url.startswith(("https://", "http://")):
            raise ConfigError(f"{at}: the webhook URL must start with https://")
        out.append(Channel(raw["kind"], url, secret))
    return out


def _given(raw: dict, key: str, at: str, needed: bool = True) -> str | None:
    if f"{key}_env" in raw:
        value = os.environ.get(str(raw[f"{key}_env"]))
        if not value:
            raise ConfigError(f"{at}: {key}_env names {raw[f'{key}_env']}, which is not set in the environment")
        return value
    if needed and not raw.get(key):
        raise ConfigError(f"{at}: give the webhook as url_env (an environment variable) or url")
    return raw.get(key)


@dataclass(frozen=True)
class Message:
    title: str
    lines: tuple[str, ...]
    link: str | None = None  # the report the alert is about


def _markdown(m: Message, bold: str = "**", title: bool = True) -> str:
    out = [*([f"{bold}{m.title}{bold}"] if title else []), *(f"- {line}" for line in m.lines)]
    if m.link:
        out.append(f"[{m.link}]({m.link})" if bold == "**" else f"<{m.link}|{m.link}>")
    return "\n".join(out)


def request(c: Channel, m: Message, now: float) -> tuple[str, dict]:
    """The URL to post to and the JSON body, as the channel's documentation writes them."""
    if c.kind == "wecom":  # 群机器人: markdown
        return c.url, {"msgtype": "markdown", "markdown": {"content": _markdown(m)}}
    if c.kind == "dingtalk":  # 自定义机器人: markdown; signed in the URL (加签)
        url = c.url
        if c.secret:
            ts = str(int(now * 1000))
            sign = base64.b64encode(hmac.new(c.secret.encode(), f"{ts}\n{c.secret}".encode(), hashlib.sha256).digest())
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"timestamp": ts, "sign": sign.decode()})
        return url, {"msgtype": "markdown", "markdown": {"title": m.title, "text": _markdown(m)}}
    if c.kind == "feishu":  # 自定义机器人: an interactive card; signed in the body (签名校验)
        body: dict = {"msg_type": "interactive", "card": {
            "header": {"title": {"tag": "plain_text", "content": m.title}},
            "elements": [{"tag": "markdown", "content": _markdown(m, title=False)}]}}
        if c.secret:
            ts = str(int(now))
            sign = hmac.new(f"{ts}\n{c.secret}".encode(), b"", hashlib.sha256).digest()
            body = {"timestamp": ts, "sign": base64.b64encode(sign).decode(), **body}
        return c.url, body
    # Slack incoming webhook: mrkdwn text, with a plain fallback
    return c.url, {"text": m.title, "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                                          "text": _markdown(m, bold="*")}}]}


@dataclass(frozen=True)
class Delivery:
    channel: str  # Channel.name
    ok: bool
    tries: int
    problem: str | None = None


def deliver(c: Channel, m: Message, *, tries: int = 3, backoff: float = 1.0, timeout: float = 10,
            now: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep) -> Delivery:
    """Post ``m`` to ``c``; a network error, a timeout, HTTP 429 or 5xx is tried again after
    ``backoff``, 2 × ``backoff``, …; an answer that refuses the message (a wrong signature, a
    keyword the robot wants) is not, and is named."""
    problem = None
    for attempt in range(1, tries + 1):
        url, body = request(c, m, now())
        req = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                answer = r.read().decode("utf-8", "replace")
            refused = _refused(c.kind, answer)
            if refused is None:
                return Delivery(c.name, True, attempt)
            return Delivery(c.name, False, attempt, f"{c.name} refused the message: {refused}")
        except urllib.error.HTTPError as e:
            problem = f"{c.name} answered HTTP {e.code}"
            if e.code != 429 and e.code < 500:
                return Delivery(c.name, False, attempt, problem)
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as e:
            # the type only: an exception's text may quote the URL, and the URL holds the key
            reason = getattr(e, "reason", e)
            problem = f"{c.name} could not be reached: {type(reason).__name__}"
        if attempt < tries:
            sleep(backoff * 2 ** (attempt - 1))
    return Delivery(c.name, False, tries, f"{problem} ({tries} tries)")


def _refused(kind: str, answer: str) -> str | None:
    """What the channel's answer says is wrong, or None for a message taken."""
    if kind == "slack":
        return None if answer.strip() == "ok" else answer.strip()[:200]
    try:
        data = json.loads(answer)
    except ValueError:
        return answer.strip()[:200] or None
    code = data.get("errcode", data.get("code", data.get("StatusCode", 0)))
    return None if code == 0 else f"{code} {data.get('errmsg') or data.get('msg') or data.get('StatusMessage') or ''}".strip()


def fire(alerts: dict[str, Message], to: list, state: Path, day: _dt.date,
         post: Callable[..., Delivery] | None = None, **how) -> list[Delivery]:
    """Post each alert (key → message) not yet posted today to every channel; an alert counts as
    posted once a channel took it, so an alert no channel took is tried again at the next run.
    ``state``: a JSON file of the day's keys, rewritten whole (written beside and renamed).
    ``post(channel, message)``: how a channel is posted to (default: :func:`deliver` with ``how``)."""
    post = post or (lambda c, m: deliver(c, m, **how))
    state.parent.mkdir(parents=True, exist_ok=True)
    # one run at a time reads and rewrites the state (a run slowed by a dead channel and the next
    # hour's would each post what the other had not yet noted)
    with open(state.with_name(f".{state.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        seen = json.loads(state.read_text(encoding="utf-8")) if state.is_file() else {}
        # days apart are kept: a re-run for another day must not forget what today posted
        seen = {d: keys for d, keys in seen.items() if d >= (day - _dt.timedelta(days=KEEP_DAYS)).isoformat()}
        done = set(seen.get(day.isoformat(), []))
        out = []
        for key, m in alerts.items():
            if key in done:
                continue
            results = [post(c, m) for c in to]
            out += results
            if any(r.ok for r in results):  # noted at once: a run cut short never posts it twice
                done.add(key)
                _save(state, {**seen, day.isoformat(): sorted(done)})
        _save(state, {**seen, day.isoformat(): sorted(done)})
    return out


def _save(state: Path, data: dict) -> None:
    tmp = state.with_name(f".{state.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, state)
