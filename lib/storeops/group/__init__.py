"""The group review: several stores, on any platform and in any currency, in one report.

A group folder (``storeops init --group DIR``) lists store folders in ``params/group.yaml``; each
keeps its own warehouse, settings and reports. The group reviews (group.daily, group.weekly,
group.monthly: what notebooks/group_*.ipynb call) read each store's warehouse read-only where it
is and add up what the stores' own reviews show, in the reporting currency.

>>> ctx = storeops.group.daily.context("2026-11-26", config="group/params/group.yaml")  # doctest: +SKIP
>>> storeops.group.daily.stores(ctx)                                                   # side by side
"""

from __future__ import annotations

import importlib

__all__ = ["daily", "weekly", "monthly", "config", "context", "sections", "plan", "demo"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"storeops.group.{name}")
    raise AttributeError(f"module 'storeops.group' has no attribute {name!r}")
