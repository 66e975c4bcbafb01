"""Progress for long work: a bar on a terminal, plain log lines under cron."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, total: int | None = None, unit: str = "it") -> Iterator[T]:
    """Yield ``items``, showing how far along the work is.

    On a terminal a tqdm bar; otherwise a line at every tenth of the way, so a
    cron mail shows the run advancing without a wall of carriage returns.
    """
    if sys.stderr.isatty():
        yield from tqdm(items, desc=desc, total=total, unit=unit)
        return
    total = total if total is not None else (len(items) if hasattr(items, "__len__") else None)
    step = max(1, (total or 10) // 10)
    t0 = time.monotonic()
    for i, item in enumerate(items, 1):
        yield item
        if total and (i % step == 0 or i == total):
            print(f"{desc}: {i}/{total} {unit} ({time.monotonic() - t0:.0f}s)", file=sys.stderr, flush=True)
