"""A real SMTP server on localhost (aiosmtpd) that requires a login and keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "reports@example.com", "s3cret-pa55-XYZ"


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
