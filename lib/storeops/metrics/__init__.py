"""Metrics: one module per domain, ibis expressions in, small aggregates out; the registry.

``storeops.metrics.frame(t, ids, periods)`` gives any period metric for a list of periods as one
DataFrame (metrics.explore).
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "frame":
        from storeops.metrics.explore import frame

        return frame
    raise AttributeError(f"module 'storeops.metrics' has no attribute {name!r}")
