"""Quotations and statements: which quotation belongs to a cue, and a statement's clean form.

A cue takes the quotation that closes just before it ('"...," she said') or opens just after
it ('she said: "..."'); a reported clause without quotation marks is trimmed of the others'
view a writer adds after it.
"""

from __future__ import annotations

import re

QUOTE_RE = re.compile(r"“[^”]{2,}”|\"[^\"\n]{2,}\"")


def quote_after(text: str, pos: int, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A quotation opening right after pos (it may run on past the sentence)."""
    for a, b in quotes:
        if a >= pos and re.fullmatch(r"[\s,:—–-]*", text[pos:a]):
            return a, b
    return None


def quote_before(
    text: str, pos: int, quotes: list[tuple[int, int]], lo: int
) -> tuple[int, int] | None:
    """A quotation closing right before pos, inside the same paragraph."""
    for a, b in quotes:
        if lo <= b <= pos and "\n" not in text[a:pos] and re.fullmatch(r"[\s,]*", text[b:pos]):
            return a, b
    return None


def ends_with_quote(text: str, lo: int, pos: int) -> bool:
    """Whether text[lo:pos] closes with a quotation mark: '"...," said the minister' order."""
    return bool(re.search(r"[”\"]\s*,?\s*$", text[lo:pos]))


# "Musk has said his goal is to bolster “free speech,” but some worry that ...": what follows
# "but some/critics/..." is what others think, not the speaker's; "but that ...", "but not
# until ..." or "but it ..." may still be the speaker's, so only plainly other people count.
_OTHERS_TAKE_OVER = re.compile(
    r"(,?)([”’\"]?)(,?)\s+but\s+(?:some|many|others|critics|experts|analysts|opponents|"
    r"skeptics|sceptics|observers|detractors)\b",
    re.IGNORECASE,
)


def own_words(clause: str) -> str:
    """A reported statement without the others' view a writer adds after it."""
    m = _OTHERS_TAKE_OVER.search(clause)
    if not m or not (m.group(1) or m.group(3)):
        return clause
    return clause[: m.end(2)]  # keep a closing quotation mark: the words stay verbatim


def words_inside(text: str, quote: tuple[int, int]) -> str:
    """A quotation's words without its quotation marks."""
    return text[quote[0] + 1 : quote[1] - 1]


def tidy(statement: str) -> str:
    """One line, without stray separators at the ends, capped at 600 characters."""
    statement = " ".join(statement.split()).strip(" ,;:")
    return statement[:600]
