""" "What happened yesterday?": the news of a day or a week, as its headlines.

A question that names no subject, only a time ("What happened yesterday?", "What's new
today?", "Any news this week?"), has words that match nothing in particular, so searched like
any other it finds nothing or whatever says "happened". People in a channel ask it. Such a
question gets the headlines of the articles published in that period instead, each cited, the
period said in words.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from retrieval.answer.result import Answer, distinct_articles, headed
from retrieval.question.query import Query, asks_what_happened
from retrieval.search.hits import Hit
from retrieval.search.rerank import coverage
from retrieval.text import sentence_spans, terms

HEADLINES = 5
REPEATED_HEADLINE = 0.6  # share of a headline's words already said: the same story
# The words a question for "the news" is made of, when it names no subject.
_GENERIC = re.compile(
    r"what(?:'s)?|is|has|have|been|was|were|did|any|anything|everything|the|big|biggest|top|"
    r"latest|news|new|happen\w*|going|on|today|tonight|yesterday|this|last|past|week|weekend|"
    r"day|days|in|world|headlines?|stories|story|updates?|tell|me|about|so|far|there|of|"
    r"give|show|summary|summarize|recap|please|pls"
)
_WEEK = re.compile(r"\bweek(?:end)?\b", re.IGNORECASE)
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|"
    r"dozen|dozens|half|double|triple"
)
# Text that points at news instead of stating it: "Here's what we know", "What to expect",
# "We're taking a look at what happened at Mar-a-Lago.", "5 things to know for July 18".
_SIGNPOST = re.compile(
    r"\bhere(?:’s|'s| is| are) (?:what|how|why|where|when|who|a look|the latest|everything)\b|"
    r"\bwhat (?:we|you) (?:know|need to know|should know)\b|"
    r"\bwhat to (?:know|expect|watch|watch for)\b|\bthings to know\b|"
    r"^live (?:updates|coverage|blog)\b|\blet(?:’|')s (?:look|take a look|dig|break|talk)\b|"
    r"\bwe(?:’re|'re| are|’ll|'ll| will) (?:taking a look|take a look|looking at|breaking down|"
    r"break down|explain\w*|walk you)\b|"
    r"^(?:correction|clarification|editor(?:’|')?s note)\s*:|"
    r"\bhere(?:’s|'s| is| are) (?:a|the|our) (?:full |complete |quick )?"
    r"(?:list|guide|breakdown|rundown|timeline|roundup)\b|"
    r"^for (?:our |the )?(?:latest |full |live |more |complete )+(?:coverage|updates)\b|"
    r"\bsee (?:our|the) (?:live )?(?:updates|coverage)\b",
    re.IGNORECASE,
)
# A roundup's headline lists its topics and states none of them: "Highland Park shooting,
# Ukraine, Wimbledon: 5 things to know ...", "3 takeaways from the hearing".
_ROUNDUP = re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})\s+(?:things|takeaways)\b", re.IGNORECASE)
# A sentence or headline cut short, by a search engine or a feed's summary ("... too small to …").
_CUT_SHORT = re.compile(r"(?:\.\.\.|…)[”’\"')\]]*$")


def asks_for_the_news(question: str) -> bool:
    """A what-happened question made only of time and news words ("What happened today?")."""
    words = re.findall(r"[a-z']+", question.casefold().replace("’", "'"))
    return (
        bool(words) and asks_what_happened(question) and all(_GENERIC.fullmatch(w) for w in words)
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
        headline = headline_statement(" ".join(hit.title.split()))
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


def repeats(headline: str, parts: list[str]) -> bool:
    """The answer already says what the headline says ("NFL star Rob Gronkowski announces his
    retirement" after "... Rob Gronkowski ... announced his retirement Tuesday ...")."""
    return coverage(set(terms(headline)), " ".join(parts)) >= REPEATED_HEADLINE


TOPIC_WORDS = 6
_TRAILING_QUESTION = re.compile(r"(?:(?<=[.!])|\s*[:;|]|\s+[–—-])\s+[^.!?:;|–—]+\?\s*$")


def headline_statement(title: str) -> str:
    """The part of a headline that states the news, or "" when none does.

    A teaser's tail goes ("Sri Lanka is in chaos and its president has fled. Here's what we
    know" -> its first sentence), as does a search engine's cut ("Biden declares the Covid
    pandemic over. People are acting like it ..." -> its first sentence) and a closing
    question (below). A headline cut mid-sentence states half the news ("FBI search of
    Mar-a-Lago came after suspicions of withheld ...") and is left out.
    """
    if roundup(title):  # its topics, cut from "5 things to know", read as "... Wimbledon: 5"
        return ""
    # A question teases and states nothing ("When is Eid al-Adha 2022 in the USA? How the
    # holiday is celebrated"); one closing a statement goes ("Gas prices national average is
    # under $4. Why is cost falling?" -> its first sentence; "King Charles III's reign
    # begins: What kind of monarch will he be?" -> before the colon).
    title = _TRAILING_QUESTION.sub("", title)
    if "?" in title:
        return ""
    at = signpost_at(title)
    if at is not None:
        title = title[:at].rstrip(" :;,.-–—")
        # A few words before the signpost name the topic and state nothing: "Uvalde Texas
        # school shooting" (from "...: What we know about ...") had answered "Who died?".
        if len(title.split()) < TOPIC_WORDS:
            return ""
    if cut_short(title):
        spans = sentence_spans(title)
        whole = title[: spans[-2].end].strip() if len(spans) > 1 else ""
        if len(whole.split()) >= 4:
            title = whole
    if len(title.split()) < 4:
        return ""
    if cut_short(title):  # the digest states news: a cut headline states half of it
        return ""
    return title


def signpost_at(text: str) -> int | None:
    """Where the text stops stating news and starts pointing at it, if it does."""
    match = _SIGNPOST.search(text)
    return match.start() if match else None


def roundup(title: str) -> bool:
    return bool(_ROUNDUP.search(title))


def cut_short(text: str) -> bool:
    return bool(_CUT_SHORT.search(text.rstrip()))
