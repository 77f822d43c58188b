""" "What happened yesterday?": the news of a day or a week, as its headlines.

A question that names no subject, only a time ("What happened yesterday?", "What's new
today?", "Any news this week?"), had been searched like any other: its words match nothing
in particular, so it abstained over the RealTimeQA store (or answered from whatever matched
"happened"). People in a channel ask it. Such a question gets the headlines of the articles
published in that period instead, each cited, the period said in words.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from retrieval.answer import Answer, distinct_articles, headed, headline_statement, repeats
from retrieval.answer_type import AnswerKind, kind_of
from retrieval.hits import Hit
from retrieval.query import Query

HEADLINES = 5
# The words a question for "the news" is made of, when it names no subject.
_GENERIC = re.compile(
    r"what(?:'s)?|is|has|have|been|was|were|did|any|anything|everything|the|big|biggest|top|"
    r"latest|news|new|happen\w*|going|on|today|tonight|yesterday|this|last|past|week|weekend|"
    r"day|days|in|world|headlines?|stories|story|updates?|tell|me|about|so|far|there|of|"
    r"give|show|summary|summarize|recap|please|pls"
)
_WEEK = re.compile(r"\bweek(?:end)?\b", re.IGNORECASE)


def asks_for_the_news(question: str) -> bool:
    """A what-happened question made only of time and news words ("What happened today?")."""
    words = re.findall(r"[a-z']+", question.casefold().replace("’", "'"))
    return (
        bool(words)
        and kind_of(question) is AnswerKind.EVENT
        and all(_GENERIC.fullmatch(w) for w in words)
    )


def period(query: Query) -> tuple[date, date, str]:
    """The days asked about, and their name: those of --since/--until when given, a named day
    ("yesterday"), the week to the as-of date ("this week"), or else the as-of day and the day
    before ("What's new?")."""
    if query.since or query.until:  # the dates given (--since/--until) are the period
        start, end = query.since or date.min, query.until or query.as_of_utc.date()
        return start, end, f"{start:%B} {start.day}, {start.year} to {_day(end)}"
    end = query.as_of_utc.date()
    day = query.named_day
    if day is not None:
        return day, day, _day(day)
    if _WEEK.search(query.question):
        return end - timedelta(days=6), end, f"the week to {_day(end)}"
    return end - timedelta(days=1), end, f"{_day(end - timedelta(days=1))} and {_day(end)}"


def compose_digest(query: Query, hits: list[Hit], days: str) -> Answer:
    """The headlines of the best-ranked articles of the period, one per story (60% of a
    headline's words already said is the same story, as for an answer's headlines), each cited
    with its passage (`headed`)."""
    parts: list[str] = []
    cited: list[Hit] = []
    for hit in distinct_articles(hits, len(hits)):
        headline = headline_statement(" ".join(hit.title.split()), AnswerKind.EVENT)
        if not headline:  # a roundup, a question, a headline cut short: no statement
            continue
        if repeats(headline, parts):  # the same story: "Liz Truss resigns as British Prime
            continue  # Minister" after "Liz Truss resigns as UK prime minister ..."
        cited.append(headed(hit))
        parts.append(f"{headline} [{len(cited)}]")
        if len(cited) == HEADLINES:
            break
    if not parts:
        return Answer(query.question, f"I have no news from {days}.", True)
    text = f"The news of {days}: " + " ".join(parts)
    return Answer(query.question, text, False, cited, distinct_articles(hits, query.k), 1.0)


def _day(day: date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"
