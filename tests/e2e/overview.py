"""Checks the written overview of a published review against its summary.json."""

from __future__ import annotations

import html
import json
import re

from storeops.metrics import registry
from storeops.present import formats, tables


def assert_figures_match(published) -> int:
    """Every ``data-figure`` of a published report's overview (``published``: lang, html path, page)
    shows its summary.json value as the report formats it; returns how many there were."""
    lang, html_path, page = published
    summary = json.loads(html_path.with_name(html_path.name.replace(".html", ".summary.json")).read_text())
    colours = tables.colours({}, lang)
    overview = re.search(r'<p class="so-overview">(.*?)</p>', page, re.S)
    assert overview, "no overview paragraph"
    found = re.findall(r'<span data-figure="([^"]+)">([^<]*)</span>', overview.group(1))
    for key, shown in found:
        if key.startswith("comparisons."):
            _, basis, mid = key.split(".")
            expected = tables.trend(summary["comparisons"][basis][mid], colours)
        elif key.startswith("action_"):
            expected = str(summary["metrics"][key])
        elif key.startswith("bridge_"):
            expected = formats.signed_money(summary["metrics"][key], lang)
        else:
            expected = formats.value(summary["metrics"][key], registry.get(key).unit, lang)
        assert html.unescape(shown) == expected, key
    return len(found)
