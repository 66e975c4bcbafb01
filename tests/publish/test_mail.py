"""storeops send / run --send against a real SMTP server on localhost."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import BIN
from tests.publish.conftest import PASSWORD, email_yaml

DAY = "2026-11-25"


def storeops(project: Path, *args: str, env_password: str | None = PASSWORD) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    env.pop("TEST_SMTP_PASSWORD", None)
    if env_password is not None:
        env["TEST_SMTP_PASSWORD"] = env_password
    return subprocess.run([BIN / "storeops", *args, "--config", project / "params" / "store.yaml"],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def report(demo_project) -> Path:
    r = storeops(demo_project, "run", "daily", "--date", DAY)
    assert r.returncode == 0, r.stderr
    return Path(r.stdout.strip().splitlines()[-1])


def test_send_delivers_digest_chart_and_report(demo_project, report, smtp_server):
    inbox, port = smtp_server
    cfg = email_yaml(demo_project, port)
    r = storeops(demo_project, "send", str(report), "--email-config", cfg)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"sent {report.name} to gm@example.com, ops@example.com"
    assert inbox.logins and len(inbox.messages) == 1
    assert inbox.envelopes[0] == ("reports@example.com", ["gm@example.com", "ops@example.com"])
    msg = inbox.messages[0]

    summary = json.loads(report.with_name(f"daily-{DAY}.summary.json").read_text())
    paid = summary["metrics"]["paid_amount"]
    change = summary["comparisons"]["wow"]["paid_amount"]
    from storeops.present import formats

    assert msg["Subject"] == f"[测试服饰店] 日报 {DAY} · 支付金额 {formats.money(paid, 'zh')} ({formats.change(change)})"
    assert re.fullmatch(r"\[测试服饰店\] 日报 2026-11-25 · 支付金额 ¥\d+\.\d万 \([+−]\d+\.\d%\)", msg["Subject"])

    # mixed [ alternative [ plain, related [ html, png ] ], report.html ]: the plain text is the
    # alternative to the HTML *with* its image, as mail clients expect
    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text_part, related = alternative.get_payload()
    assert text_part.get_content_type() == "text/plain" and related.get_content_type() == "multipart/related"
    html_part, image = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    plain, html = text_part.get_content(), html_part.get_content()
    assert "今日待办" in plain and "支付金额" in plain

    # the chart's CID reference resolves to the image part, which is a PNG
    cid = re.search(r'src="cid:([^"]+)"', html).group(1)
    assert image["Content-ID"] == f"<{cid}>" and image.get_content_type() == "image/png"
    assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"

    # CSS is inlined: no <style> left, styles on the elements; small enough not to be clipped
    assert "<style" not in html and 'style="' in html
    assert len(html.encode()) < 100_000

    # the attachment is the full report and opens as such
    assert attachment.get_filename() == report.name and attachment.get_content_type() == "text/html"
    assert attachment.get_content() == report.read_text(encoding="utf-8")

    # the secret is nowhere: not in the message, not in what the command printed
    raw = inbox.raw[0].decode("utf-8", "replace")
    for text in (raw, r.stdout, r.stderr):
        assert PASSWORD not in text


def test_run_send_logs_without_the_secret(demo_project, smtp_server):
    inbox, port = smtp_server
    cfg = email_yaml(demo_project, port)
    r = storeops(demo_project, "run", "daily", "--date", "2026-11-24", "--lang", "en", "--send", "--to",
                 "analyst@example.com", "--email-config", cfg)
    assert r.returncode == 0, r.stderr
    assert inbox.envelopes[0][1] == ["analyst@example.com"]
    assert inbox.messages[0]["Subject"].startswith("[Test Apparel] Daily review 2026-11-24 · Paid amount ¥")
    runs = (demo_project / "reports" / "runs.jsonl").read_text()
    assert PASSWORD not in runs and '"send": true' in runs


def test_missing_password_is_one_clear_line(demo_project, report, smtp_server):
    inbox, port = smtp_server
    cfg = email_yaml(demo_project, port)
    # --force: the report went out in an earlier test of this session; this one is about the login
    r = storeops(demo_project, "send", str(report), "--force", "--email-config", cfg, env_password=None)
    assert r.returncode == 1 and not inbox.messages
    assert r.stderr.strip() == (f"storeops send: SMTP user 'reports@example.com' is set in {cfg} but the "
                                "environment variable TEST_SMTP_PASSWORD holding the password is empty")


def test_wrong_password_names_the_server_not_the_password(demo_project, report, smtp_server):
    inbox, port = smtp_server
    r = storeops(demo_project, "send", str(report), "--force", "--email-config", email_yaml(demo_project, port),
                 env_password="wrong-one-123")
    assert r.returncode == 1 and not inbox.messages and "wrong-one-123" not in r.stderr
    assert r.stderr == (f"storeops send: could not log in to 127.0.0.1:{port} as 'reports@example.com': the "
                        f"server refused the password in $TEST_SMTP_PASSWORD (535)\n")


def test_password_in_the_file_is_refused(demo_project, tmp_path):
    p = tmp_path / "email.yaml"
    p.write_text("smtp:\n  password: hunter2\nfrom: a@b.c\n")
    r = storeops(demo_project, "send", "x.html", "--email-config", str(p))
    assert r.returncode == 1


def test_failed_report_is_not_mailed_and_ops_get_a_notice(demo_project, smtp_server):
    inbox, port = smtp_server
    cfg = email_yaml(demo_project, port)
    r = storeops(demo_project, "run", "daily", "--date", "2026-12-20", "--send", "--email-config", cfg)
    assert r.returncode == 1
    assert len(inbox.messages) == 1 and inbox.envelopes[0][1] == ["it@example.com"]
    notice = inbox.messages[0]
    assert notice["Subject"] == "[测试服饰店] 日报 2026-12-20 · 生成失败"
    assert "no data for 2026-12-20 in orders, traffic" in notice.get_content()
    assert not notice.is_multipart()  # a notice, never a report
