"""The monthly review (月报): what notebooks/monthly.ipynb calls.

A calendar month against the previous month, the same month last year and the 3 months before
(reviews.compare), on the sections every review shares, plus the month's own: plan and
attainment, campaign evaluation, operating cost, inventory health with the month's stock ledger,
members, service quality, competitors, and next month's plan (written as the plan file the daily
and weekly then use).

>>> ctx = storeops.monthly.context("2026-11", lang="en")  # doctest: +SKIP
>>> storeops.monthly.members(ctx).data["rfm_segments"]      # doctest: +SKIP
"""

from __future__ import annotations

from storeops.periods import Period
from storeops.present.i18n import Lang
from storeops.reviews.context import ReviewContext, open_context
from storeops.reviews.customers import members
from storeops.reviews.history import costs, service_quality
from storeops.reviews.market import competitors
from storeops.reviews.plan import attainment, next_month
from storeops.reviews.actions import actions, overview
from storeops.reviews.catalogue import campaigns, categories
from storeops.reviews.kpis import bridge, days, drivers, kpis, weekday_profile
from storeops.reviews.operations import service, traffic
from storeops.reviews.sections import glossary, header, summary
from storeops.reviews.stock import health

__all__ = ["context", "header", "overview", "actions", "attainment", "kpis", "days", "weekday_profile", "bridge",
           "drivers", "categories", "traffic", "campaigns", "costs", "health", "members", "service",
           "service_quality", "competitors", "next_month", "glossary", "summary"]


def context(month: str | Period | None = None, config: str | None = None, lang: Lang | None = None,
            allow_incomplete: bool = False) -> ReviewContext:
    """The calendar month ``month`` (``2026-11``; default: the last complete month, store time); a
    month missing orders or traffic on any day is refused unless ``allow_incomplete``."""
    return open_context("monthly", month, config, lang, allow_incomplete)
