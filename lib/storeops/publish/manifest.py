"""reports/runs.jsonl — one line per run — and the lock that keeps two runs of a report apart.

When the reports folder cannot be written (a read-only mount, another user's folder, a full disk)
the line goes to :func:`fallback` instead, so a run that could not publish is still on record.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storeops.config import Config
from storeops.errors import AlreadyRunning, NotWritable

#: run parameters that may be written down; anything else (a password, say) never is
SAFE_PARAMETERS = ("report_date", "lang", "allow_incomplete", "notebook", "send", "to", "config")


def now() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


def append(cfg: Config, *, kind: str, period: dict[str, str], parameters: dict[str, Any], start: str, status: str,
           outputs: list[str] | None = None, error: str | None = None, **more: Any) -> dict[str, Any]:
    """Append one run's line to reports/runs.jsonl (one write, so concurrent runs do not interleave)."""
    line = {
        "kind": kind, "period": period,
        "parameters": {k: v for k, v in parameters.items() if k in SAFE_PARAMETERS},
        "start": start, "end": now(), "status": status, "outputs": outputs or [], "error": error,
        **more,  # what a kind adds (the pace check's alerts)
    }
    data = (json.dumps(line, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    try:
        _append(cfg.reports_dir / "runs.jsonl", data)
    except OSError:
        try:
            _append(fallback(), data)
        except OSError as e:  # nowhere to write: the exit code and the one line still tell the outcome
            print(f"storeops: could not record the run in {cfg.reports_dir / 'runs.jsonl'} nor in {fallback()}: "
                  f"{e.strerror or e}", file=sys.stderr)
    return line


def fallback() -> Path:
    """Where a run is recorded when the reports folder cannot be written: the user's state folder
    (``$XDG_STATE_HOME/storeops/runs.jsonl``, by default ``~/.local/state/storeops/runs.jsonl``);
    each line names its store's settings file."""
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "storeops" / "runs.jsonl"


def _append(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if os.write(fd, data) != len(data):  # a full disk may take part of it
            raise OSError(28, "No space left on device")
    finally:
        os.close(fd)


def writable(cfg: Config) -> None:
    """Refuse, in one line, a reports folder this process cannot write, before anything is run."""
    import tempfile

    try:
        cfg.reports_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=cfg.reports_dir):
            pass
    except OSError as e:
        import getpass

        raise NotWritable(
            f"cannot write to the reports folder {cfg.reports_dir} ({e.strerror or e}): storeops, running as "
            f"{getpass.getuser()}, needs to create files there; make it writable for that user, or set reports.dir "
            f"in {cfg.path}; nothing was run, the run is recorded in {fallback()}") from None


def read(cfg: Config) -> list[dict[str, Any]]:
    p = cfg.reports_dir / "runs.jsonl"
    return [json.loads(x) for x in p.read_text(encoding="utf-8").splitlines() if x.strip()] if p.is_file() else []


@contextlib.contextmanager
def lock(cfg: Config, kind: str, period: str) -> Iterator[None]:
    """Hold reports/.locks/<kind>-<period>.lock for the run; a second run of the same report is refused."""
    writable(cfg)
    folder = cfg.reports_dir / ".locks"
    path = folder / f"{kind}-{period}.lock"
    try:
        folder.mkdir(exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:  # the folder takes new files but not this one (a full disk, an inode limit)
        raise NotWritable(f"cannot make the lock file {path}: {e.strerror or e}; nothing was run") from None
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
