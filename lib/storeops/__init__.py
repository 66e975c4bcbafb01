"""storeops: the operations review workbook for online stores.

Notebooks call the review modules: ``storeops.daily.kpis(ctx)``. Submodules load
on first use, so the command line starts fast.
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["daily", "weekly", "monthly", "replenishment", "pace", "group", "targets", "reviews", "demo", "ingest", "metrics", "present", "publish", "schema", "warehouse", "config", "periods"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"storeops.{name}")
    raise AttributeError(f"module 'storeops' has no attribute {name!r}")


if "matplotlib" in sys.modules:  # an analyst's notebook: their own charts show Chinese (present.theme)
    importlib.import_module("storeops.present.theme")
