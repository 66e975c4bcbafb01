"""What never leaves the store: phone numbers in any form and buyers' ids quoted in free text.

Each phone form and other buyers' ids are written into every free-text column the daily shows
(chat transcripts, ticket kinds, agents, provinces of orders awaiting shipment); the report is run
and mailed for real; then every output is scanned — HTML, executed notebook, summary.json, each
mail part, runs.jsonl and what the command printed — by a detector that does not share the
masking's regular expressions: a number's digits with up to three other characters between them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from storeops.present import mask
from tests.publish.conftest import email_yaml
from tests.publish.test_mail import storeops

DAY = "2026-11-25"
#: (as written, its digits) — every form a reader would recognise as a phone number
PHONES = ["13957246813", "139-5724-6814", "139 5724 6815", "+86 139 5724 6816", "+86-13957246817",
          "8613957246818", "008613957246819", "(+86)139.5724.6820", "010-57246821", "(0571) 5724 6822",
          "0571-57246823", "+86 571 57246824"]


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s).removeprefix("0086").removeprefix("86")


def _detector(phone: str) -> re.Pattern:
    d = _digits(phone)[-10:]  # the number without its country prefix (and a landline without its 0)
    return re.compile(r"\D{0,3}".join(d))


@pytest.fixture(scope="module")
def leaky(demo_project, tmp_path_factory) -> tuple[Path, list[str]]:
    """The demo store with phones and other buyers' ids in every free-text column on DAY."""
    root = tmp_path_factory.mktemp("leaky")
    shutil.copytree(demo_project, root, dirs_exist_ok=True)
    shutil.rmtree(root / "reports", ignore_errors=True)
    db = duckdb.connect(str(root / "data" / "warehouse.duckdb"))
    try:
        others = [r[0] for r in db.execute(
            "SELECT DISTINCT buyer_id FROM orders WHERE buyer_id IS NOT NULL AND paid_at < DATE '2026-10-01' "
            "ORDER BY buyer_id LIMIT 3").fetchall()]
        said = "，".join(PHONES) + "；我替" + "、".join(others) + "问"
        db.execute("UPDATE cs_sessions SET transcript = transcript || ? WHERE started_at::DATE = ?", [said, DAY])
        db.execute("UPDATE cs_tickets SET kind = kind || ' 回电' || ? WHERE resolved_at IS NULL", [PHONES[1]])
        db.execute("UPDATE cs_sessions SET agent = agent || ' ' || ? WHERE started_at::DATE = ?", [PHONES[2], DAY])
        db.execute("UPDATE orders SET province = province || ' ' || ? WHERE shipped_at IS NULL", [PHONES[3]])
    finally:
        db.close()
    return root, others


def test_nothing_phone_like_or_a_buyers_id_leaves(leaky, smtp_server):
    root, others = leaky
    inbox, port = smtp_server
    r = storeops(root, "run", "daily", "--date", DAY, "--send", "--email-config", email_yaml(root, port))
    assert r.returncode == 0, r.stderr
    html = (root / "reports" / "daily" / "2026" / f"daily-{DAY}.html").read_text(encoding="utf-8")
    # what was injected did reach the report, masked
    assert "139****6813" in html and "0571-****23" in html and mask.buyer(others[0]) in html
    # every file under reports/: the report, its notebook and summary, runs.jsonl, the archive, the kernel's log
    outputs = {p.name: p.read_text(encoding="utf-8") for p in (root / "reports").rglob("*") if p.is_file()}
    assert {"runs.jsonl", "index.html", f"daily-{DAY}.kernel.log"} <= set(outputs)
    outputs["printed"] = r.stdout + r.stderr
    assert len(inbox.messages) == 1
    for i, part in enumerate(inbox.messages[0].walk()):
        if not part.is_multipart():
            body = part.get_payload(decode=True) or b""
            outputs[f"mail part {i} ({part.get_content_type()})"] = body.decode("utf-8", "replace")
    assert {f"daily-{DAY}.html", f"daily-{DAY}.ipynb", f"daily-{DAY}.summary.json"} <= set(outputs)
    leaks = [(name, phone) for name, text in outputs.items() for phone in PHONES if _detector(phone).search(text)]
    leaks += [(name, b) for name, text in outputs.items() for b in others if b in text]
    assert leaks == []
    json.loads(outputs[f"daily-{DAY}.summary.json"])  # and the outputs are whole
