"""Tokenising for the lexical side: one definition shared by the BM25 index and the reranker."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import Stemmer
import syntok.segmenter as syntok

_WORD = re.compile(r"(?u)\b\w\w+\b")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "she",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "did",
        "do",
        "does",
        "done",
        "said",
        "says",
        "say",
        "about",
        "after",
        "before",
        "than",
        "then",
        "there",
        "these",
        "those",
        "into",
        "over",
        "under",
        "between",
        "during",
        "also",
        "but",
        "not",
        "no",
        "yes",
        "if",
        "so",
        "can",
        "could",
        "would",
        "should",
        "may",
        "might",
        "been",
        "being",
        "i",
        "you",
        "we",
        "our",
        "us",
        "me",
        "my",
        "your",
        "recently",
        "week",
        "year",
        "month",
        "announced",
        "according",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words (stopwords dropped)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    return _stemmer().stemWords(words)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


# Titles that precede a name in English news copy and that syntok's (largely German and
# Spanish) abbreviation list lacks: without them "Lt. Nyota Uhura" and "Democratic Rep. Tim
# Ryan" were cut in two, and an answer quoted "... her portrayal of Lt." as a sentence.
_NAME_TITLES = frozenset(
    """Lt Lieut Rep Reps Sens Gov Govs Sgt Maj Rev Det Supt Atty Amb Cmdr Cpl Pvt Pfc Spc
    Ens Msgt Hon Pres Insp Msgr Gens""".split()
)
_ENDS_WITH_TITLE = re.compile(r"(?:^|[\s(\"“‘'])(?:" + "|".join(sorted(_NAME_TITLES)) + r")\.$")
_FIRST_WORD = re.compile(r"[A-Z][\w'’-]*")


def sentence_spans(text: str) -> list[Span]:
    """Character spans of the sentences of `text`, in order; paragraphs never merge.

    syntok handles abbreviations, initials and quotes, and is about six times faster than
    pysbd here, which matters because ingest must keep pace with the encoder. A sentence that
    ends in a name title ("Rep.") and is followed by a capitalised word is rejoined with it.
    """
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+", text):
        base = para.start()
        for paragraph in syntok.analyze(para.group(0)):
            for sentence in paragraph:
                if not sentence:
                    continue
                last = sentence[-1]
                span = Span(base + sentence[0].offset, base + last.offset + len(last.value))
                if spans and spans[-1].end > base and _title_then_name(text, spans[-1], span):
                    span = Span(spans.pop().start, span.end)
                spans.append(span)
    return spans


def _title_then_name(text: str, before: Span, after: Span) -> bool:
    """True when `before` ends in a name title and `after` opens with a capitalised non-stopword."""
    tail = text[max(before.start, before.end - 8) : before.end]  # the longest title fits
    if not tail.endswith(".") or not _ENDS_WITH_TITLE.search(tail):
        return False
    word = _FIRST_WORD.match(text, after.start)
    return word is not None and word.group(0).lower() not in STOPWORDS


# The article's dateline, not the statement's: "(CNN) The Supreme Court overturned ...",
# "WIMBLEDON, England (AP) — With Serena Williams ...", "DETROIT -- Fiat Chrysler ...";
# not a name of three capitals in a list ("KFC - 218.95 seconds", "DMX – 9 April ...").
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’ -]+(?:,\s+[A-Z][\w.'’ ]*?)?\s*)?\((?:CNN|AP|Reuters|AFP)[^)]{0,20}\)"
    r"\s*(?:[–—-]{1,2}\s*)?|"
    r"^(?![A-Z]{2,3}\s+[–—-])[A-Z]{3}[A-Z.'’ ]*"
    r"(?:,\s+[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s+[–—-]{1,2}\s+"
)


def strip_dateline(text: str) -> str:
    """The text without the dateline that opens it. One rule for ingest, which reads who
    said what after it, and for the answer, which quotes the statement without it."""
    return _DATELINE.sub("", text)
