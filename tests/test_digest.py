""" "What happened yesterday?" and the like: the headlines of that period, cited."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from retrieval.answer.digest import asks_for_the_news, period
from retrieval.question.query import Query


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What happened yesterday?", True),
        ("What's new today?", True),
        ("Any news this week?", True),
        ("what's going on", True),
        ("What happened in Uvalde?", False),  # a subject: searched as usual
        ("What happened to Salman Rushdie?", False),
        ("What's the latest on the war in Ukraine?", False),
        ("Who won yesterday?", False),  # not a what-happened question
    ],
)
def test_a_question_for_the_news_names_only_a_time(question, asks):
    assert asks_for_the_news(question) is asks


def test_the_period_asked_for():
    wednesday = datetime(2022, 11, 9, 12, tzinfo=UTC)
    assert period(Query("What happened yesterday?", as_of=wednesday))[:2] == (
        date(2022, 11, 8),
        date(2022, 11, 8),
    )
    assert period(Query("Any news this week?", as_of=wednesday)) == (
        date(2022, 11, 3),
        date(2022, 11, 9),
        "the week to Wednesday, November 9, 2022",
    )
    assert period(Query("What's new?", as_of=wednesday))[:2] == (
        date(2022, 11, 8),
        date(2022, 11, 9),
    )
    given = Query("What happened?", since=date(2022, 11, 1), until=date(2022, 11, 4))
    assert period(given) == (
        date(2022, 11, 1),
        date(2022, 11, 4),
        "November 1, 2022 to Friday, November 4, 2022",
    )


def test_the_news_of_a_week_is_its_headlines_cited(seed_engine):
    """Over the seed and the samples, the week to January 8, 2026 holds the seed article only
    (the samples are from March)."""
    answer = seed_engine.ask(
        Query("What happened this week?", as_of=datetime(2026, 1, 8, tzinfo=UTC))
    )
    assert not answer.abstained, answer.text
    assert answer.text.startswith(
        "The news of the week to Thursday, January 8, 2026: Breaking News: 32 Cuban Officers "
        "Killed in US Venezuela Operation"
    ), answer.text
    assert [c.published[:10] for c in answer.citations] == ["2026-01-07"]
    for n, cited in enumerate(answer.citations, start=1):
        headline = re.search(rf"(?:: |\] )([^\[]+?) \[{n}\]", answer.text).group(1)
        assert cited.text.startswith(headline)  # what is quoted is in what is cited


def test_no_news_of_the_period_says_so(seed_engine):
    answer = seed_engine.ask(
        Query("What happened yesterday?", as_of=datetime(2027, 5, 2, tzinfo=UTC))
    )
    assert answer.abstained
    assert answer.text == "I have no news from Saturday, May 1, 2027."
