"""Site furniture that scrapers leave in article text and that must never become a passage.

Two kinds: single lines dropped where they stand ("See also ...", "Advertisement"), and footer
markers after which nothing belongs to the article ("Similar Posts:", "Leave a Comment").
"""

from __future__ import annotations

import re

_LINE = re.compile(
    r"^(see also\b|related( articles?| stories| coverage)?:|read (more|also|next)\b|"
    r"advertisement$|sponsored( content)?$|click here\b|sign up (for|to)\b|subscribe (to|now)\b|"
    r"follow us\b|image( source)?:|photo:|getty images$|(share|tweet|email|print|copy link)$)",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(similar posts|related posts|rate this (post|article)|leave a (comment|reply)|"
    r"share (to|this)\b|you (may|might) also like|more from\b|recommended for you|"
    r"about the author|comments? \(\d+\)|post navigation)",
    re.IGNORECASE,
)


def is_boilerplate(paragraph: str) -> bool:
    text = paragraph.strip()
    return bool(_LINE.match(text) or _FOOTER.match(text))


def strip_boilerplate(paragraphs: list[str]) -> list[str]:
    """Drop furniture lines; cut everything from the first footer marker on."""
    kept: list[str] = []
    for para in paragraphs:
        text = para.strip()
        if not text:
            continue
        if _FOOTER.match(text):
            break
        if _LINE.match(text):
            continue
        kept.append(text)
    return kept


def is_heading(paragraph: str) -> bool:
    """A short line with no sentence punctuation: a section heading, not prose."""
    text = paragraph.strip()
    return len(text.split()) <= 8 and not re.search(r"[.!?:;\"”’)]$", text)
