"""Checks the written overview of a published review against its summary.json."""

from __future__ import annotations

import html
import re

from storeops.metrics import registry
from storeops.present import formats, tables


def assert_figures_match(page: str, summary: dict, colours: str) -> int:
    """Every ``data-figure`` of the overview shows its summary.json value as the report formats it;
    returns how many there were."""
    lang = summary["lang"]
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
