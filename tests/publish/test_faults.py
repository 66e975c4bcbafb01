"""The fault matrix: what an unattended run survives. Each fault is provoked for real — a broken
table, a killed kernel, a hanging cell, an SMTP server that is down, two schedulers at once, a full
disk, a killed load, a re-run — and the test asserts what reaches the readers, the ops address,
runs.jsonl and the reports folder. README.md ("When something goes wrong") lists the outcomes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import nbformat
import pytest

from storeops import config
from storeops.publish import archive, run
from tests.conftest import BIN
from tests.publish.conftest import email_yaml
from tests.publish.test_mail import storeops

DAY = "2026-11-25"


@pytest.fixture
def store(demo_project, tmp_path) -> Path:
    """A copy of the demo store of its own, so a fault here harms no other test."""
    root = tmp_path / "store"
    shutil.copytree(demo_project, root, ignore=shutil.ignore_patterns("reports"))
    return root


def _runs(root: Path) -> list[dict]:
    p = root / "reports" / "runs.jsonl"
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines()] if p.is_file() else []


def _published(root: Path) -> list[str]:
    """Report files a reader, the archive or the mailer could pick up (temporary files included)."""
    return sorted(p.name for kind in run.KINDS for p in (root / "reports" / kind).rglob("*")
                  if p.is_file() and not p.name.endswith(".ipynb"))


def _notebook_with(root: Path, source: str) -> Path:
    """The daily notebook with one more cell, right after its parameters."""
    nb = nbformat.read(root / "notebooks" / "daily.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    path = root / "notebooks" / "faulty.ipynb"
    nbformat.write(nb, path)
    return path


def _assert_failed_and_ops_told(root: Path, r, inbox, *, says: str) -> dict:
    """``says``: a regular expression the command's one line, the ops notice and runs.jsonl all match."""
    assert r.returncode == 1 and "Traceback" not in r.stderr and re.search(says, r.stderr), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1  # one line, for the cron mail
    assert _published(root) == []  # no HTML, no summary: nothing for the archive or the mail
    assert [env[1] for env in inbox.envelopes] == [["it@example.com"]]  # ops only, never the readers
    notice = inbox.messages[0]
    assert not notice.is_multipart() and re.search(says, notice.get_content())
    (line,) = _runs(root)
    assert line["status"] == "failed" and re.search(says, line["error"])
    return line


@pytest.mark.parametrize("kind", run.KINDS)
def test_a_section_that_raises_is_never_mailed(store, smtp_server, kind):
    inbox, port = smtp_server
    broken = "purchase_orders" if kind == "replenishment" else "ads"  # a table one of its sections reads
    db = duckdb.connect(str(store / "data" / "warehouse.duckdb"))
    db.execute(f"DROP TABLE {broken}; CREATE TABLE {broken} (broken INTEGER)")
    db.close()
    label = {"daily": DAY, "weekly": "2026-W47", "replenishment": DAY, "monthly": "2026-10"}[kind]
    flag = {"weekly": "--week", "monthly": "--month"}.get(kind, "--date")
    r = storeops(store, "run", kind, flag, label, "--send",
                 "--email-config", email_yaml(store, port))
    line = _assert_failed_and_ops_told(
        store, r, inbox, says=rf"failed in cell In \[\d+\] \(section “[^”]+”\) of the executed notebook "
                              rf"\(storeops\.{kind}\.\w+\(ctx\)\): \w+Error")
    assert line["outputs"] == [str(store / "reports" / kind / "2026" / f"{kind}-{label}.ipynb")]
    assert Path(line["outputs"][0]).is_file()  # the executed notebook is kept, to see what failed


