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
    error: str | None  # None: delivered


def folder(cfg: Config) -> Path:
    return cfg.reports_dir / ".outbox"


def put(cfg: Config, report: Path, to: list[str], error: str) -> Path:
    """Queue ``report`` for ``to`` (a later run for the same report replaces its entry)."""
    from storeops.publish import files, manifest

    folder(cfg).mkdir(parents=True, exist_ok=True)
    entry = folder(cfg) / f"{report.name.removesuffix('.html')}.json"
    files.write(entry, json.dumps({"report": str(report), "to": to, "queued_at": manifest.now(), "error": error},
                                  ensure_ascii=False))
    return entry


def pending(cfg: Config) -> list[Path]:
    return sorted(folder(cfg).glob("*.json")) if folder(cfg).is_dir() else []


def deliver(cfg: Config, ecfg) -> list[Delivery]:
    """Send every queued report; what still fails stays queued with its new error."""
    from storeops.publish import mail, manifest

    out = []
    for entry in pending(cfg):
        claimed = entry.with_name(entry.name + SENDING)
        try:
            os.rename(entry, claimed)
        except FileNotFoundError:
            continue  # another deliverer has it
        item = json.loads(claimed.read_text(encoding="utf-8"))
        report = Path(item["report"])
        try:
            if not report.is_file():
                raise mail.MailError(f"{report}: the queued report is gone")
            mail.send(ecfg, mail.build_message(cfg, ecfg, report, item["to"]))
        except mail.MailError as e:
            item["error"] = str(e)
            claimed.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
            os.rename(claimed, entry)
            out.append(Delivery(report, str(e)))
            continue
        with contextlib.suppress(OSError):
            claimed.unlink()
        s = mail.summary_of(report)
        manifest.append(cfg, kind=s["kind"], period=s["period"], parameters={"send": True, "to": item["to"]},
                        start=item["queued_at"], status="sent", outputs=[str(report)])
        out.append(Delivery(report, None))
    return out
