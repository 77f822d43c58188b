"""Bylines and credit lines: who wrote the article and which agency it came from."""

from __future__ import annotations

import re

AGENCIES = ("Associated Press", "Reuters", "Agence France-Presse", "AFP", "Bloomberg", "dpa")
_NAME = r"[A-Z][\w’'.-]+(?:\s+(?:[A-Z][\w’'.-]+|de|van|von|da|del|la|bin))*\s+[A-Z][\w’'-]+"
_BYLINE = re.compile(r"^(?:by|written by)\s+(.+)$", re.IGNORECASE)
_CREDIT = re.compile(
    r"(?:contributions? from|contributed (?:to )?(?:this|the) (?:report|story)[^.]*?|reporting by)"
    r"\s+(?:the\s+)?(?P<org>" + "|".join(AGENCIES) + r")?\s*"
    r"(?:staff\s+)?(?:reporters?|writers?|correspondents?|journalists?)?\s*(?P<rest>[^.]*)",
    re.IGNORECASE,
)


def split_names(text: str) -> list[str]:
    """ "Megan Janetsky in Mexico City and Darlene Superville aboard ..." -> the two names."""
    return list(
        dict.fromkeys(m.group(0) for m in re.finditer(_NAME, text) if _is_person(m.group(0)))
    )


def _is_person(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and not any(w in {"Air", "Force", "City", "News"} for w in words)


def byline_authors(line: str) -> list[str]:
    """Authors from a "By A and B" line; empty when the line is not a byline."""
    match = _BYLINE.match(line.strip())
    if not match or len(line.split()) > 12:
        return []
    names = re.split(r",\s*|\s+and\s+|\s*&\s*", re.sub(r",?\s+(for|of)\s+.*$", "", match.group(1)))
    return [n.strip() for n in names if len(n.split()) >= 2 and n.strip()[0].isupper()]


def credited(text: str) -> tuple[str, list[str], int, int] | None:
    """The agency and reporters of a credit line, with its character span, if there is one."""
    match = _CREDIT.search(text)
    if not match:
        return None
    names = [n for n in split_names(match.group("rest")) if n not in AGENCIES]
    org = match.group("org") or ""
    if not names and not org:
        return None
    return org, names, match.start(), match.end()
