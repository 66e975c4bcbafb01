"""Each review of the demo store published once per language for the whole session: the review's own
module asserts its figures, the browser tests look at the same pages."""

from __future__ import annotations

import pytest

from tests.e2e.overview import publish

#: the period each review is published for: the demo's last day, a complete week and month in it
PERIODS = {"daily": ("--date", "2026-11-26"), "weekly": ("--week", "2026-W47"),
           "monthly": ("--month", "2026-10"), "replenishment": ("--date", "2026-11-26"),
           "pace": ("--date", "2026-11-26", "--hour", "14", "--no-alerts")}
HOSTILE = "<script>alert(1)</script> 电话13812345678"


@pytest.fixture(scope="session")
def hostile_chats(demo_project):
    """Every chat of the daily's day carries markup and a phone number: the report must escape and mask them."""
    import duckdb

    db = duckdb.connect(str(demo_project / "data" / "warehouse.duckdb"))
    db.execute(f"update cs_sessions set transcript = transcript || ? where started_at::date = date '{PERIODS['daily'][1]}'",
               [HOSTILE])
    db.close()


@pytest.fixture(scope="session")
def review(demo_project, hostile_chats):
    """``review(kind, lang)``: (lang, html path, page) of that review, published on first use."""
    done: dict[tuple[str, str], tuple] = {}

    def get(kind: str, lang: str):
        if (kind, lang) not in done:
            done[kind, lang] = publish(demo_project, kind, *PERIODS[kind][:2], lang, *PERIODS[kind][2:])
        return done[kind, lang]

    return get
