"""A question with its filters, and the cheap phrasing rules that fill them in."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from retrieval.schema import site_name

# "What did Rubio say?", "What did the Pope say?" (the speaker is tagged "the Pope").
_SAID = re.compile(
    r"\bwhat (?:did|does|has|have) (?:the )?(?P<who>(?:[A-Z][\w.'’-]*\s*)+?)"
    r"(?:'s\s+\w+\s+)?(?:say|said|tell|told|claim|announce|confirm|deny|state|think)\b"
)
_SAID_2 = re.compile(
    r"\b(?:did|does|has) (?:the )?(?P<who>(?:[A-Z][\w.'’-]*\s*)+?) (?:say|claim|confirm|deny)\b"
)
# "why is everyone talking about the queen?" asks what happened, in words not to search for.
CHATTER = r"why (?:is|are) (?:every(?:one|body)|people) (?:talking|posting|tweeting) about"
# "What happened to Salman Rushdie?", "What's going on in Iran?": the news itself is asked for.
_EVENT_Q = re.compile(
    r"\bwhat(?:’s|'s| is| was| has)? (?:been )?(?:happen\w*|going on)\b|"
    r"\bwhat(?:’s|'s| is) (?:the latest|new)\b|\btell me (?:about|more)\b|"
    r"\bany (?:news|updates?)\b|"
    # How a channel asks it: "what's up with Elon?", "why is everyone talking about the queen?"
    r"\bwhat(?:’s|'s| is) (?:up|the deal|the story) with\b|"
    rf"\b{CHATTER}\b",
    re.IGNORECASE,
)


def asks_what_happened(question: str) -> bool:
    """ "What happened to X?", "What's going on in Iran?", "any news about ...": the news
    itself is asked for."""
    return bool(_EVENT_Q.search(question))


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# "on Sunday", "early Thursday", "yesterday"; not "next Monday" (still to come) and not a day
# inside a name ("Easter Sunday", "the Sunday Times"): no capitalised word next to it.
_NAMED_DAY = re.compile(
    rf"(?<!\b[Nn]ext )(?<!\b[Cc]oming )"
    rf"\b(?P<day>(?i:{'|'.join(_WEEKDAYS)}|yesterday|today|tonight|last night))\b(?! [A-Z])"
)
_WORD_BEFORE = re.compile(r"(\S+)\s+$")
# "according to CNN", "as reported by the AP", "What did USA Today report about ...?"
_OUTLET = r"(?P<outlet>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})"
_ACCORDING_TO = re.compile(rf"\b(?i:according to|reported by)\s+(?:the\s+)?{_OUTLET}")
_DID_REPORT = re.compile(rf"\b(?i:did|does|has)\s+(?:the\s+)?{_OUTLET}\s+report\b")
_LATEST = re.compile(r"\b(?:latest|newest|most recent(?:ly)?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Query:
    """What the engine is asked; dates are inclusive, `as_of` is "now" for the question."""

    question: str
    k: int = 10
    since: date | None = None
    until: date | None = None
    source: str | None = None
    # Only these stored publisher names (exactly): a Discord server that answers from the
    # feeds it follows. None = every publisher; combined with `source` when both are given.
    publishers: tuple[str, ...] | None = None
    speaker: str | None = None
    as_of: datetime | None = None
    speaker_from_phrasing: bool = field(default=False, compare=False)
    # "according to CNN": the engine filters by it only when it names a stored publisher.
    outlet_from_phrasing: str | None = field(default=None, compare=False)
    # The previous question of a conversation ("Who confirmed the casualties?" before "and
    # what did Rubio say?"): it steers the search, while the answer answers `question`.
    context: str = ""

    @property
    def asked(self) -> str:
        """The question less the outlet it names, which is a filter, not what is asked about:
        "What did the AP report about the casualties?" is not about the AP; and less a
        channel's way of asking for the news ("why is everyone talking about the queen?"),
        whose words ("everyone", "talking") would be searched for."""
        question = _CHATTER.sub("What happened with ", self.question, count=1)
        if not self.outlet_from_phrasing:
            return question
        return " ".join(question.replace(self.outlet_from_phrasing, " ").split())

    @property
    def search_text(self) -> str:
        return f"{self.context}\n{self.asked}" if self.context else self.asked

    def with_phrasing(self) -> Query:
        """Fill the speaker filter from "What did Rubio say ..." and the outlet from
        "according to CNN" / "What did the AP report ...", when not given explicitly.
        Whether the outlet is one the store holds is for the engine to check."""
        update: dict[str, object] = {}
        said = not self.speaker and (_SAID.search(self.question) or _SAID_2.search(self.question))
        if said:
            update.update(speaker=said.group("who").strip(), speaker_from_phrasing=True)
        outlet = not self.source and (
            _ACCORDING_TO.search(self.question) or _DID_REPORT.search(self.question)
        )
        if outlet:
            update["outlet_from_phrasing"] = outlet.group("outlet").strip(" .’'")
        return replace(self, **update) if update else self

    @cached_property
    def wants_latest(self) -> bool:
        """ "What's the latest on the ferry strike?" asks for the newest report: recency then
        has no flat window (rerank.py), so among equal matches the newer article wins."""
        return bool(_LATEST.search(self.question))

    @cached_property
    def named_day(self) -> date | None:
        """The day the question says its news happened ("on Sunday", "yesterday"), as the
        latest such day on or before "as of"; None when it names no day.

        An article published before that day cannot report what happened on it, so recency
        counts less for it (rerank.py): "How many were without power Thursday?" had been
        answered from Wednesday's live blog.
        """
        match = next(
            (
                m
                for m in _NAMED_DAY.finditer(self.question)
                if not _in_a_name(self.question[: m.start()])
            ),
            None,
        )
        if not match:
            return None
        today = self.as_of_utc.date()
        day = match.group("day").casefold()
        if day in ("today", "tonight"):
            return today
        if day in ("yesterday", "last night"):
            return today - timedelta(days=1)
        return today - timedelta(days=(today.weekday() - _WEEKDAYS.index(day)) % 7)

    @property
    def as_of_utc(self) -> datetime:
        moment = self.as_of or datetime.now(UTC)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_CHATTER = re.compile(rf"^\s*{CHATTER}\s+", re.IGNORECASE)


def names_outlet(phrase: str, publisher: str) -> bool:
    """Whether "CNN", "the AP" or "USA Today" in a question names this stored publisher
    ("cnn.com", "Associated Press", "usatoday.com"): its words in a row, all of it run
    together, or its initials. Stricter than --source's substring match: "the White House"
    in "according to the White House" must not pick a publisher that merely contains "house"."""
    said, words = _outlet_words(phrase), _outlet_words(publisher)
    bare_said, bare = [w for w in said if w != "the"], [w for w in words if w != "the"]
    if not bare_said or not bare:
        return False
    if {"".join(said), "".join(bare_said)} & {"".join(words), "".join(bare)}:
        return True  # "USA Today" is usatoday.com, "The Week" theweek.co.uk, "Hill" The Hill
    if len(bare) > 1 and "".join(bare_said) == "".join(w[0] for w in bare):
        return True  # "AP"
    n = len(bare_said)
    return any(bare[i : i + n] == bare_said for i in range(len(bare) - n + 1))


def _outlet_words(name: str) -> list[str]:
    """ "The Riverside Courier (fictional)" -> [the, riverside, courier]; "cnn.com" -> [cnn]."""
    name = re.sub(r"\([^)]*\)", " ", name).strip()
    host = site_name(name)
    return [host] if host else re.findall(r"\w+", name.casefold())


def _in_a_name(before: str) -> bool:
    """Whether the day word continues a capitalised name ("Easter Sunday", "USA Today"); the
    question's first word is not one unless it is an acronym ("On Sunday, who ...")."""
    word = _WORD_BEFORE.search(before)
    if not word or not word.group(1)[:1].isupper():
        return False
    return bool(before[: word.start()].strip()) or word.group(1).isupper()  # "USA Today"


def day_start_ts(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def day_end_ts(day: date) -> int:
    return day_start_ts(day + timedelta(days=1)) - 1
