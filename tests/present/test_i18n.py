"""The catalog's words that agree with a count (en): "1 order is", "3 orders are"."""

from __future__ import annotations

import re

from storeops.present import i18n
from storeops.present.i18n import text


def test_words_agree_with_their_count():
    assert text("alert.ship", "en", n=1, hours="6", order="p2", left="6") == \
        "1 order is within 6 h of missing 72 h (the first, p2, has 6 h left)"
    assert text("alert.ship", "en", n=2, hours="6", order="p2", left="6") == \
        "2 orders are within 6 h of missing 72 h (the first, p2, has 6 h left)"
    # 0 takes the plural; a count formatted as text ("1", "1,204") counts as its number
    assert text("pace.ship", "en", due=0, soon=0, hours="2", late="1") == \
        "0 unshipped orders reach 72 h before midnight (0 of them within 2 h); 1 is late already."
    assert text("replenishment.subject", "en", units="1,204", value="¥9") == "1,204 units to order · ¥9 at cost"
    assert text("cmp.held.week", "en", n=1) == " (1 week)" and text("cmp.held.week", "en", n=4) == " (4 weeks)"
    # zh has no plural: its entries carry no marker and read the same for any count
    assert text("alert.ship", "zh", n=1, hours="6", order="p2", left="6") == \
        "1 笔订单距72小时发货时限不到 6 小时（最急 p2，剩 6 小时）"


def test_every_marker_names_a_field_of_its_entry():
    for key, entry in i18n.CATALOG.items():
        for lang, s in entry.items():
            fields = set(re.findall(r"\{(\w+)\}", s))
            for name, _, _ in i18n._NUMBER.findall(s):
                assert name in fields, f"{key} ({lang}): {{{name}|…}} but no {{{name}}}"
