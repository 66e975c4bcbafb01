"""The pace check's page on the demo at 14:00 of its last day, in zh and en: every section, no missing
value, the reader's words; the archive links the latest check and lists no hourly snapshot."""

from __future__ import annotations

import pytest

from tests.e2e.overview import assert_whole

SECTIONS = ("pace", "pace_stock", "pace_ads", "pace_service", "pace_ship", "glossary")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_is_whole(demo_project, review, lang):
    published = review("pace", lang)
    assert_whole(published, demo_project, "pace", "2026-11-26T14", SECTIONS)
    page = published[2]
    title = "实时进度 2026-11-26 14:00" if lang == "zh" else "Pace check 2026-11-26 14:00"
    assert title in page
    from storeops.publish import archive
    from storeops import config

    index = archive.build(config.load(demo_project / "params" / "store.yaml")).read_text(encoding="utf-8")
    assert 'href="pace/latest.html"' in index and "pace-2026-11-26T14" not in index
