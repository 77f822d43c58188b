"""Publication dates from metadata fields and from an article's date line."""

from __future__ import annotations

import re
from datetime import date, datetime

from dateutil import parser as dateparser

_MONTHS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?"
)
_HAS_DATE = re.compile(
    rf"\b(({_MONTHS})\.?\s+\d{{1,2}},?\s+(19|20)\d\d|\d{{1,2}}\s+({_MONTHS})\.?\s+(19|20)\d\d|"
    r"(19|20)\d\d-\d\d-\d\d)\b",
    re.IGNORECASE,
)


def parse_date(value: object) -> datetime | None:
    """Parse a metadata date (ISO text, RFC 822, "January 7, 2026", a datetime); None if not."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):  # YAML front matter gives dates as date objects
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dateparser.parse(value.strip())
    except (ValueError, OverflowError):
        return None


def date_in_line(line: str) -> datetime | None:
    """A date line near the top of an article ("January 7, 2026", "Published 2026-01-07")."""
    if len(line.split()) > 10:
        return None
    match = _HAS_DATE.search(line)
    if not match:
        return None
    return parse_date(match.group(0))
