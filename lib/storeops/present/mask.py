"""Masking of buyer identifiers and phone numbers: reports are mailed around."""

from __future__ import annotations

import re

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")  # mainland mobile numbers
_INTL_PHONE = re.compile(r"\+\d[\d\s-]{7,}\d")


def buyer(buyer_id: object) -> str:
    """Keep the first 3 and last 2 characters: >>> buyer("tb123456789") → 'tb1******89'."""
    s = "" if buyer_id is None else str(buyer_id)
    if len(s) <= 3:
        return "*" * len(s)
    if len(s) <= 6:
        return s[0] + "*" * (len(s) - 1)
    return s[:3] + "*" * (len(s) - 5) + s[-2:]


def phones(text: object) -> str:
    """Mask phone numbers inside free text: 13812345678 → 138****5678."""
    s = "" if text is None else str(text)
    s = _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", s)
    return _INTL_PHONE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-2:], s)
