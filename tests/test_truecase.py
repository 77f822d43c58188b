"""Questions typed without case take their names' capitals from the passages found."""

from __future__ import annotations

import pytest

from retrieval.question.truecase import truecase, typed_without_case
from retrieval.search.hits import Hit

PASSAGES = [
    "Brothers of Italy leader Giorgia Meloni claimed victory. Italy’s next government will "
    "take office after talks in Rome; Meloni said she would govern all of Italy.",
    "The FBI searched the estate on Monday. Agents of the FBI took boxes from Mar-a-Lago, "
    "the former president's resort in Florida; the search of Mar-a-Lago lasted all day.",
    "New York and New Jersey are next. A new law takes effect, the new governor said.",
    "(CNN) Facing new rules, the state capital's water plant failed; the state is facing fines.",
]


def _hits() -> list[Hit]:
    return [Hit(passage_id=str(n), text=t, meta={}) for n, t in enumerate(PASSAGES)]


@pytest.mark.parametrize(
    ("typed", "cased"),
    [
        ("who is the new prime minister of italy?", "Who is the new prime minister of Italy?"),
        (
            "what did meloni say about italy’s government?",
            "What did Meloni say about Italy’s government?",
        ),
        ("why did the fbi search mar-a-lago?", "Why did the FBI search Mar-a-Lago?"),
        # "new" is also "New Jersey" here, but far from nine times in ten; "Facing" opens a
        # sentence after a dateline, which says nothing about its case.
        ("which state capital is facing new rules?", "Which state capital is facing new rules?"),
        # Only the first letter capitalised, as phones do: the names still take their capitals;
        # a question that names nobody comes back as it was.
        ("Who is the new prime minister of italy?", "Who is the new prime minister of Italy?"),
        ("Which state capital is facing fines?", "Which state capital is facing fines?"),
        # A capital anywhere else: typed with care, left as it is.
        ("Why did the FBI search mar-a-lago?", "Why did the FBI search mar-a-lago?"),
        # Found nowhere and in no dictionary: a name the news does not know.
        ("who is zorblaxian?", "Who is Zorblaxian?"),
        # Found nowhere, but a dictionary word, or a misspelling of a passage's word.
        ("who perished in italy?", "Who perished in Italy?"),
        ("who searched mar-a-lagoo?", "Who searched mar-a-lagoo?"),
        ("WHY DID THE FBI SEARCH MAR-A-LAGO?", "Why did the FBI search Mar-a-Lago?"),
    ],
)
def test_lower_case_words_take_the_passages_capitals(typed, cased):
    assert truecase(typed, _hits()) == cased


def test_only_a_question_typed_without_case_is_recased():
    assert typed_without_case("what did i miss about the fbi?")
    assert typed_without_case("can I ask about the fbi?")
    assert typed_without_case("WHAT DID THE FBI DO?")
    assert typed_without_case("What did the fbi do?")  # a phone's capital first letter
    assert typed_without_case("“what did the fbi do?”")
    assert not typed_without_case("What did the FBI do?")
    assert not typed_without_case("what did Meloni say?")
    assert not typed_without_case("2022?")