def test_a_killed_kernel_is_noticed(store, smtp_server):
    inbox, port = smtp_server
    nb = _notebook_with(store, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer does")
    # the subprocess timeout is the bound: a runner that waited on a dead kernel would exceed it
    r = storeops(store, "run", "daily", "--date", DAY, "--notebook", str(nb), "--send",
                 "--email-config", email_yaml(store, port))
    line = _assert_failed_and_ops_told(store, r, inbox, says=r"its kernel died \(killed, or out of memory\); "
                                                              r"executed notebook kept at ")
    _kept_up_to(line, "os.kill")


def _kept_up_to(line: dict, source: str) -> None:
    """The run's notebook is kept as far as it ran: every cell before the one that stopped it done."""
    (path,) = line["outputs"]
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    at = next(i for i, c in enumerate(code) if source in c.source)
    assert at > 0 and all(c.execution_count for c in code[:at])


def test_a_hanging_cell_ends_at_the_time_budget(store, smtp_server):
    inbox, port = smtp_server
    cfg = store / "params" / "store.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + "reports:\n  timeout_s: {daily: 5}\n", encoding="utf-8")
    nb = _notebook_with(store, "import time\ntime.sleep(3600)")
    r = storeops(store, "run", "daily", "--date", DAY, "--notebook", str(nb), "--send",
                 "--email-config", email_yaml(store, port))
    line = _assert_failed_and_ops_told(store, r, inbox, says=r"a cell ran past the time budget of 5 s \(reports"
                                                              r"\.timeout_s in store\.yaml\); executed notebook kept at ")
    _kept_up_to(line, "time.sleep")


def test_smtp_down_publishes_queues_and_delivers_once(store, smtp_server):
    inbox, port = smtp_server
    settings = Path(email_yaml(store, port))
    live = settings.read_text(encoding="utf-8")
    with socket_closed() as dead_port:  # nothing listens there: connection refused, every try
        settings.write_text(live.replace(f"port: {port}", f"port: {dead_port}") +
                            "retry: {attempts: 3, wait_s: 0.1}\n", encoding="utf-8")
        r = storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", str(settings))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "is published but was not mailed: could not send via 127.0.0.1" in r.stderr and "after 3 tries" in r.stderr
    assert _published(store) == [f"daily-{DAY}.html", f"daily-{DAY}.summary.json"]  # the report is there
    (line,) = _runs(store)
    folder = store / "reports" / "daily" / "2026"
    assert line["status"] == "failed" and line["outputs"] == [
        str(folder / f"daily-{DAY}.html"), str(folder / f"daily-{DAY}.ipynb"), str(folder / f"daily-{DAY}.summary.json")]
    assert [p.name for p in (store / "reports" / ".outbox").iterdir()] == [f"daily-{DAY}.json"]

    settings.write_text(live, encoding="utf-8")  # the server is back
    first = storeops(store, "send", "--queued", "--email-config", str(settings))
    again = storeops(store, "send", "--queued", "--email-config", str(settings))
    assert first.returncode == 0 and first.stdout.splitlines() == [f"sent daily-{DAY}.html",
                                                                   "1 queued report(s) sent, 0 still queued"]
    assert again.returncode == 0 and again.stdout.strip() == "0 queued report(s) sent, 0 still queued"
    assert len(inbox.messages) == 1 and inbox.envelopes[0][1] == ["gm@example.com", "ops@example.com"]
    assert [x["status"] for x in _runs(store)] == ["failed", "sent"]


def _queued_while_down(store: Path, port: int) -> Path:
    """The daily of DAY published while the SMTP server is down (so queued); returns the mail settings,
    pointing at the live server again."""
    settings = Path(email_yaml(store, port))
    live = settings.read_text(encoding="utf-8")
    with socket_closed() as dead_port:
        settings.write_text(live.replace(f"port: {port}", f"port: {dead_port}") + "retry: {attempts: 1}\n",
                            encoding="utf-8")
        assert storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", str(settings)).returncode
    settings.write_text(live, encoding="utf-8")
    assert [p.name for p in (store / "reports" / ".outbox").iterdir()] == [f"daily-{DAY}.json"]
    return settings


def test_the_next_run_due_delivers_the_queue_once(store, smtp_server):
    inbox, port = smtp_server
    settings = _queued_while_down(store, port)
    # Friday 2026-11-27: the queued daily of the 25th goes first, then the daily of the 26th
    r = storeops(store, "run", "due", "--date", "2026-11-27", "--send", "--email-config", str(settings))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith("queued mail    -  ok      sent ") and f"daily-{DAY}.html" in r.stdout
    subjects = [m["Subject"] for m in inbox.messages]
    assert len(subjects) == 2 and DAY in subjects[0] and "2026-11-26" in subjects[1]
    again = storeops(store, "run", "due", "--date", "2026-11-27", "--send", "--email-config", str(settings))
    # the 26th's daily went to its readers already: not mailed again, nor the 25th
    assert "queued mail" not in again.stdout and len(inbox.messages) == 2
    assert "daily          2026-11-26  skipped daily-2026-11-26.html was published and mailed at" in again.stdout


def test_a_queued_report_and_the_run_due_after_it_mail_it_once(store, smtp_server):
    # the break: the daily of the 26th queued while the server is down; later the same day, with
    # the server up, run due --send delivers the queue, then finds the same daily due: mailed once
    inbox, port = smtp_server
    settings = Path(email_yaml(store, port))
    live = settings.read_text(encoding="utf-8")
    with socket_closed() as dead_port:
        settings.write_text(live.replace(f"port: {port}", f"port: {dead_port}") + "retry: {attempts: 1}\n",
                            encoding="utf-8")
        assert storeops(store, "run", "daily", "--date", "2026-11-26", "--send", "--email-config",
                        str(settings)).returncode == 1
    settings.write_text(live, encoding="utf-8")
    r = storeops(store, "run", "due", "--date", "2026-11-27", "--send", "--email-config", str(settings))
    assert r.returncode == 0, r.stderr
    assert [m["Subject"].count("2026-11-26") for m in inbox.messages] == [1]
    assert "skipped daily-2026-11-26.html was published and mailed at" in r.stdout
    # by hand: a re-run without --force publishes and says it was not mailed again; sent by hand, refused
    rerun = storeops(store, "run", "daily", "--date", "2026-11-26", "--send", "--email-config", str(settings))
    assert rerun.returncode == 0 and "was mailed to gm@example.com, ops@example.com at" in rerun.stderr
    report = store / "reports" / "daily" / "2026" / "daily-2026-11-26.html"
    by_hand = storeops(store, "send", str(report), "--email-config", str(settings))
    assert by_hand.returncode == 1 and "not sent again (give --force" in by_hand.stderr and len(inbox.messages) == 1
    # --force sends it anew: the same page as it was (a re-run of the same data) as it was; once a late
    # order changed the day's figures, the re-run page goes out marked as corrected
    forced = storeops(store, "run", "daily", "--date", "2026-11-26", "--send", "--force", "--email-config",
                      str(settings))
    assert forced.returncode == 0 and len(inbox.messages) == 2 and not inbox.messages[1]["Subject"].startswith("【")
    with duckdb.connect(str(store / "data" / "warehouse.duckdb")) as con:
        con.execute("INSERT INTO orders (order_id, buyer_id, created_at, paid_at, status, goods_amount, shipping_fee, "
                    "discount_amount, tax_amount, paid_amount, refund_amount, is_urgent) VALUES ('late1', 'b', "
                    "TIMESTAMP '2026-11-26 23:00', TIMESTAMP '2026-11-26 23:01', 'paid', 999, 0, 0, 0, 999, 0, false)")
    fixed = storeops(store, "run", "daily", "--date", "2026-11-26", "--send", "--force", "--email-config",
                     str(settings))
    assert fixed.returncode == 0 and len(inbox.messages) == 3 and inbox.messages[2]["Subject"].startswith("【更正】")
    assert [x["status"] for x in _runs(store)] == ["failed", "sent", "ok", "ok", "ok"]


def test_a_report_sent_by_hand_leaves_the_queue(store, smtp_server):
    inbox, port = smtp_server
    settings = _queued_while_down(store, port)
    report = store / "reports" / "daily" / "2026" / f"daily-{DAY}.html"
    assert storeops(store, "send", str(report), "--email-config", str(settings)).returncode == 0
    again = storeops(store, "send", "--queued", "--email-config", str(settings))
    assert again.stdout.strip() == "0 queued report(s) sent, 0 still queued" and len(inbox.messages) == 1


def test_an_unreadable_queue_entry_is_kept_not_sent(store, smtp_server):
    inbox, port = smtp_server
    outbox = store / "reports" / ".outbox"
    outbox.mkdir(parents=True)
    (outbox / f"daily-{DAY}.json").write_text('{"report": ', encoding="utf-8")  # cut short
    r = storeops(store, "send", "--queued", "--email-config", email_yaml(store, port))
    assert r.returncode == 1 and "Traceback" not in r.stderr and "is unreadable (JSONDecodeError)" in r.stderr
    assert [p.name for p in outbox.iterdir()] == [f"daily-{DAY}.unreadable"] and inbox.messages == []


@pytest.mark.parametrize("where, setting, says", [
    # the schema says it, with the line (storeops.settings)
    ("email.yaml", "retry: 3\n", "email.yaml:11: retry: expected a mapping, not 3"),
    ("store.yaml", "reports:\n  timeout_s: 10m\n", "store.yaml:11: reports.timeout_s: expected a whole number or a "
                                                    "mapping, not '10m'"),
])
def test_bad_fault_settings_are_one_line(store, smtp_server, where, setting, says):
    _, port = smtp_server
    settings = Path(email_yaml(store, port))
    target = settings if where == "email.yaml" else store / "params" / "store.yaml"
    target.write_text(target.read_text(encoding="utf-8") + setting, encoding="utf-8")
    r = storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", str(settings))
    assert r.returncode == 1 and says in r.stderr and len(r.stderr.strip().splitlines()) == 1


class socket_closed:
    """A local port with nothing listening on it."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def __exit__(self, *exc) -> None:
        return None


def test_two_run_due_at_once(store):
    cfg = store / "params" / "store.yaml"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from storeops import config; from storeops.publish import manifest\n"
        "with manifest.lock(config.load(sys.argv[1]), 'run', 'due'):\n"
        "    print('held', flush=True); time.sleep(600)"), str(cfg)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        r = storeops(store, "run", "due", "--date", "2026-12-09")
        assert r.returncode == 1 and r.stderr.startswith("storeops run: run due is already being run by another "
                                                         "process")
        assert _runs(store) == []  # the second did nothing
    finally:
        holder.send_signal(signal.SIGKILL)  # the holder dies: the lock goes with it
        holder.wait()
    r = storeops(store, "run", "due", "--date", "2026-12-09")  # runs (and fails: no data then)
    assert "already being run" not in r.stderr and [x["kind"] for x in _runs(store)] == ["daily"]


def test_a_full_disk_leaves_no_partial_report(store, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("mounting a small tmpfs needs root (CI runs as root)")
    probe = storeops(store, "run", "daily", "--date", DAY)
    assert probe.returncode == 0, probe.stderr
    folder = store / "reports" / "daily" / "2026"
    nb_size, html_size = (folder / f"daily-{DAY}.ipynb").stat().st_size, (folder / f"daily-{DAY}.html").stat().st_size
    shutil.rmtree(store / "reports")
    (store / "reports").mkdir()
    # room for the executed notebook and a little more, not for the HTML as well
    size = nb_size + html_size // 2 + 64 * 1024
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(store / "reports")], check=True)
    try:
        r = storeops(store, "run", "daily", "--date", DAY)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert f"could not write {folder / f'daily-{DAY}.html'}: No space left on device" in r.stderr
        assert _published(store) == []  # not the HTML, not the summary, no temporary file
    finally:
        subprocess.run(["umount", str(store / "reports")], check=True)


def test_a_killed_load_leaves_the_warehouse_whole(store, tmp_path):
    # the demo's orders as one canonical export, loaded into a store that holds only traffic
    src = config.load(store / "params" / "store.yaml")
    subprocess.run([sys.executable, "-c", (
        "import sys; from pathlib import Path; from storeops import config, warehouse; "
        "from storeops.ingest import export, presets; c = config.load(sys.argv[1]); "
        "con = warehouse.connect(c, read_only=True); "
        "export.write(presets.canonical('orders'), con, Path(sys.argv[2]), c.timezone)"),
        str(src.path), str(tmp_path)], check=True)
    export = tmp_path / "orders.csv"
    n = sum(1 for _ in export.open(encoding="utf-8")) - 1
    target = tmp_path / "target"
    (target / "params").mkdir(parents=True)
    shutil.copy(store / "params" / "store.yaml", target / "params" / "store.yaml")
    db_path = target / "data" / "warehouse.duckdb"

    def counts() -> tuple[int, int]:
        db = duckdb.connect(str(db_path), read_only=True)
        try:  # killed before its tables were made (in one transaction: all or none), the file is empty
            if not db.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'orders'").fetchone()[0]:
                assert db.execute("SELECT count(*) FROM duckdb_tables()").fetchone()[0] == 0
                return 0, 0
            return db.execute("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM ingest_log)").fetchone()
        finally:
            db.close()

    def ingest() -> subprocess.Popen:
        return subprocess.Popen([BIN / "storeops", "ingest", str(export), "--config", target / "params" / "store.yaml"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    t0 = time.monotonic()
    assert ingest().wait() == 0
    whole = time.monotonic() - t0
    assert counts() == (n, 1)
    shutil.rmtree(target / "data")
    # killed at points across the load, the last ones while it writes: each time all or nothing
    for share in (0.5, 0.8, 0.9, 0.95, 0.98):
        p = ingest()
        time.sleep(whole * share)
        p.send_signal(signal.SIGKILL)
        p.wait()
        if db_path.exists():
            orders, logs = counts()
            assert orders in (0, n) and (orders == 0) == (logs == 0)
    assert ingest().wait() == 0
    assert counts()[0] == n  # loaded once, however many kills came before


def test_a_rerun_replaces_the_report_and_the_archive_shows_it_once(store):
    page = store / "reports" / "daily" / "2026" / f"daily-{DAY}.html"
    assert storeops(store, "run", "daily", "--date", DAY).returncode == 0
    first = page.read_bytes()
    with page.open("rb") as reader:  # a reader has the page open while it is re-run
        r = storeops(store, "run", "daily", "--date", DAY)
        assert r.returncode == 0, r.stderr
        assert reader.read() == first  # renamed into place, never rewritten under an open reader
    assert _published(store) == [f"daily-{DAY}.html", f"daily-{DAY}.summary.json"]
    assert [(e.kind, e.end) for e in archive.entries(store / "reports")].count(("daily", DAY)) == 1
    assert (store / "reports" / "index.html").read_text(encoding="utf-8").count(f'daily-{DAY}.html"') == 1
    assert [x["status"] for x in _runs(store)] == ["ok", "ok"]


def _pointing_at(settings: Path, live: str, port: int, to_port: int) -> None:
    settings.write_text(live.replace(f"port: {port}", f"port: {to_port}") + "retry: {attempts: 1}\n",
                        encoding="utf-8")


def test_a_send_the_server_did_not_confirm_goes_out_again_only_by_force(store, smtp_server, smtp_drops):
    inbox, port = smtp_server
    settings = Path(email_yaml(store, port))
    live = settings.read_text(encoding="utf-8")
    _pointing_at(settings, live, port, smtp_drops.port)  # takes the message, hangs up before confirming
    r = storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", str(settings))
    report = store / "reports" / "daily" / "2026" / f"daily-{DAY}.html"
    assert r.returncode == 1 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.startswith(f"storeops run: daily {DAY} is published; 127.0.0.1:{smtp_drops.port} did not "
                               "confirm the message (SMTPServerDisconnected): it may have arrived; ask a reader "
                               f"whether daily-{DAY}.html arrived, and if not: `storeops send {report} --force`")
    assert len(smtp_drops.taken) == 1 and b"Subject:" in smtp_drops.taken[0]  # handed over once, not retried
    assert not (store / "reports" / ".outbox").exists()  # not queued: the queue would send it blindly
    (line,) = _runs(store)
    assert line["status"] == "failed" and "did not confirm" in line["error"] and str(report) in line["outputs"]

    settings.write_text(live, encoding="utf-8")  # a working server again: no path sends it on its own
    queued = storeops(store, "send", "--queued", "--email-config", str(settings))
    assert queued.returncode == 0 and queued.stdout.strip() == "0 queued report(s) sent, 0 still queued"
    rerun = storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", str(settings))
    assert rerun.returncode == 0 and f"daily-{DAY}.html was handed to the mail server, which did not confirm it, " \
                                     "to gm@example.com, ops@example.com at" in rerun.stderr
    by_hand = storeops(store, "send", str(report), "--email-config", str(settings))
    assert by_hand.returncode == 1 and "not sent again (give --force" in by_hand.stderr and inbox.messages == []
    forced = storeops(store, "send", str(report), "--force", "--email-config", str(settings))
    assert forced.returncode == 0 and len(inbox.messages) == 1 and DAY in inbox.messages[0]["Subject"]
    assert len(smtp_drops.taken) == 1


def test_a_queued_send_the_server_did_not_confirm_is_kept_aside(store, smtp_server, smtp_drops):
    inbox, port = smtp_server
    settings = Path(email_yaml(store, port))
    live = settings.read_text(encoding="utf-8")
    with socket_closed() as dead_port:  # the 26th's daily queued while nothing listens
        _pointing_at(settings, live, port, dead_port)
        assert storeops(store, "run", "daily", "--date", "2026-11-26", "--send", "--email-config",
                        str(settings)).returncode == 1
    _pointing_at(settings, live, port, smtp_drops.port)
    r = storeops(store, "send", "--queued", "--email-config", str(settings))
    outbox = store / "reports" / ".outbox"
    assert r.returncode == 1 and len(smtp_drops.taken) == 1
    assert r.stdout.splitlines()[-1] == (
        f"0 queued report(s) sent, 0 still queued, 1 unconfirmed (kept in {outbox} as .unconfirmed, never "
        "retried: ask a reader whether it arrived; if not, `storeops send REPORT --force` sends it)")
    assert [p.name for p in outbox.iterdir()] == ["daily-2026-11-26.unconfirmed"]

    settings.write_text(live, encoding="utf-8")
    # Friday: the queue holds nothing to send, and the daily of the 26th is not run or mailed again
    due = storeops(store, "run", "due", "--date", "2026-11-27", "--send", "--email-config", str(settings))
    assert due.returncode == 0, due.stderr
    assert "daily          2026-11-26  skipped daily-2026-11-26.html was published and handed to the mail server at " \
           in due.stdout and "which did not confirm it: not again" in due.stdout
    assert inbox.messages == [] and len(smtp_drops.taken) == 1
    assert [x["status"] for x in _runs(store)] == ["failed"]  # the queued run; nothing ran since


@pytest.fixture
def mounted():
    """Mount a filesystem for a test (a read-only bind, a small tmpfs), unmounted after it."""
    if os.geteuid() != 0:
        pytest.fail("mounting needs root (CI runs as root)")
    done = []

    def mount(*args: str) -> None:
        subprocess.run(["mount", *args], check=True)
        if args[-1] not in done:  # a remount is the same mount
            done.append(args[-1])

    yield mount
    for where in reversed(done):
        subprocess.run(["umount", where], check=True)


def test_a_reports_folder_that_cannot_be_written(store, smtp_server, mounted, tmp_path, monkeypatch):
    inbox, port = smtp_server
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    reports = store / "reports"
    reports.mkdir()
    mounted("--bind", str(reports), str(reports))
    mounted("-o", "remount,ro,bind", str(reports))  # a read-only mount: root cannot write it either
    settings = email_yaml(store, port)  # params/, not the reports folder
    says = (f"cannot write to the reports folder {reports} (Read-only file system): storeops, running as root, needs "
            f"to create files there; make it writable for that user, or set reports.dir in "
            f"{store / 'params' / 'store.yaml'}; nothing was run, the run is recorded in {state}/storeops/runs.jsonl")
    r = storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", settings)
    assert r.returncode == 1 and r.stderr.strip() == f"storeops run: {says}"
    due = storeops(store, "run", "due", "--date", "2026-11-27", "--send", "--email-config", settings)
    assert due.returncode == 1 and due.stderr.strip() == f"storeops run: {says}"
    runs = [json.loads(x) for x in (state / "storeops" / "runs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["kind"], x["status"], x["error"]) for x in runs] == [("daily", "failed", says), ("due", "failed", says)]
    assert [env[1] for env in inbox.envelopes] == [["it@example.com"]] * 2  # ops told, once per run, readers not
    assert says in inbox.messages[0].get_content() and says in inbox.messages[1].get_content()
    assert list(reports.iterdir()) == []


def test_a_full_disk_while_executing_keeps_nothing_half_written(store, smtp_server, mounted):
    inbox, port = smtp_server
    (store / "reports").mkdir()
    # room for the kernel to start, not for the executed notebook (about 300 KB)
    mounted("-t", "tmpfs", "-o", "size=150k", "tmpfs", str(store / "reports"))
    r = storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", email_yaml(store, port))
    kept = store / "reports" / "daily" / "2026" / f"daily-{DAY}.ipynb"
    says = f"could not write the executed notebook {kept}: No space left on device; nothing published, nothing kept"
    assert r.returncode == 1 and r.stderr.strip() == f"storeops run: {says}"
    written = sorted(p.name for p in (store / "reports").rglob("*") if p.is_file())
    assert written == [f"daily-{DAY}.kernel.log", f"daily-{DAY}.lock", "runs.jsonl"]  # no notebook, whole or part
    (line,) = _runs(store)
    assert line["status"] == "failed" and line["error"] == says and line["outputs"] == []
    assert [env[1] for env in inbox.envelopes] == [["it@example.com"]] and says in inbox.messages[0].get_content()


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_warehouse_is_named_and_left_alone(store, smtp_server, tmp_path):
    inbox, port = smtp_server
    db = store / "data" / "warehouse.duckdb"
    good = tmp_path / "backups" / "warehouse-2026-11-26.duckdb"
    good.parent.mkdir()
    shutil.copy(db, good)
    with db.open("r+b") as f:  # cut short, as a copy or a disk that ran out leaves it
        f.truncate(db.stat().st_size // 2)
    before = _sha(db)
    export = tmp_path / "traffic.csv"
    export.write_text("date,uv,pv\n2026-11-27,100,300\n", encoding="utf-8")
    why = rf"warehouse {re.escape(str(db))} is damaged \(.+\); nothing was read from it or written to it; "
    for args in (("check",), ("ingest", str(export)), ("ingest", "--dry-run", str(export))):
        r = storeops(store, *args)
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert re.fullmatch(rf"storeops {args[0]}: {why}restore it from a backup \(warehouse.backup in store.yaml "
                            r"names where yours are kept\), or move it aside and run `storeops ingest` on the "
                            r"exports again", r.stderr.strip()), r.stderr
    assert _sha(db) == before  # nothing written
    # the store keeps backups: the newest whole one is named (a damaged newer copy is passed over)
    bad_copy = good.with_name("warehouse-2026-11-27.duckdb")
    shutil.copy(db, bad_copy)
    cfg = store / "params" / "store.yaml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + f"warehouse:\n  backup: {good.parent}\n", encoding="utf-8")
    r = storeops(store, "run", "daily", "--date", DAY, "--send", "--email-config", email_yaml(store, port))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert re.search(rf"{why}the last good copy is {re.escape(str(good))} \(\d{{4}}-\d\d-\d\d \d\d:\d\d\): put it "
                     r"in place and load the exports since then again$", r.stderr.strip()), r.stderr
    (line,) = _runs(store)
    assert line["status"] == "failed" and "is damaged" in line["error"]
    assert [env[1] for env in inbox.envelopes] == [["it@example.com"]] and _sha(db) == before


def test_a_bad_block_found_by_check_and_by_a_load_that_reads_it(store, tmp_path):
    db = store / "data" / "warehouse.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:  # the block holding the start of the orders table
        block = con.execute("SELECT min(block_id) FROM pragma_storage_info('orders') WHERE block_id >= 0").fetchone()[0]
        block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    with db.open("r+b") as f:
        f.seek(3 * 4096 + block * block_size + 64)
        f.write(b"\xff" * 256)
    r = storeops(store, "check")
    assert r.returncode == 1 and r.stdout == "" and "Traceback" not in r.stderr  # no counts before the news
    assert re.fullmatch(rf"storeops check: warehouse {re.escape(str(db))} is damaged \(IO Error: Corrupt database "
                        r"file: .+checksum.+\); nothing was read from it or written to it; .+", r.stderr.strip())
