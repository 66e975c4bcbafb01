"""Masking of buyers' identifiers and phone numbers: reports are mailed around.

Metrics that return people's text or ids (a chat sample, the urgent orders) mask it
where they fetch it, so no cell of a report, and no executed notebook kept beside it,
ever holds the raw values; every text cell a report shows passes :func:`phones` again
(present.tables) as a net for free text in any column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: between digit groups: up to two spaces, dots, hyphens or dashes (138-1234-5678, 138 1234  5678)
_SEP = r"[ \t.\-\u00a0\u2013\u2014]{0,2}"
_CC = r"(?:\(?(?:\+|00)86\)?|86(?=[ \t.\-]))"  # +86, 0086, (+86), or a bare 86 followed by a separator
#: mainland mobiles: 11 digits from 13–19, grouped 3-4-4 or not at all, with or without the country code
_MOBILE = re.compile(rf"(?<![\d+])(?:{_CC}{_SEP}|86)?(1[3-9]\d){_SEP}(\d{{4}}){_SEP}(\d{{4}})(?!\d)")
#: landlines with their area code (010-12345678, (0571) 8765 4321, +86 (0)571 87654321, an extension)
_LANDLINE = re.compile(rf"(?<![\d+])(?:{_CC}{_SEP}\(?0?\)?|\(?0)(\d{{2,3}})\)?{_SEP}(\d{{3,4}}){_SEP}(\d{{4}})"
                       rf"(?:{_SEP}(?:转|ext\.?|#|-)?\d{{1,5}})?(?!\d)")
#: other international numbers (+1 415-555-0123): at least 10 digits
_INTL = re.compile(r"\+\d[\d\s\-]{7,}\d")
#: full-width digits and the ideographic space, read as their ASCII forms before matching
_WIDE = str.maketrans("０１２３４５６７８９\u3000", "0123456789 ")


def buyer(buyer_id: object) -> str:
    """Keep the first 3 and last 2 characters: >>> buyer("tb123456789") → 'tb1******89'."""
    s = "" if buyer_id is None else str(buyer_id)
    if len(s) <= 3:
        return "*" * len(s)
    if len(s) <= 6:
        return s[0] + "*" * (len(s) - 1)
    return s[:3] + "*" * (len(s) - 5) + s[-2:]


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def phones(text: object) -> str:
    """Mask phone numbers inside free text, whatever their grouping or prefix:
    13812345678, 138-1234-5678, +86 138 1234 5678 → 138****5678; 0571-87654321 → 0571-****21."""
    s = "" if text is None else str(text).translate(_WIDE)
    s = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", s)
    s = _LANDLINE.sub(lambda m: f"0{m.group(1)}-****{m.group(3)[-2:]}", s)
    return _INTL.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-2:] if len(_digits(m.group(0))) >= 10
                     else m.group(0), s)


def free_text(text: object, buyer_ids: Iterable[str] = ()) -> str:
    """``text`` with its phone numbers masked and every id of ``buyer_ids`` in it masked as :func:`buyer`."""
    s = phones(text)
    ids = sorted({i for i in buyer_ids if i and len(i) >= 4 and i in s}, key=len, reverse=True)
    if ids:
        s = re.sub("|".join(map(re.escape, ids)), lambda m: buyer(m.group(0)), s)
    return s
