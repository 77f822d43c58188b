"""Sentences of the top passages, with the cheap evidence of how well each meets the question.

Every sentence keeps where it came from (its passage's rank, its place in the passage), so a
candidate found in it can be traced back and cited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import bm25s
import numpy as np

from retrieval.question.analysis import QuestionAnalysis
from retrieval.reading.passages import Passage
from retrieval.text import sentence_spans, strip_dateline, terms

SENTENCE_FEATURES = (
    "passage_rank",
    "passage_lexical",
    "passage_overlap",
    "position",
    "is_title",
    "lexical",
    "lexical_rank",
    "overlap",
    "length",
    "dense",
    "dense_rank",
)


@dataclass
class Sentence:
    text: str
    passage: int  # rank of its passage (0 = best)
    position: int  # place in its passage; -1 for the article's title
    lexical: float = 0.0  # BM25 against the question, over this question's sentences
    lexical_rank: int = 0
    overlap: float = 0.0  # share of the question's key terms the sentence states
    age_days: float = -1.0  # days between publication and "as of" (-1 unknown)
    passage_lexical: float = 0.0  # its passage's BM25 against the question, over those read
    passage_overlap: float = 0.0  # share of the question's key terms its passage states
    speakers: tuple[tuple[str, str], ...] = ()  # its passage's (speaker, cue) attributions
    dense: float = 0.0  # cosine of its vector to the question's (0 when unknown)
    dense_rank: int = 0  # by dense, among this question's sentences
    score: float = 0.0  # the sentence model's
    rank: int = 0  # by score (0 = best)

    def features(self) -> list[float]:
        return [
            self.passage,
            self.passage_lexical,
            self.passage_overlap,
            self.position,
            float(self.position < 0),
            self.lexical,
            self.lexical_rank,
            self.overlap,
            len(self.text.split()),
            self.dense,
            self.dense_rank,
        ]


def split(passages: list[Passage], as_of_ts: int) -> list[Sentence]:
    """The passages' sentences in rank order; each article's title once, as a sentence.

    A sentence's age is counted from the moment the question is asked about ("as of"): news
    questions are about what is new then."""
    out: list[Sentence] = []
    seen_titles: set[str] = set()
    for rank, passage in enumerate(passages):
        age = (as_of_ts - passage.published_ts) / 86400.0 if passage.published_ts else -1.0
        if passage.title and passage.article not in seen_titles:
            seen_titles.add(passage.article)
            out.append(Sentence(passage.title, rank, -1, age_days=age, speakers=passage.speakers))
        for position, span in enumerate(sentence_spans(passage.text)):
            text = passage.text[span.start : span.end].strip()
            if position == 0:
                text = strip_dateline(text)
            if len(text) > 2:
                out.append(Sentence(text, rank, position, age_days=age, speakers=passage.speakers))
    return out


def score_lexical(
    question: QuestionAnalysis, sentences: list[Sentence], passages: list[Passage]
) -> None:
    """BM25 of each sentence, and of its passage, against the question's key terms, and the
    share of those terms each states: how well a passage matches tells a sentence of a
    passage about something else from one of the story asked about."""
    if not sentences:
        return
    lexical, overlap = _passage_scores(question, passages)
    for sentence in sentences:
        sentence.passage_lexical = lexical[sentence.passage]
        sentence.passage_overlap = overlap[sentence.passage]
    tokens = [terms(s.text) for s in sentences]
    keys = set(question.key_terms)
    for sentence, words in zip(sentences, tokens, strict=True):
        sentence.overlap = len(keys & set(words)) / len(keys) if keys else 0.0
    if not keys or not any(tokens):
        return
    bm25 = bm25s.BM25()
    bm25.index([t or ["_"] for t in tokens], show_progress=False)
    scores = bm25.get_scores(list(question.key_terms))
    top = float(scores.max()) or 1.0
    order = np.argsort(-scores, kind="stable")
    for rank, i in enumerate(order):
        sentences[i].lexical = float(scores[i]) / top
        sentences[i].lexical_rank = rank


def _passage_scores(
    question: QuestionAnalysis, passages: list[Passage]
) -> tuple[list[float], list[float]]:
    keys = set(question.key_terms)
    tokens = [terms(f"{p.title}\n{p.text}") for p in passages]
    overlap = [len(keys & set(t)) / len(keys) if keys else 0.0 for t in tokens]
    if not keys or not any(tokens):
        return [0.0] * len(passages), overlap
    bm25 = bm25s.BM25()
    bm25.index([t or ["_"] for t in tokens], show_progress=False)
    scores = bm25.get_scores(list(question.key_terms))
    top = float(scores.max()) or 1.0
    return [float(x) / top for x in scores], overlap


@dataclass(frozen=True)
class Meaning:
    """The question's vector, and where the sentences' vectors come from (kept from ingest)."""

    question: np.ndarray
    vectors: Callable[[list[str]], np.ndarray]

    def score(self, sentences: list[Sentence]) -> None:
        if sentences:
            score_dense(sentences, self.question, self.vectors([s.text for s in sentences]))


def score_dense(sentences: list[Sentence], question: np.ndarray, vectors: np.ndarray) -> None:
    """Each sentence's cosine to the question, and its rank by it: a sentence can say what the
    question asks in other words than the question's, which no term count sees."""
    if not sentences:
        return
    scores = np.asarray(vectors, dtype=np.float32) @ np.asarray(question, dtype=np.float32)
    order = np.argsort(-scores, kind="stable")
    for rank, i in enumerate(order):
        sentences[i].dense = float(scores[i])
        sentences[i].dense_rank = rank
