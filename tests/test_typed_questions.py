"""Questions over one article of our own, and questions typed without capitals: the
reader reads names as the passages write them and answers with the name asked for."""

from __future__ import annotations

import json

import pytest

from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.settings import Settings
from tests.conftest import SEED_GAP, verbatim


@pytest.fixture
def engine(seed_engine) -> NewsEngine:
    return seed_engine


def _one_article_engine(tmp_path, embedder, title: str, text: str) -> NewsEngine:
    """An engine over one article of our own, ingested through the real pipeline."""
    from ingest import ingest_sources

    settings = Settings(_env_file=None, chroma_path=tmp_path / "c", chroma_collection="one")
    eng = NewsEngine(settings, embedder=embedder)
    path = tmp_path / "one.jsonl"
    record = {"title": title, "text": text, "published": "2024-07-01"}
    path.write_text(json.dumps(record), encoding="utf-8")
    assert ingest_sources([str(path)], eng.store, embedder, settings).articles_added == 1
    return eng


def _answer_from_one_article(tmp_path, embedder, title: str, text: str, question: str):
    """The answer to a question over that one article; it must not abstain."""
    answer = _one_article_engine(tmp_path, embedder, title, text).ask(Query(question))
    assert not answer.abstained, answer.text
    return answer


@pytest.mark.parametrize(
    "question",
    [
        "What did Trump say about the deaths?",  # the speaker filter reads the capital
        pytest.param("Who is Dana Whitlock?", marks=SEED_GAP),  # capitals read as names
        "What did Dana Whitlock say?",
        "Who confirmed the casualties?",
    ],
)
def test_a_question_typed_without_case_is_answered_as_if_cased(engine, question):
    """Discord users often type in lower case, or in capitals; the names are read as the
    passages write them."""
    cased = engine.ask(Query(question))
    assert not cased.abstained
    for typed in (question.lower(), question.upper()):
        answer = engine.ask(Query(typed))
        assert answer.text == cased.text, typed
        assert answer.question == typed  # shown as asked


TREATY = (
    "The Norwegian ambassador said on Monday that the fisheries treaty would be signed in "
    "Bergen before the summer. “This treaty protects the cod stocks for a generation,” the "
    "ambassador told reporters. Negotiators from five countries spent two years on the text."
)


@SEED_GAP
def test_a_name_the_news_never_wrote_abstains_typed_without_case(tmp_path, embedder):
    """No dictionary knows "zorblaxian" and no passage resembles it: it is a name the news
    does not know, read as when typed "Zorblaxian". In lower case it had been answered with
    the Norwegian ambassador's words."""
    eng = _one_article_engine(tmp_path, embedder, "Fisheries treaty to be signed", TREATY)
    assert not eng.ask(Query("What did the Norwegian ambassador say about the treaty?")).abstained
    asked = "What did the Zorblaxian ambassador say about the treaty?"
    for typed in (asked, asked.lower(), asked[:1] + asked[1:].lower(), asked.upper()):
        assert eng.ask(Query(typed)).abstained, typed
    # A word the dictionary knows is no name: it may be how the asker puts what the
    # article says otherwise.
    assert not eng.ask(Query("what did the foreign ambassador say about the treaty?")).abstained


def test_a_dictionary_word_typed_without_case_is_no_name(engine):
    """ "verified" is not in the article, but it is a word, not a name the news must state."""
    answer = engine.ask(Query("who verified the casualties?"))
    assert not answer.abstained, answer.confidence
    assert "Cuban" in answer.text, answer.text


@pytest.mark.parametrize(
    ("title", "story", "question", "answer"),
    [
        (
            "Harbour Kestrels win first Tidewater Cup title since 2001",
            "The team’s only loss of the final came against the Marlins in Game 3 on Tuesday. "
            "Their nine road wins set a record for the league’s playoffs.",
            "Which team won the Tidewater Cup final?",
            "Harbour Kestrels",
        ),
        pytest.param(
            "Vellmark’s favourite condiment is running out on supermarket shelves",
            "Mustard has vanished from supermarket shelves in Vellmark after a poor seed "
            "harvest. Shoppers are angry, and some stores limit buyers to one jar each.",
            "Which condiment are Vellmark supermarkets struggling to stock?",
            "Mustard",
            marks=SEED_GAP,
        ),
        (
            "Retailer cuts costs",
            "Harwick Home Goods has had a difficult year on the high street. The company is "
            "turning off the air conditioning in its stores to save money as sales fall, "
            "employees said on Tuesday.",
            "Which company is turning off the air conditioning to save money?",
            "Harwick Home Goods",
        ),
    ],
)
def test_the_answer_is_the_name_asked_for(tmp_path, embedder, title, story, question, answer):
    """The reply opens with what a which-question asks for, not with words it repeats."""
    reply = _answer_from_one_article(tmp_path, embedder, title, story, question)
    assert reply.short_answer == answer, reply.text
    verbatim(reply)
