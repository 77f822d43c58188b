"""Greetings, thanks, "ok", "what can you do?" and "what time is it?": messages that are no
question about the news.

In a Discord channel people greet the bot, thank it and ask what it is. Searched as news,
"hello" had been answered "Hello, quiet, suburban Windsor Home Park." (a 2018 royal story)
and "thanks!" with three quotations thanking Roger Federer. A message that is nothing but
such words gets a short reply of its own instead, from the CLI and the bot alike. Only the
whole message counts: "Hello Kitty recall?" or "thanks to what did gas prices fall?" are
questions and are searched.
"""

from __future__ import annotations

import re

GREETING_REPLY = (
    "Hi! Ask me a question about the news I have read, and I'll answer from the articles, "
    "citing each one: for example “What happened this week?” or “What did the minister say "
    "about the strike?”."
)
THANKS_REPLY = "You're welcome!"
ACKNOWLEDGED_REPLY = "👍"
HELP_REPLY = (
    "I answer questions about the news articles I have read: I quote the sentences that answer "
    "and cite each article (outlet, date, link), and I say so when my news doesn't cover "
    "something. Ask, for example, “Who confirmed the casualties?”, “What did the minister say "
    "about the strike?” or “What happened this week?”."
)
CLOCK_REPLY = (
    "I can't tell the time or the date: I only know the news I have read. Ask me about it, "
    "for example “What happened this week?”."
)

_NAME = r"(?:\s+(?:news)?bot|\s+there|\s+all|\s+everyone|\s+folks)?"
_GREETING = re.compile(
    rf"(?:hi|hello|hey|heya|hiya|howdy|yo|greetings|hallo|good (?:morning|afternoon|evening|day)"
    rf"|gm|sup|what(?:'s| is) up|wassup){_NAME}",
)
_THANKS = re.compile(
    rf"(?:(?:ok(?:ay)?|great|cool|nice|perfect|awesome|thanks again|got it)\s*,?\s*)?"
    rf"(?:thanks?|thank you|thank u|thx|ty|tysm|cheers|much appreciated|appreciate it)"
    rf"(?:\s+(?:a lot|so much|very much|again|for (?:the|your) (?:help|answer)))?{_NAME}",
)
_ACKNOWLEDGEMENT = re.compile(r"(?:ok(?:ay)?|k|cool|nice|great|got it|perfect|awesome|lol|haha)")
_HELP = re.compile(
    r"(?:help|commands|what can you do|what do you do|who are you|what are you|"
    r"how do you work|how does (?:the )?(?:news)?bot work|how do i use (?:you|this bot|the bot)|"
    r"what can i ask(?: you)?|what (?:news|articles) do you (?:have|know))",
)
# "what time is it" had been answered with the time polls closed in Georgia on election day.
_CLOCK = re.compile(
    r"(?:what(?:'s| is) the (?:time|date)(?: today| now| right now)?|what time is it(?: now)?|"
    r"what day is (?:it|today)|what(?:'s| is) today(?:'s date)?|what(?:'s| is) the day today)"
)
_TRIM = re.compile(r"[\s!?.,:;~*_()\[\]'\"“”’]+$|^[\s!?.,:;~*_()\[\]'\"“”’]+")
_EMOJI = re.compile(r"<a?:\w+:\d+>|:[\w+-]+:|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F]")


def reply_to(message: str) -> str | None:
    """The reply to a message that is only a greeting, thanks or a request for help; None
    for anything else, which is searched as a question."""
    text = _EMOJI.sub(" ", message.casefold().replace("’", "'"))
    text = _TRIM.sub("", " ".join(text.split()))
    if _HELP.fullmatch(text) or (not text and "?" in message):  # "??": puzzled
        return HELP_REPLY
    if _CLOCK.fullmatch(text):
        return CLOCK_REPLY
    if _THANKS.fullmatch(text):
        return THANKS_REPLY
    if _GREETING.fullmatch(text):
        return GREETING_REPLY
    if _ACKNOWLEDGEMENT.fullmatch(text) or (message.strip() and not text):  # "ok", "👍"
        return ACKNOWLEDGED_REPLY
    return None
