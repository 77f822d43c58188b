"""What kind of answer a question wants, and whether a sentence offers one.

A sentence that matches every word of "Which retailer announced it is slashing prices?" but
names no retailer is an echo, not an answer: on RealTimeQA the echo (sometimes the question
itself, quoted in an article) often scored highest. So the sentence scorer asks two cheap
questions of each candidate: does it add something the question did not say, and is that
something of the wanted kind (a number for "how many", a name for "which"/"who", a time for
"when", a cause for "why", the news stated rather than someone's quoted words for "what
happened")? Rules, not a model: they run per sentence at question time on two cores.
"""

from __future__ import annotations

import re
from enum import Enum

from retrieval.text import terms


class AnswerKind(Enum):
    NUMBER = "number"
    TIME = "time"
    NAME = "name"
    REASON = "reason"
    EVENT = "event"
    OTHER = "other"


_NUMBER_Q = re.compile(
    r"\bhow (?:many|much|long|old|far|big|large|tall|high|fast)\b|"
    r"\bwhat (?:percentage|percent|share|number|amount|price|age|size)\b",
    re.IGNORECASE,
)
_TIME_Q = re.compile(
    r"^\s*when\b|\bhow soon\b|\bwhat (?:year|day|date|month|time)\b", re.IGNORECASE
)
_REASON_Q = re.compile(
    r"^\s*why\b|\bhow come\b|\bwhat (?:caused|led to|prompted|triggered|sparked)\b|"
    r"\bwhat (?:is|was|'s|’s) behind\b|\breasons? (?:for|why|behind)\b",
    re.IGNORECASE,
)
# "What happened to Salman Rushdie?", "What's going on in Iran?": the news itself is asked for.
_EVENT_Q = re.compile(
    r"\bwhat(?:’s|'s| is| was| has)? (?:been )?(?:happen\w*|going on)\b|"
    r"\bwhat(?:’s|'s| is) (?:the latest|new)\b|\btell me (?:about|more)\b|"
    r"\bany (?:news|updates?)\b",
    re.IGNORECASE,
)
# "Did Biden cancel student debt?", "Is inflation going down?": answered by a statement.
_YES_NO_Q = re.compile(
    r"\s*(?:did|does|do|is|are|was|were|will|would|has|have|had|can|could|should)\b",
    re.IGNORECASE,
)
_NAME_Q = re.compile(
    r"\b(?:which|who|whom|whose|where)\b|"
    r"\bwhat (?:is|was) (?:his|her|its|their|the) name\b|"
    r"\bwhat (?:country|city|state|company|team|nation|group|organization|party|brand)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|trillion|"
    r"dozen|dozens|half|double|triple"
)
_NUMBER = re.compile(rf"\d[\d,.]*|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
_TIME = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|today|tomorrow|"
    r"tonight|yesterday|next (?:week|month|year)|later this (?:week|month|year)|"
    r"(?:19|20)\d\d|spring|summer|fall|autumn|winter)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][\w’'.-]*[A-Za-z]")
# Words that give a cause: "resigned after ...", "fined over children's data", "citing".
_REASON = re.compile(
    r"\b(?:because|after|amid|over|due to|owing to|following|thanks to|as a result|in response"
    r"|citing|cited|blam\w*|caus\w*|reasons?|so that|in order to|led to|prompted|sparked|"
    r"triggered|driven by|fueled by|fuelled by|since|why)\b",
    re.IGNORECASE,
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
    r"^(?:correction|clarification|editor(?:’|')?s note)\s*:",
    re.IGNORECASE,
)
# A roundup's headline lists its topics and states none of them: "Highland Park shooting,
# Ukraine, Wimbledon: 5 things to know ...", "3 takeaways from the hearing".
_ROUNDUP = re.compile(rf"\b(?:\d+|{_NUMBER_WORDS})\s+(?:things|takeaways)\b", re.IGNORECASE)
# A sentence or headline cut short, by a search engine or a feed's summary ("... too small to …").
_CUT_SHORT = re.compile(r"(?:\.\.\.|…)[”’\"')\]]*$")


# "Who is Liz Truss?" names its person and asks what she is: a description, not a new name.
_DESCRIBE_Q = re.compile(r"^\s*(?i:who)\s+(?i:is|was|are|were)\s+(?!the\b|a\b|an\b)[A-Z]")


def kind_of(question: str) -> AnswerKind:
    if _DESCRIBE_Q.search(question):
        return AnswerKind.OTHER
    if _NUMBER_Q.search(question):
        return AnswerKind.NUMBER
    if _TIME_Q.search(question):
        return AnswerKind.TIME
    if _REASON_Q.search(question):
        return AnswerKind.REASON
    if _EVENT_Q.search(question):
        return AnswerKind.EVENT
    if _NAME_Q.search(question):
        return AnswerKind.NAME
    return AnswerKind.OTHER


def yes_no(question: str) -> bool:
    return bool(_YES_NO_Q.match(question))


_POSSESSIVE = re.compile(r"[’']s$")


def _new(matches: list[str], question: str) -> bool:
    """Whether any match is missing from the question ("France’s" is the question's "France")."""
    asked = question.casefold()
    return any(_POSSESSIVE.sub("", m).casefold() not in asked for m in matches)


def offers(sentence: str, question: str, kind: AnswerKind, headline: bool = False) -> bool:
    """Whether the sentence holds something of the wanted kind that the question lacks.

    A sentence's first word is capitalised whatever it is, so it does not count as a name; a
    headline's first word usually is its subject ("UPS: One of the biggest strikes ...").
    """
    if kind is AnswerKind.NUMBER:
        return _new(_NUMBER.findall(sentence), question)
    if kind is AnswerKind.TIME:
        return _new([m.group(0) for m in _TIME.finditer(sentence)], question)
    if kind is AnswerKind.NAME:
        names = [m.group(0) for m in _NAME.finditer(sentence) if headline or m.start() > 0]
        return _new(names, question)
    if kind is AnswerKind.REASON:
        return _new(_REASON.findall(sentence), question)
    if kind is AnswerKind.EVENT:
        return quoted_share(sentence) <= 0.5
    return True


def quoted_share(sentence: str) -> float:
    """How much of the sentence is someone's quoted words. A quotation running over several
    sentences leaves some without their opening mark (“... we need to re-commit ourselves to
    defending the values Salman has championed.”) or without their closing one."""
    marks = list(re.finditer(r"[“”\"]", sentence))
    if not marks:
        return 0.0
    inside = marks[0].group(0) == "”"  # closes a quotation opened in an earlier sentence
    quoted, since = 0, 0
    for mark in marks:
        if inside:
            quoted += mark.start() - since
        if mark.group(0) == "“":
            inside = True
        elif mark.group(0) == "”":
            inside = False
        else:
            inside = not inside
        since = mark.end()
    if inside:
        quoted += len(sentence) - since
    return quoted / max(len(sentence), 1)


def adds_nothing(sentence: str, question: str) -> bool:
    """The sentence's content words are all the question's: it restates, it does not answer."""
    said = set(terms(sentence))
    return not (said - set(terms(question)))


def signpost_at(text: str) -> int | None:
    """Where the text stops stating news and starts pointing at it, if it does."""
    match = _SIGNPOST.search(text)
    return match.start() if match else None


def roundup(title: str) -> bool:
    return bool(_ROUNDUP.search(title))


def cut_short(text: str) -> bool:
    return bool(_CUT_SHORT.search(text.rstrip()))
