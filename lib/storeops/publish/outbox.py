"""reports/.outbox: reports published whose mail could not go out (the SMTP server down, a wrong
password). The next ``storeops run due --send``, or ``storeops send --queued``, delivers each
once: an entry is claimed by renaming it before it is sent, so two deliverers never both send it.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from storeops.config import Config

SENDING = ".sending"


@dataclass(frozen=True)
class Delivery:
    report: Path
    error: str | None  # None: delivered (or, with ``skipped``, delivered before)
    skipped: str | None = None  # why it was not sent now: it went to the same readers before
    unconfirmed: bool = False  # the server did not confirm: kept aside (.unconfirmed), never retried blindly


def folder(cfg: Config) -> Path:
    return cfg.reports_dir / ".outbox"


def put(cfg: Config, report: Path, to: list[str], error: str) -> Path:
    """Queue ``report`` for ``to`` (a later run for the same report replaces its entry)."""
    from storeops.publish import files, manifest

    folder(cfg).mkdir(parents=True, exist_ok=True)
    entry = entry_for(cfg, report)
    files.write(entry, json.dumps({"report": str(report), "to": to, "queued_at": manifest.now(), "error": error},
                                  ensure_ascii=False))
    return entry


def entry_for(cfg: Config, report: Path) -> Path:
    return folder(cfg) / f"{report.name.removesuffix('.html')}.json"


def discard(cfg: Config, report: Path) -> None:
    """Forget a queued send of ``report``: it has just been delivered another way."""
    entry_for(cfg, report).unlink(missing_ok=True)


def pending(cfg: Config) -> list[Path]:
    return sorted(folder(cfg).glob("*.json")) if folder(cfg).is_dir() else []


def deliver(cfg: Config, ecfg) -> list[Delivery]:
    """Send every queued report; what still fails stays queued with its new error."""
    from storeops.publish import files, mail, manifest, sent

    out = []
    for entry in pending(cfg):
        claimed = entry.with_name(entry.name + SENDING)
        try:
            os.rename(entry, claimed)
        except FileNotFoundError:
            continue  # another deliverer has it
        try:
            item = json.loads(claimed.read_text(encoding="utf-8"))
            report, to = Path(item["report"]), list(item["to"])
        except (ValueError, KeyError, TypeError, OSError) as e:
            os.rename(claimed, entry.with_suffix(".unreadable"))  # kept for a person, never sent blindly
            out.append(Delivery(entry, f"{entry.name} is unreadable ({type(e).__name__}); kept as "
                                       f"{entry.with_suffix('.unreadable').name}"))
            continue
        try:
            if not report.is_file():
                raise mail.MailError(f"{report}: the queued report is gone")
            sent.send_once(cfg, ecfg, report, to)
        except sent.AlreadySent as e:  # mailed another way since it was queued: done
            claimed.unlink(missing_ok=True)
            out.append(Delivery(report, None, str(e)))
            continue
        except mail.Unconfirmed as e:  # it may have arrived: not sent again
            os.rename(claimed, entry.with_suffix(".unconfirmed"))
            out.append(Delivery(report, str(e), unconfirmed=True))
            continue
        except mail.MailError as e:
            files.write(entry, json.dumps({**item, "error": str(e)}, ensure_ascii=False))
            claimed.unlink(missing_ok=True)
            out.append(Delivery(report, str(e)))
            continue
        except BaseException:
            os.rename(claimed, entry)  # not sent: back in the queue
            raise
        with contextlib.suppress(OSError):
            claimed.unlink()
        s = mail.summary_of(report)
        manifest.append(cfg, kind=s["kind"], period=s["period"], parameters={"send": True, "to": to},
                        start=item.get("queued_at", manifest.now()), status="sent", outputs=[str(report)])
        out.append(Delivery(report, None))
    return out
