"""reports/runs.jsonl — one line per run — and the lock that keeps two runs of a report apart."""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from storeops.config import Config
from storeops.errors import AlreadyRunning

#: run parameters that may be written down; anything else (a password, say) never is
SAFE_PARAMETERS = ("report_date", "lang", "allow_incomplete", "notebook", "send", "to", "config")


def now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def append(cfg: Config, *, kind: str, period: dict[str, str], parameters: dict[str, Any], start: str, status: str,
           outputs: list[str] | None = None, error: str | None = None) -> dict[str, Any]:
    """Append one run's line to reports/runs.jsonl (one write, so concurrent runs do not interleave)."""
    line = {
        "kind": kind, "period": period,
        "parameters": {k: v for k, v in parameters.items() if k in SAFE_PARAMETERS},
        "start": start, "end": now(), "status": status, "outputs": outputs or [], "error": error,
    }
    data = (json.dumps(line, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    try:
        cfg.reports_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(cfg.reports_dir / "runs.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    except OSError as e:  # a full disk must not hide the run's own outcome, which the exit code still tells
        print(f"storeops: could not record the run in {cfg.reports_dir / 'runs.jsonl'}: {e.strerror or e}",
              file=sys.stderr)
    return line


def read(cfg: Config) -> list[dict[str, Any]]:
    p = cfg.reports_dir / "runs.jsonl"
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()] if p.is_file() else []


@contextlib.contextmanager
def lock(cfg: Config, kind: str, period: str) -> Iterator[None]:
    """Hold reports/.locks/<kind>-<period>.lock for the run; a second run of the same report is refused."""
    folder = cfg.reports_dir / ".locks"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{period}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(f"{kind} {period} is already being run by another process (lock {path})") from None
        with contextlib.suppress(OSError):  # who holds it, for a person looking; a full disk may refuse
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing releases the lock, also when the process dies
