"""The group daily review: the stores' daily reviews added up in the reporting currency, side by side."""

from __future__ import annotations

import datetime as _dt

from storeops.group.context import GroupContext, open_group
from storeops.group.sections import actions, bridge, glossary, header, kpis, overview, stores, summary
from storeops.present.i18n import Lang

__all__ = ["context", "header", "overview", "kpis", "stores", "bridge", "actions", "glossary", "summary"]


def context(report_date: str | _dt.date | None = None, config: str | None = None, lang: Lang | None = None,
            allow_incomplete: bool = False) -> GroupContext:
    """The day (default: the last day every store has ended); a store missing data is refused by name unless ``allow_incomplete``."""
    return open_group("group-daily", report_date, config, lang, allow_incomplete)
