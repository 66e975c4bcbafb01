"""reports/.sent: which report went to whom, so that a report is mailed at most once per recipient
list and period, whichever path sends it (a run with ``--send``, ``run due``, the queue, ``storeops
send``). Sending the same report to the same readers again takes ``--force``; a report re-run since
it was mailed (its page changed) then goes out marked as corrected.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from storeops.config import Config
from storeops.errors import StoreopsError


def folder(cfg: Config) -> Path:
    return cfg.reports_dir / ".sent"


def _entry(cfg: Config, report: Path) -> Path:
    return folder(cfg) / f"{report.name.removesuffix('.html')}.json"


def _digest(report: Path) -> str:
    return hashlib.sha256(report.read_bytes()).hexdigest()


def record(cfg: Config, report: Path, to: list[str], *, confirmed: bool = True) -> None:
    """Note that ``report``, as it is now, went to ``to`` (``confirmed=False``: handed over, but the
    server never said it took it; it may have arrived, so no path sends it again on its own)."""
    from storeops.publish import files, manifest

    folder(cfg).mkdir(parents=True, exist_ok=True)
    files.write(_entry(cfg, report), json.dumps({"to": sorted(to), "sent_at": manifest.now(),
                                                 "sha256": _digest(report), "confirmed": confirmed},
                                                ensure_ascii=False))


def _seen(cfg: Config, report: Path) -> dict | None:
    """The record of ``report``'s last mailing, if any."""
    try:
        return json.loads(_entry(cfg, report).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def already(cfg: Config, report: Path, to: list[str]) -> dict | None:
    """When and how ``report`` was last mailed, if it went to this recipient list; else None."""
    seen = _seen(cfg, report)
    return seen if seen and sorted(seen.get("to") or []) == sorted(to) else None


def corrected(cfg: Config, report: Path) -> bool:
    """Whether ``report`` was mailed before and has changed since (a re-run published a new page)."""
    seen = _seen(cfg, report)
    return bool(seen) and seen.get("sha256") != _digest(report)


class AlreadySent(StoreopsError):
    """``report`` went to these readers before (``when``): not sent again without ``force``."""

    def __init__(self, report: Path, to: list[str], when: str, confirmed: bool = True):
        how = "was mailed" if confirmed else "was handed to the mail server, which did not confirm it,"
        super().__init__(f"{report.name} {how} to {', '.join(to)} at {when}: not sent again "
                         "(give --force to send it anew; a report re-run since goes out marked as corrected)")
        self.when = when


def send_once(cfg: Config, ecfg, report: Path, to: list[str], force: bool = False) -> None:
    """Mail ``report`` to ``to`` unless it went to them before (AlreadySent); with ``force``, again,
    marked as corrected where its page changed since. The one way every path mails a report."""
    from storeops.publish import mail

    seen = already(cfg, report, to)
    if seen and not force:
        raise AlreadySent(report, to, seen.get("sent_at", "?"), seen.get("confirmed", True))
    try:
        mail.send(ecfg, mail.build_message(cfg, ecfg, report, to, corrected=bool(seen) and corrected(cfg, report)))
    except mail.Unconfirmed as e:  # it may have arrived: not sent again by any path without --force
        record(cfg, report, to, confirmed=False)
        raise mail.Unconfirmed(f"{e}; ask a reader whether {report.name} arrived, and if not: `storeops send "
                               f"{report} --force`") from None
    record(cfg, report, to)
