"""A real SMTP server on localhost (aiosmtpd) that requires a login and keeps what it receives; the
four chat platforms' robots on a real HTTP server on loopback, checking format and signature."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "reports@example.com", "s3cret-pa55-XYZ"
KEY, SECRET = "robot-key-7f3a", "SEC0123456789abcdef"


class Inbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.envelopes = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.original_content)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER \
            and auth_data.password.decode() == PASSWORD
        if ok:
            inbox.logins.append((USER, mechanism))
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_required=True, auth_exclude_mechanism=["LOGIN"])
    controller.start()
    yield inbox, port
    controller.stop()


def email_yaml(root, port: int, *, ops: bool = True, user: str = USER) -> str:
    p = root / "params" / "email.yaml"
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(
        f"smtp:\n  host: 127.0.0.1\n  port: {port}\n  tls: none\n  user: {user}\n"
        "  password_env: TEST_SMTP_PASSWORD\n"
        'from: "测试服饰 报表 <reports@example.com>"\n'
        "recipients:\n  daily: [gm@example.com, ops@example.com]\n"
        + ("ops: [it@example.com]\n" if ops else ""),
        encoding="utf-8",
    )
    return str(p)


class _Drops:
    """An SMTP server that takes a whole message and then hangs up instead of confirming it (a relay
    restarting, a connection cut): the sender cannot know whether it arrived. Speaks just enough SMTP."""

    def __init__(self):
        import threading

        self.taken: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as r:
                conn.sendall(b"220 drops ESMTP\r\n")
                for line in r:
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        conn.sendall(b"250-drops\r\n250 AUTH PLAIN\r\n")
                    elif verb == b"AUTH":
                        conn.sendall(b"235 ok\r\n")
                    elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                        conn.sendall(b"250 ok\r\n")
                    elif verb == b"DATA":
                        conn.sendall(b"354 go on\r\n")
                        body = []
                        for part in r:
                            if part == b".\r\n":
                                break
                            body.append(part)
                        self.taken.append(b"".join(body))
                        break  # hang up: no 250 for the message
                    else:
                        conn.sendall(b"221 bye\r\n")
                        break

    def close(self):
        self.sock.close()


@pytest.fixture
def smtp_drops():
    server = _Drops()
    yield server
    server.close()


class Robots(BaseHTTPRequestHandler):
    """The four platforms' webhooks, each checking what it is sent; ``/flaky`` fails twice first."""

    got: list = []
    flaky = 0

    def log_message(self, *args):  # quiet
        pass

    def _answer(self, code: int, body) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        Robots.got.append((url.path, q, body))
        if url.path == "/cgi-bin/webhook/send":  # WeCom group robot
            ok = q.get("key") == KEY and body.get("msgtype") == "markdown" and body["markdown"]["content"]
            return self._answer(200, {"errcode": 0, "errmsg": "ok"} if ok else {"errcode": 93000, "errmsg": "invalid"})
        if url.path == "/robot/send":  # DingTalk: sign = base64(HMAC-SHA256(secret, "timestamp\nsecret"))
            ts = q.get("timestamp", "0")
            want = base64.b64encode(hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest())
            fresh = abs(int(ts) / 1000 - time.time()) < 3600
            ok = q.get("access_token") == KEY and q.get("sign") == want.decode() and fresh and \
                body.get("msgtype") == "markdown" and body["markdown"]["title"] and body["markdown"]["text"]
            return self._answer(200, {"errcode": 0, "errmsg": "ok"} if ok else {"errcode": 310000, "errmsg": "sign not match"})
        if url.path.startswith("/open-apis/bot/v2/hook/"):  # Feishu: sign = base64(HMAC-SHA256("ts\nsecret", ""))
            ts = body.get("timestamp", "0")
            want = base64.b64encode(hmac.new(f"{ts}\n{SECRET}".encode(), b"", hashlib.sha256).digest()).decode()
            ok = url.path.endswith(KEY) and body.get("sign") == want and abs(int(ts) - time.time()) < 3600 and \
                body.get("msg_type") == "interactive" and body["card"]["header"]["title"]["content"]
            return self._answer(200, {"code": 0, "msg": "success"} if ok else {"code": 19021, "msg": "sign match fail"})
        if url.path.startswith("/services/"):  # Slack incoming webhook
            ok = body.get("text") and body["blocks"][0]["text"]["type"] == "mrkdwn"
            return self._answer(200 if ok else 400, "ok" if ok else "invalid_payload")
        if url.path == "/flaky":
            Robots.flaky += 1
            return self._answer(503 if Robots.flaky <= 2 else 200, {"errcode": 0})
        return self._answer(404, {"errcode": 404})


@pytest.fixture
def robots():
    Robots.got, Robots.flaky = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Robots)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
