"""Composition: the answer first, as a short phrase, then the verbatim sentences that support
it, each with who said it, the outlet and the date, and its citation; or a plain abstention.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from retrieval.answer.result import ABSTAIN_TEXT, Answer, distinct_articles
from retrieval.reading.scorer import ReadResult, support
from retrieval.search.hits import Hit

_CLOSEST = " The closest articles I have are listed below."
_QUOTES = "“”\"‘’'"


def abstention(question: str, hits: list[Hit], k: int, confidence: float) -> Answer:
    retrieved = distinct_articles(hits, k)
    text = ABSTAIN_TEXT + (_CLOSEST if retrieved else "")
    return Answer(question, text, True, [], retrieved, confidence)


def compose(
    question: str,
    hits: list[Hit],
    result: ReadResult,
    support_count: int,
    k: int,
    strategy: str = "answer",
) -> Answer:
    """The reply to `question` from the reader's `result` over `hits` (its passages, in the
    order the reader read them); `strategy` picks the second supporting sentence."""
    short = short_form(_written_form(result))
    cited: list[Hit] = []
    lines: list[str] = []
    records: list[dict] = []
    for sentence in support(result, max(1, support_count), strategy):
        hit = hits[sentence.passage]
        n = cite(cited, hit, headline=sentence.position < 0)
        speaker = _speaker_of(sentence.text, hit)
        # Verbatim: a sentence keeps its own full stop before its credit and citation.
        lines.append(f"{' '.join(sentence.text.split())} ({credit(hit, speaker)}) [{n}]")
        records.append(
            {"text": sentence.text, "passage_id": hit.passage_id, "n": n, "speaker": speaker}
        )
    text = f"**{short}** — " + " ".join(lines)
    answer = Answer(question, text, False, cited, distinct_articles(hits, k), result.confidence)
    answer.short_answer = short
    answer.support = records
    return answer


def _written_form(result: ReadResult) -> str:
    """The best candidate as written, with the "the" its noun phrase was read without ("the
    Cuban government"): the reply names the thing, not a bare noun."""
    candidate = result.ranked[0].candidate
    text = candidate.text
    for m in candidate.mentions:
        words = result.reading.parsed[m.sentence].words
        if m.label == "NP" and m.text == text and m.start > 0 and words[m.start - 1] == "the":
            return f"the {text}"
    return text


def short_form(text: str) -> str:
    """The candidate as a reply opens with it: no trailing comma or quote, first letter up."""
    text = " ".join(text.split()).strip(" ,;:" + _QUOTES)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def cite(cited: list[Hit], hit: Hit, headline: bool) -> int:
    """One citation number per article, carrying each passage quoted from it."""
    for n, known in enumerate(cited, start=1):
        if known.article_id == hit.article_id:
            merged = known.text if hit.text in known.text else f"{known.text}\n…\n{hit.text}"
            if headline and not merged.startswith(hit.title):
                merged = f"{hit.title}\n\n{merged}"
            cited[n - 1] = replace(known, text=merged)
            return n
    cited.append(replace(hit, text=f"{hit.title}\n\n{hit.text}") if headline else hit)
    return len(cited)


def _speaker_of(sentence: str, hit: Hit) -> str:
    """Who the article says spoke the sentence, when it is (part of) an attributed statement."""
    flat = " ".join(sentence.split()).strip(_QUOTES + " ")
    for attribution in hit.attributions:
        statement = " ".join(attribution.get("statement", "").split()).strip(_QUOTES + " ")
        if len(statement) < 20 or not flat:
            continue
        probe = min(len(flat), len(statement), 60)
        if statement[:probe] in flat or flat[:probe] in statement:
            return attribution.get("speaker", "")
    return ""


def credit(hit: Hit, speaker: str) -> str:
    bits = [speaker] if speaker else []
    if hit.publisher:
        bits.append(hit.publisher)
    if hit.published_ts:
        day = datetime.fromtimestamp(hit.published_ts, tz=UTC)
        bits.append(f"{day:%b} {day.day}, {day.year}")
    return ", ".join(bits) or "source"
