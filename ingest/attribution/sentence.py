"""Finding the attributions in one sentence, one form of speech cue at a time.

The forms are tried in a fixed order: "according to X", then the passive ("confirmed by
X"), whose cue word is reserved so the cue verbs tried next do not claim it again, then the
cue verbs ("X said ..."), and last a participle (", saying ..."), because it borrows the
speaker found before it in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.attribution.cues import (
    ACCORDING_RE,
    ADVERBIAL,
    CUE_RE,
    LEAD_IN,
    PARTICIPLE_RE,
    PASSIVE_RE,
    THING_AFTER,
)
from ingest.attribution.phrases import np_left, np_right, subject
from ingest.attribution.quotes import (
    ends_with_quote,
    own_words,
    quote_after,
    quote_before,
    tidy,
    words_inside,
)
from ingest.attribution.records import Found
from ingest.attribution.speakers import unpronoun
from ingest.chunker import Span
from retrieval.text import strip_dateline

Quote = tuple[int, int]


@dataclass
class _Scan:
    """One sentence being scanned, with what the finders have found in it so far."""

    text: str
    sent: Span
    index: int
    quotes: list[Quote]
    last_person: str
    out: list[Found] = field(default_factory=list)
    # Spans from a passive form's start to its speaker's end, which cue verbs may not reuse.
    taken: list[tuple[int, int]] = field(default_factory=list)

    @property
    def s_text(self) -> str:
        return self.text[self.sent.start : self.sent.end]

    def inside_quote(self, pos: int) -> bool:
        return any(a < pos < b for a, b in self.quotes)

    def add(
        self,
        speaker: str,
        cue: str,
        statement: str,
        start: int,
        end: int,
        quoted: bool,
        reserve: int | None = None,
    ) -> Found | None:
        """Record an attribution if it has both a speaker and a statement."""
        speaker = speaker.strip(" ,")
        statement = tidy(statement)
        if not (speaker and statement):
            return None
        found = Found(speaker, cue, statement, start, end, self.index, quoted)
        self.out.append(found)
        if reserve is not None:  # the cue word of a passive/according form
            self.taken.append((start, reserve))
        return found


def sentence_attributions(
    text: str, sent: Span, si: int, quotes: list[Quote], last_person: str
) -> list[Found]:
    """The attributions in sentence number si, in the order the forms are tried."""
    scan = _Scan(text, sent, si, quotes, last_person)
    s_text = scan.s_text
    for m in ACCORDING_RE.finditer(s_text):
        _according_to(scan, m)
    for m in PASSIVE_RE.finditer(s_text):
        _passive(scan, m)
    for m in CUE_RE.finditer(s_text):
        _cue_verb(scan, m)
    for m in PARTICIPLE_RE.finditer(s_text):
        _participle(scan, m)
    return scan.out


def _according_to(scan: _Scan, m: re.Match[str]) -> None:
    """ "according to X": X's quotation after it, or else the rest of the sentence."""
    text, sent = scan.text, scan.sent
    pos = sent.start + m.end()
    lead_in = LEAD_IN.match(text, pos)
    if lead_in:
        pos = lead_in.end()
    if scan.inside_quote(pos):
        return
    speaker, np_end = np_right(text, pos, sent.end)
    if not speaker:
        return
    start = sent.start + m.start()
    quote = quote_after(text, np_end, scan.quotes)
    if quote:
        scan.add(speaker, "according to", words_inside(text, quote), start, quote[1], True)
    else:
        rest = (scan.s_text[: m.start()] + " " + text[np_end : sent.end]).strip(" ,.")
        scan.add(speaker, "according to", rest, start, np_end, False)


def _passive(scan: _Scan, m: re.Match[str]) -> None:
    """ "..., as confirmed by X": the statement is what comes before the cue."""
    text, sent = scan.text, scan.sent
    pos = sent.start + m.end()
    if scan.inside_quote(pos):
        return
    speaker, np_end = np_right(text, pos, sent.end)
    if speaker:
        before = strip_dateline(scan.s_text[: m.start()].strip())
        scan.add(speaker, m.group("cue"), before, sent.start + m.start(), np_end, False, np_end)


