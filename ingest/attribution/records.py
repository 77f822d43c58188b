"""The attribution records: one per speaker and sentence, plus the article's credit line.

Scanning a sentence can find the same speaker twice ('"...," Rubio said, adding "..."');
one record per speaker and sentence keeps the answer from repeating itself, and the quoted
form is kept because it is the speaker's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.chunker import Span
from ingest.credits import credited


@dataclass
class Found:
    """An attribution while the article is scanned; `sentence` is its sentence's index."""

    speaker: str
    cue: str
    statement: str
    start: int
    end: int
    sentence: int
    quoted: bool
    # A thing tweeted or written, or an act announced ("Musk tweeted a poll ..."): no
    # statement, but it names the speaker in full for the surnames after it ("Lesko tweeted
    # that ...").
    thing: bool = False


def merge_same_sentence(found: list[Found]) -> list[Found]:
    """One speaker, one sentence, one attribution: the quoted form wins."""
    merged: list[Found] = []
    for item in found:
        twin = next(
            (m for m in merged if m.sentence == item.sentence and m.speaker == item.speaker), None
        )
        if twin is None:
            merged.append(item)
        elif item.quoted and not twin.quoted:
            twin.statement, twin.quoted, twin.end = item.statement, True, item.end
            twin.thing = False  # "tweeted a photo of Lynn, writing, “She was ...”"
    return merged


def credit_records(text: str, sentences: list[Span]) -> list[Found]:
    """The reporters a credit line names ("contributions from AP reporters A and B")."""
    credit = credited(text)
    if not credit:
        return []
    org, names, start, end = credit
    line = _sentence_at(text, sentences, start)
    records = []
    for name in names:
        who = f"{org} reporter {name}" if org else name
        records.append(Found(who, "contributed reporting", line, start, end, -1, False))
    return records


def _sentence_at(text: str, sentences: list[Span], pos: int) -> str:
    for s in sentences:
        if s.start <= pos < s.end:
            return text[s.start : s.end]
    return ""
