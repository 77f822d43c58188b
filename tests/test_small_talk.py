"""Greetings, thanks and requests for help are answered as such, not searched as news."""

from __future__ import annotations

import pytest

from retrieval.question.query import Query
from retrieval.question.small_talk import (
    ACKNOWLEDGED_REPLY,
    CLOCK_REPLY,
    GREETING_REPLY,
    HELP_REPLY,
    THANKS_REPLY,
    reply_to,
)


@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("hello", GREETING_REPLY),
        ("Hi there!", GREETING_REPLY),
        ("hey newsbot", GREETING_REPLY),
        ("good morning :wave:", GREETING_REPLY),
        ("hi 👋", GREETING_REPLY),
        ("thanks!", THANKS_REPLY),
        ("Thank you so much!", THANKS_REPLY),
        ("ok thanks", THANKS_REPLY),
        ("ty 🙏", THANKS_REPLY),
        ("What can you do?", HELP_REPLY),
        ("who are you", HELP_REPLY),
        ("help", HELP_REPLY),
        ("??", HELP_REPLY),
        ("ok", ACKNOWLEDGED_REPLY),
        ("got it!", ACKNOWLEDGED_REPLY),
        ("👍", ACKNOWLEDGED_REPLY),
        ("what time is it", CLOCK_REPLY),
        ("What's the date today?", CLOCK_REPLY),
        ("what day is it?", CLOCK_REPLY),
    ],
)
def test_small_talk_gets_its_reply(message, reply):
    assert reply_to(message) == reply


@pytest.mark.parametrize(
    "message",
    [
        "Hello Kitty recall?",
        "thanks to what did gas prices fall?",
        "What is up with Twitter?",
        "who are you voting for?",
        "hey, who won wimbledon?",
        "How does this work?",  # in a thread, about the story before it
        "Who confirmed the casualties?",
        "okay so who won?",
        "What time is the World Cup final?",
        "What day is the election?",
        "",
    ],
)
def test_questions_are_not_small_talk(message):
    assert reply_to(message) is None


def test_the_engine_answers_small_talk_without_searching(seed_engine):
    """ "hello" had been answered "Hello, quiet, suburban Windsor Home Park." (a 2018 royal
    story): the engine replies in kind, with no sources and no answer claimed."""
    answer = seed_engine.ask(Query("hello!"))
    assert (answer.text, answer.abstained, answer.citations, answer.retrieved) == (
        GREETING_REPLY,
        True,
        [],
        [],
    )
    assert answer.as_json()["mode"] == "small talk"