def _cue_verb(scan: _Scan, m: re.Match[str]) -> None:
    """ "X said ...", '"...," X said', '"...," said X', 'X said: "..."'."""
    text, sent = scan.text, scan.sent
    start, end = sent.start + m.start(), sent.start + m.end()
    if _cue_taken(scan, m, start, end):
        return
    cue = m.group("cue")
    speaker, speaker_start, before = _cue_speaker(scan, start, end)
    if not speaker:
        return
    after = quote_after(text, end, scan.quotes)
    if before:
        scan.add(speaker, cue, words_inside(text, before), before[0], end, True)
    elif after:
        scan.add(speaker, cue, words_inside(text, after), start, after[1], True)
    else:
        _reported_speech(scan, speaker, cue, speaker_start, start, end)


def _cue_taken(scan: _Scan, m: re.Match[str], start: int, end: int) -> bool:
    """A cue inside a quotation, used by a passive form, or itself passive ("said by")."""
    if scan.inside_quote(start) or any(a <= start < b for a, b in scan.taken):
        return True
    return scan.text[end : end + 4] == " by " or scan.s_text[m.end() : m.end() + 4] == " by "


def _cue_speaker(scan: _Scan, start: int, end: int) -> tuple[str, int, Quote | None]:
    """The speaker of the cue at start..end, where their phrase starts, and a quotation
    closing just before them."""
    text, sent = scan.text, scan.sent
    speaker, np_start = np_left(text, start, sent.start)
    speaker = unpronoun(speaker, scan.last_person)
    paragraph = text.rfind("\n", 0, sent.start) + 1
    before = quote_before(text, np_start if speaker else start, scan.quotes, paragraph)
    if not speaker and (before or ends_with_quote(text, sent.start, start)):
        # Inverted order after a quote: '"...," said the minister.'
        speaker, _ = np_right(text, end, sent.end)
    return speaker, np_start, before


def _reported_speech(
    scan: _Scan, speaker: str, cue: str, speaker_start: int, start: int, end: int
) -> None:
    """A statement without quotation marks: the clause after the cue, or before the speaker."""
    clause = _reported_clause(scan, speaker_start, end)
    found = scan.add(speaker, cue, own_words(clause), start, scan.sent.end, False)
    thing = THING_AFTER.get(cue)
    if found is not None and thing is not None and thing.match(clause):
        found.thing = True  # "Musk tweeted a poll on Sunday ...": no words of his


def _reported_clause(scan: _Scan, speaker_start: int, end: int) -> str:
    text, sent = scan.text, scan.sent
    clause = re.sub(r"^\s*(?:(?:that|,)\s*)?", "", text[end : sent.end])
    # "said on Monday that taxes would rise": the statement starts after "that".
    clause = re.sub(r"^(?:on|in|at|last|this|late|early)\b[^,“\"]{0,40}?\bthat\s+", "", clause)
    inverted = re.search(r",\s*$", text[sent.start : speaker_start])
    if speaker_start > sent.start and (
        len(clause.split()) < 2 or (inverted and ADVERBIAL.match(clause))
    ):
        # "Turnout was high, officials said.": the statement precedes the speaker.
        clause = strip_dateline(text[sent.start : speaker_start].strip())
    return clause


def _participle(scan: _Scan, m: re.Match[str]) -> None:
    """'..., saying "..."': the sentence's speaker so far, with the quotation that follows."""
    text, sent = scan.text, scan.sent
    start, end = sent.start + m.start("cue"), sent.start + m.end()
    if scan.inside_quote(start):
        return
    speaker = scan.out[-1].speaker if scan.out else subject(text, sent)
    speaker = unpronoun(speaker, scan.last_person)
    quote = quote_after(text, end, scan.quotes)
    if speaker and quote:
        scan.add(speaker, m.group("cue"), words_inside(text, quote), start, quote[1], True)
