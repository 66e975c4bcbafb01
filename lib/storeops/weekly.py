"""The weekly review (周报): what notebooks/weekly.ipynb calls.

An ISO week (Monday to Sunday, store time) against the previous week, the same ISO week last
year and the 4 weeks before (reviews.compare); the sections are those every review shares
(reviews.actions, kpis, operations, catalogue, stock), plus the week's day-by-day table.

>>> ctx = storeops.weekly.context("2026-W47", lang="en")  # doctest: +SKIP
>>> storeops.weekly.days(ctx)                               # the 7 days
"""

from __future__ import annotations

from storeops.periods import Period
from storeops.present.i18n import Lang
from storeops.reviews.context import ReviewContext, open_context
from storeops.reviews.actions import actions, overview
from storeops.reviews.catalogue import campaigns, categories
from storeops.reviews.kpis import bridge, days, drivers, kpis
from storeops.reviews.operations import ads, fulfilment, service, traffic
from storeops.reviews.sections import glossary, header, summary
from storeops.reviews.stock import inventory

__all__ = ["context", "header", "overview", "actions", "kpis", "days", "bridge", "drivers", "categories", "traffic",
           "ads", "campaigns", "service", "fulfilment", "inventory", "glossary", "summary"]


def context(week: str | Period | None = None, config: str | None = None, lang: Lang | None = None,
            allow_incomplete: bool = False) -> ReviewContext:
    """The ISO week ``week`` (``2026-W47``; default: the last complete week, store time); a week
    missing orders or traffic on any day is refused unless ``allow_incomplete``."""
    return open_context("weekly", week, config, lang, allow_incomplete)
