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
    AGENT = "agent"
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
# "Who shot Shinzo Abe?", "Who was behind the attack?": the doer of a violent or criminal act,
# whom reports name as a suspect ("The suspect, Tetsuya Yamagami, ... has admitted to shooting
# Abe"), while the sentences matching the question best say only that the victim "died after
# being shot".
_AGENT_Q = re.compile(
    r"^\s*who\s+(?:allegedly\s+|reportedly\s+)?(?:shot|attacked|killed|stabbed|murdered|"
    r"assassinated|kidnapped|abducted|assaulted|robbed|hacked|bombed|punched|slapped|poisoned|"
    r"opened fire|carried out|(?:is|was|were) (?:behind|responsible))\b",
    re.IGNORECASE,
)
# Words naming the doer when a name follows them ("the suspect, Tetsuya Yamagami",
# "identified 42-year-old David DePape as", "Police arrested Tetsuya Yamagami") or comes before
# them ("Hadi Matar, 24, is accused", "Ramos allegedly sent", "ISIS-K claimed responsibility").
_DOER_BEFORE_NAME = re.compile(
    r"suspect(?:s|ed)?|gunm[ae]n|shooters?|attackers?|assailants?|perpetrators?|identified|"
    r"arrested|charged",
    re.IGNORECASE,
)
_DOER_AFTER_NAME = re.compile(
    r"accused|charged|arrested|allegedly|pleaded|responsibility|custody|suspected",
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
    r"(?:19|20)\d\d|spring|summer|fall|autumn|winter)\b|"
    # AP style abbreviates months before a day: "Nov. 8", "Feb. 24", "Sept. 30".
    r"\b(?:jan|feb|mar|apr|aug|sept?|oct|nov|dec)\.(?=\s*\d)",
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


# "Who is Liz Truss?" names its person and asks what she is: a description, not a new name.
_DESCRIBE_Q = re.compile(r"^\s*(?i:who)\s+(?i:is|was|are|were)\s+(?!the\b|a\b|an\b)[A-Z]")


def kind_of(question: str) -> AnswerKind:
    if _DESCRIBE_Q.search(question):
        return AnswerKind.OTHER
    if _NUMBER_Q.search(question):
        return AnswerKind.NUMBER
    if _TIME_Q.search(question):
        return AnswerKind.TIME
    if _REASON_Q.search(question) and not _EVENT_Q.search(question):
        return AnswerKind.REASON
    if _AGENT_Q.search(question):
        return AnswerKind.AGENT
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
        return _new(counts(sentence, question), question)
    if kind is AnswerKind.TIME:
        return _new([m.group(0) for m in _TIME.finditer(sentence)], question)
    if kind is AnswerKind.NAME:
        names = [m.group(0) for m in _NAME.finditer(sentence) if headline or m.start() > 0]
        return _new(names, question)
    if kind is AnswerKind.REASON:
        return _new(_REASON.findall(sentence), question)
    if kind is AnswerKind.EVENT:
        return quoted_share(sentence) <= 0.5
    if kind is AnswerKind.AGENT:
        return names_doer(sentence, question)
    return True


# ", who was detained at the scene," between a name and what is said of it.
_ASIDE = re.compile(r",\s+(?:who|whom|which)\b[^,]*,")
_WORD_TOKEN = re.compile(r"\S+")
_PUNCTUATION = ",.;:!?()“”\"'’"
# Words between a name and the cue naming its bearer the doer: "the suspect, Tetsuya
# Yamagami", "Hadi Matar, 24, is accused", "identified 42-year-old David DePape as".
_DOER_GAP = 3
# "... after the shooter, said Col. Steven McCraw": the name is the source's, not the doer's.
_CREDIT = re.compile(r"said|says?|told|tells?|according|wrote|added", re.IGNORECASE)
_PLEA = {"guilty", "not", "no"}
# "walked into Robb Elementary School", "a gunman at a Walmart", "arrested a Nara resident".
_PLACE_BEFORE = re.compile(r"at|in|into|from|near|on|to|a|an", re.IGNORECASE)


def names_doer(sentence: str, question: str) -> bool:
    """Whether the sentence names someone the question does not as the suspect or doer.

    A cue alone is not enough: "... played dead to avoid being targeted by the shooter"
    names a survivor, "The attacker threatened Paul Pelosi ..., Hammill said" a spokesman,
    "the suspected assailant asked “where’s Nancy”" the one he asked for, "a gunman at a
    Walmart in El Paso" a place.
    """
    raw = _WORD_TOKEN.findall(_ASIDE.sub(",", sentence))
    words = [w.strip(_PUNCTUATION) for w in raw]
    asked = question.casefold()
    quoted = _quoted_words(raw)
    named = [
        n
        for n, word in enumerate(words)
        if _NAME.match(word)
        and not quoted[n]
        and not _TIME.fullmatch(word)
        and _POSSESSIVE.sub("", word).casefold() not in asked
        and (_mid_sentence(raw, n) or raw[n].endswith(",") or _next_is_name(words, n))
        and not _place(words, n)
        and not (n + 1 < len(words) and _CREDIT.fullmatch(words[n + 1]))
    ]

    def near(c: int, n: int) -> bool:
        between = words[min(c, n) + 1 : max(c, n)]
        return len(between) <= _DOER_GAP and not any(_CREDIT.fullmatch(w) for w in between)

    for c, word in enumerate(words):
        if _DOER_BEFORE_NAME.fullmatch(word) and any(n > c and near(c, n) for n in named):
            return True
        pleaded = word.casefold() == "pleaded"  # guilty or not, not "pleaded with Biden"
        if pleaded and (c + 1 == len(words) or words[c + 1].casefold() not in _PLEA):
            continue
        if _DOER_AFTER_NAME.fullmatch(word) and any(n < c and near(c, n) for n in named):
            return True
    return False


def _place(words: list[str], n: int) -> bool:
    """The name is a place: "walked into Robb Elementary School", "a gunman at a Walmart"."""
    while n > 0 and _NAME.match(words[n - 1]):  # to the first word of "Robb Elementary School"
        n -= 1
    return n > 0 and bool(_PLACE_BEFORE.fullmatch(words[n - 1]))


def _quoted_words(words: list[str]) -> list[bool]:
    """Which words are (at least partly) inside quotation marks."""
    inside, out = False, []
    for word in words:
        was = inside
        for mark in (c for c in word if c in '“”"'):
            inside = mark == "“" or (mark == '"' and not inside)
        out.append(was or inside or word[:1] in '“"')
    return out


def _mid_sentence(words: list[str], n: int) -> bool:
    """A sentence's first word is capitalised whatever it is."""
    return n > 0 and words[n - 1][-1] not in ".!?"


def _next_is_name(words: list[str], n: int) -> bool:
    """A sentence's first word is a name when another follows it ("Hadi Matar, 24, ...")."""
    return n + 1 < len(words) and bool(_NAME.match(words[n + 1]))


# "the 18-year-old", "aged 71": an age, not the count a "how many" question asks for.
_AGE = re.compile(r"\b\d+-year-old\b|\bage[sd]? \d+\b|\b\d+ years? old\b", re.IGNORECASE)
# "How many people died ...?" asks for the dead, not for "dozens of people [who] suffered
# cardiac arrest": a toll is a number told with the words for its dead or its hurt.
_TOLL_WORDS = {
    "dead": re.compile(
        r"\b(?:di(?:e|ed|es)|dead|deaths?|deadl\w+|kill\w*|lives|toll|fatal\w*|perish\w*|bodies)\b",
        re.I,
    ),
    "hurt": re.compile(r"\b(?:injur\w*|wound\w*|hurt|hospitali[sz]ed)\b", re.I),
}
# "Through Sunday, the number of dead climbed to 154, with dozens more injured": a toll is
# told in its clause ("1,100" has no space after its comma).
_CLAUSE = re.compile(r"[,;:]\s|\s[–—(]|[)]")


def counts(sentence: str, question: str) -> list[str]:
    """The numbers in the sentence that can answer a "how many" question: not ages (unless
    it asks how old), and for a toll ("How many people died/were injured ...?") only those
    told in the same clause as the dead or the hurt ("the number of dead climbed to 154",
    "where eleven passengers and a crew member were killed")."""
    if not re.search(r"\bhow old\b|\bage\b", question, re.IGNORECASE):
        sentence = _AGE.sub(" ", sentence)
    tolls = [w for w in _TOLL_WORDS.values() if w.search(question)]
    if not tolls:
        return _NUMBER.findall(sentence)
    return [
        number
        for clause in _CLAUSE.split(sentence)
        if any(t.search(clause) for t in tolls)
        for number in _NUMBER.findall(clause)
    ]


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
