"""Misspelt words in a question are mended from the words the found passages write."""

from __future__ import annotations

import pytest

from retrieval.question.spelling import respell
from retrieval.search.hits import Hit

PASSAGES = [
    "The Cuban government confirmed the casualties on Sunday; the government declared two "
    "days of national mourning.",
    "Wellmark, the insurer, punished no one. The company said its administration would review "
    "the vaccinations of its staff.",
]


def _hits() -> list[Hit]:
    return [Hit(passage_id=str(n), text=t, meta={}) for n, t in enumerate(PASSAGES)]


@pytest.mark.parametrize(
    ("typed", "mended"),
    [
        ("Who confirmed the casulties?", "Who confirmed the casualties?"),
        # A misspelling common enough for the dictionary to list it, but far rarer.
        ("What did the goverment declare?", "What did the government declare?"),
        ("Casulties’ toll?", "Casualties’ toll?"),  # a possessive keeps its ending
        ("Did the comany review the vacinations?", "Did the company review the vaccinations?"),
        ("Who confrimed the casualties?", "Who confirmed the casualties?"),  # two letters swapped
        # Nothing written resembles it: left for the search to make what it can of it.
        ("How many prestgious awards?", "How many prestgious awards?"),
        # A dictionary word is the asker's wording, not a misspelling of "punished".
        ("Who perished?", "Who perished?"),
        # A name typed with its capital is the name meant: Vellmark is not Wellmark.
        ("What is the population of Vellmark?", "What is the population of Vellmark?"),
    ],
)
def test_misspelt_words_take_the_passages_spelling(typed, mended):
    assert respell(typed, _hits()) == mended


def test_without_case_a_name_may_be_misspelt_too():
    assert respell("what did welmark say?", _hits(), typed_with_case=False) == (
        "what did wellmark say?"
    )
