"""Writing a published file whole or not at all: a reader, the archive or the mailer never
picks up half a report (a full disk, a killed run)."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

from storeops.errors import ReportError


def write(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to a temporary name beside ``path``, then rename it into place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")  # two writers never share one
    try:
        with tmp.open("wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
    except OSError as e:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ReportError(f"could not write {path}: {e.strerror or e}") from None
