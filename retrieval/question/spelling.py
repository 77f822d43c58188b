"""Misspelt words in a question, mended from the words the found passages write.

"Who confirmed the casulties?": BM25 knows no "casulties" and the bi-encoder makes little of
its pieces. A search still finds the right passages through the other words, so the word
meant is usually among the words those passages write: the question is mended with it and
searched again.

Only a word no passage writes, that a passage word closely resembles, and that a dictionary
(wordfreq's word frequencies) knows far less than that word ("goverment" is frequent enough in
web text to be listed, "government" far more so): "perished" is no misspelling of "punished",
whichever the passages write. Words typed with a capital in a question typed with care are
names and left alone ("Vellmark" is not "Wellmark").
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from retrieval.search.hits import Hit

WORD = re.compile(r"[^\W\d_][\w’'-]*")
# Edits (a letter added, dropped, changed, or two swapped: "serach") between a misspelling and
# the word meant: one in a word of up to seven letters, two in a longer one. One letter is a
# lot in a short word: "comany" is one from "company", two from "many".
LONG_WORD = 8
# How much more common (Zipf scale: 1 = ten times) the word meant must be than the word typed.
MISSPELLING_GAP = 2.0
MIN_LENGTH = 4  # "teh" and "fo" are better left to the bi-encoder than guessed


def bare(word: str) -> str:
    """ "Italy’s" -> "Italy", "casualties’" -> "casualties": a possessive is its word."""
    return re.sub(r"[’']s?$", "", word)


def written_words(hits: list[Hit]) -> set[str]:
    """Every word the passages write, folded; possessives as their word."""
    return {
        bare(m.group(0)).casefold()
        for text in dict.fromkeys(h.text for h in hits)
        for m in WORD.finditer(text)
    }


@cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words, imported when first asked for: spaCy is imported only
    once a command has chosen what it may load with it (`retrieval.search.lean`)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def zipf(word: str) -> float:
    """The word's frequency in English (wordfreq's Zipf scale, 0 when unknown). wordfreq is
    imported on first use: its import, mostly compiling its tokenizer's patterns, is a tenth
    of a fresh `news-ask`, and a question whose words the passages all write never needs it."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def in_dictionary(word: str) -> bool:
    return zipf(word) > 0


def resembling(word: str, written: set[str] | list[str]) -> list[str]:
    """The passage words `word` could be a misspelling of: fewest edits first, then the
    commonest."""
    folded = word.casefold()
    edits = 1 if len(folded) < LONG_WORD else 2
    found = process.extract(
        folded, list(written), scorer=OSA.distance, score_cutoff=edits, limit=None
    )
    ranked = sorted(found, key=lambda f: (f[1], -zipf(f[0])))
    return [w for w, _, _ in ranked if w != folded]


def meant(word: str, written: set[str]) -> str | None:
    """The passage word a misspelt `word` stands for, if it is one (see the module's rule)."""
    folded = word.casefold()
    if len(folded) < MIN_LENGTH or folded in written or folded in stop_words():
        return None  # a stop word ("were", "many") is always a word, never a misspelling
    typed = zipf(folded)
    for candidate in resembling(folded, written):  # nearest first
        if typed == 0 or zipf(candidate) - typed >= MISSPELLING_GAP:
            return candidate
    return None


def respell(question: str, hits: list[Hit], typed_with_case: bool = True) -> str:
    """The question with its misspelt words replaced by the words the passages write.

    In a question typed with case, a capitalised word (bar the first) is a name as typed.
    """
    written = written_words(hits)

    def mend(m: re.Match[str]) -> str:
        word = m.group(0)
        if typed_with_case and m.start() > 0 and word[:1].isupper():
            return word
        stem = bare(word)  # "casulties’" is mended as "casulties"
        fixed = meant(stem, written)
        if not fixed:
            return word
        return (fixed.capitalize() if word[:1].isupper() else fixed) + word[len(stem) :]

    return WORD.sub(mend, question)
