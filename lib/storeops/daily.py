"""The daily review (日报): what notebooks/daily.ipynb calls.

A day against the previous day, the same weekday last week and the 4 same weekdays before
(reviews.compare); the sections are those every review shares (reviews.actions, kpis, operations).

>>> ctx = storeops.daily.context("2026-11-26", lang="en")  # doctest: +SKIP
>>> storeops.daily.kpis(ctx)                                # the KPI table
"""

from __future__ import annotations

import datetime as _dt

from storeops.present.i18n import Lang
from storeops.reviews.context import ReviewContext, open_context
from storeops.reviews.actions import actions, overview
from storeops.reviews.kpis import bridge, kpis, trends
from storeops.reviews.operations import ads, fulfilment, products, service, traffic
from storeops.reviews.sections import glossary, header, summary

__all__ = ["context", "header", "overview", "actions", "kpis", "bridge", "trends", "traffic", "service",
           "fulfilment", "ads", "products", "glossary", "summary"]


def context(report_date: str | _dt.date | None = None, config: str | None = None, lang: Lang | None = None,
            allow_incomplete: bool = False) -> ReviewContext:
    """The day ``report_date`` (default: yesterday, store time); a day missing orders or traffic is
    refused unless ``allow_incomplete``."""
    return open_context("daily", report_date, config, lang, allow_incomplete)
