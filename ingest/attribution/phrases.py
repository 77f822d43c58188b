"""The speaker's noun phrase: read leftwards from a cue verb or rightwards from "by".

"Secretary of State Marco Rubio on Thursday said" gives "Secretary of State Marco Rubio";
"as confirmed by the Cuban government on Sunday" gives "the Cuban government". A phrase is
a run of capitalised words, determiners, roles and their modifiers, and it must end on a
name or a role, so "the river rose" or "in Havana" never speak.
"""

from __future__ import annotations

import re

from ingest.attribution.words import (
    CONNECTORS,
    DETERMINERS,
    FUNCTION_WORDS,
    MODIFIERS,
    PRONOUNS,
    ROLES,
    SKIPPABLE,
    STOP_CAPS,
    TIME_WORDS,
)
from ingest.chunker import Span

_TOKEN_RE = re.compile(
    r"(?:Jr|Sr|Dr|Mr|Mrs|Ms|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Prof|St)\.|\w(?:[\w’'&-]|\.(?=\w))*|[^\w\s]"
)
# "JetBlue Airways on Thursday announced": a time between the speaker and the cue.
_TIME_PREPOSITIONS = {"on", "last", "this", "in", "late", "early"}
# The words that open an aside between subject and cue: ", who is of Cuban descent,",
# ", a spokesman for X,", ", speaking on Monday,". The subject is before the aside.
_ASIDE_OPENERS = {
    "who",
    "which",
    "a",
    "an",
    "the",
    "whose",
    "his",
    "her",
    "its",
    "their",
    "in",
    "on",
    "at",
    "during",
    "speaking",
    "writing",
    "meanwhile",
    "however",
}
_QUOTE_OR_COMMA = {",", "“", "”", '"'}

Token = re.Match[str]


def _tokens(text: str, lo: int, hi: int) -> list[Token]:
    return list(_TOKEN_RE.finditer(text, lo, hi))


def np_left(text: str, cue_start: int, limit: int) -> tuple[str, int]:
    """The noun phrase ending just before a cue verb (skipping adverbs and appositives)."""
    toks = _tokens(text, limit, cue_start)
    i = _skip_adverbials(toks, len(toks) - 1)
    if i >= 0 and toks[i].group(0) == ",":
        j = _aside_start(toks, i)
        if not _opens_aside(toks, j):
            return _named_aside(text, toks, j, i, cue_start)
        i = j - 1
    if i >= 0 and toks[i].group(0) in PRONOUNS:
        return toks[i].group(0), toks[i].start()
    return _phrase_ending_at(text, toks, i, cue_start)


def _skip_adverbials(toks: list[Token], i: int) -> int:
    """Step left over "also", "has", "on Thursday" and the like between speaker and cue."""
    while i >= 0:
        if toks[i].group(0) in SKIPPABLE:
            i -= 1
        elif (
            i >= 1
            and toks[i].group(0) in TIME_WORDS
            and toks[i - 1].group(0).lower() in _TIME_PREPOSITIONS
        ):
            i -= 2
        else:
            break
    return i


def _aside_start(toks: list[Token], i: int) -> int:
    """The comma or quotation mark before the comma at i (-1 if none)."""
    j = i - 1
    while j >= 0 and toks[j].group(0) not in _QUOTE_OR_COMMA:
        j -= 1
    return j


def _opens_aside(toks: list[Token], j: int) -> bool:
    """Whether the comma at j opens an aside that the subject stands before."""
    return j > 0 and toks[j].group(0) == "," and toks[j + 1].group(0).lower() in _ASIDE_OPENERS


def _named_aside(text: str, toks: list[Token], j: int, i: int, cue_start: int) -> tuple[str, int]:
    """ "The team's coach, Dana Whitlock, said": the name between the commas speaks."""
    inner = toks[j + 1 : i]
    if (
        inner
        and all(np_token(t.group(0), toks, j + 1 + n) for n, t in enumerate(inner))
        and head_ok(inner[-1].group(0))
    ):
        return text[inner[0].start() : inner[-1].end()], inner[0].start()
    return "", cue_start


def _phrase_ending_at(text: str, toks: list[Token], end_i: int, cue_start: int) -> tuple[str, int]:
    """The noun phrase whose last token is toks[end_i], without a leading "While" or "of"."""
    i = end_i
    while i >= 0 and np_token(toks[i].group(0), toks, i):
        i -= 1
    words = toks[i + 1 : end_i + 1]
    while words and (
        words[0].group(0) in STOP_CAPS or words[0].group(0).lower() in CONNECTORS - {"the"}
    ):
        words = words[1:]
    if not words or not head_ok(words[-1].group(0)):
        return "", cue_start
    return text[words[0].start() : words[-1].end()], words[0].start()


def np_right(text: str, pos: int, limit: int) -> tuple[str, int]:
    """The noun phrase starting at pos ("by the Cuban government on Sunday" -> the first part)."""
    toks = _tokens(text, pos, limit)
    words: list[Token] = []
    for k, tok in enumerate(toks):
        if np_token(tok.group(0), toks, k) and not (tok.group(0) in STOP_CAPS and words):
            words.append(tok)
        else:
            break
    while words and not head_ok(words[-1].group(0)):
        words.pop()
    if not words:
        return "", pos
    return text[words[0].start() : words[-1].end()], words[-1].end()


def np_token(word: str, toks: list[Token], k: int) -> bool:
    """Whether toks[k] (spelt word) can be part of a speaker's noun phrase."""
    low = word.lower()
    if word[:1].isupper() and word not in STOP_CAPS:
        return True
    if low in DETERMINERS or low in ROLES or low in MODIFIERS:
        return True
    if (
        word.isalpha()
        and low not in FUNCTION_WORDS
        and any(t.group(0).lower() in ROLES for t in toks[k + 1 : k + 3])
    ):  # a noun modifying a role: "election officials", "health ministry"
        return True
    if low in CONNECTORS:  # "Secretary of State": only between capitalised words
        before = toks[k - 1].group(0) if k > 0 else ""
        after = toks[k + 1].group(0) if k + 1 < len(toks) else ""
        return head_ok(before) and head_ok(after)  # "chief of staff Ron Klain" too
    return False


def head_ok(word: str) -> bool:
    """Whether a phrase may end on word: a name or a role, never "in" or "While"."""
    return (word[:1].isupper() and word not in STOP_CAPS) or word.lower() in ROLES


def subject(text: str, sent: Span) -> str:
    """The sentence-initial noun phrase, for "X commented ..., saying ..."."""
    speaker, _ = np_right(text, sent.start, sent.end)
    return speaker
