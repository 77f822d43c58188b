"""The reranking stage: cheap features over the fused candidates, no neural model needed.

Features (each in [0, 1]): dense similarity, normalised BM25, query-term coverage of the
passage and of its title, speaker match for who-said questions, and recency relative to the
question's "as of" date (now unless the question gives one). An article whose other passages
also match gets a small "support" bonus. News questions are about what is new as of their
date, so recency weighs heavily; an optional cross-encoder (RERANKER_MODEL) adds its own score
when configured. docs/evaluation.md gives the measurements behind the weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from retrieval.question.query import Query
from retrieval.schema import speaker_key
from retrieval.search.embedder import ModelLoadError
from retrieval.search.hits import Hit
from retrieval.text import terms


@dataclass(frozen=True)
class RerankWeights:
    dense: float = 1.0
    lexical: float = 0.35
    # Term coverage is recorded with each hit's features but does not rank: it favours
    # passages that repeat the question's words over those that answer it.
    coverage: float = 0.0
    title: float = 0.25
    speaker: float = 0.3
    # "This week's news": within a few days of "as of" every report counts as new.
    recency: float = 0.8
    rrf: float = 0.0
    # Share of an article's 2nd and 3rd best passage scores added to all its passages: an
    # article that answers from several passages is likelier to be about the question.
    support: float = 0.1


FRESH_DAYS = 4.0  # "this week's news": no decay within this many days before "as of"
HALF_LIFE_DAYS = 10.0
# An article published before the day a question names ("on Thursday") cannot report it. Half,
# not nothing: the day may be misread, and a preview still tells what was planned.
BEFORE_NAMED_DAY = 0.5


def coverage(query_terms: set[str], text: str) -> float:
    if not query_terms:
        return 0.0
    return len(query_terms & set(terms(text))) / len(query_terms)


def recency(
    hit: Hit, query: Query, fresh_days: float = FRESH_DAYS, half_life_days: float = HALF_LIFE_DAYS
) -> float:
    """1 for an article of the last few days before "as of", then halving every
    `half_life_days` (from "as of" itself when the question asks for the latest); 0 for an
    unknown date; halved when published before the day the question names.

    The flat window matters: a weekly question's source is rarely the newest article of all,
    and a plain exponential decay let a same-day follow-up beat the report itself.
    """
    if not hit.published_ts:
        return 0.0
    days = (query.as_of_utc.timestamp() - hit.published_ts) / 86400
    if days < -1:  # published after the question was asked: not yet news
        return 0.0
    fresh = 0.0 if query.wants_latest else fresh_days
    value = math.exp(-max(days - fresh, 0.0) * math.log(2) / half_life_days)
    named_day = query.named_day
    if named_day and datetime.fromtimestamp(hit.published_ts, UTC).date() < named_day:
        value *= BEFORE_NAMED_DAY
    return value


def speaker_match(hit: Hit, speaker: str | None) -> float:
    if not speaker:
        return 0.0
    wanted = speaker_key(speaker)
    return 1.0 if any(wanted in k for k in hit.meta.get("speaker_keys") or []) else 0.0


class FeatureReranker:
    """Scores candidates with a weighted sum of features; also records them for inspection."""

    def __init__(self, weights: RerankWeights | None = None) -> None:
        self.weights = weights or RerankWeights()

    def run(self, query: Query, hits: list[Hit]) -> list[Hit]:
        qterms = set(terms(query.search_text))
        w = self.weights
        for hit in hits:
            f = {
                "dense": hit.dense,
                "lexical": hit.lexical,
                # Stemming 200 passages costs ~8 ms a search: only when it is weighted.
                "coverage": coverage(qterms, hit.text) if w.coverage else 0.0,
                "title": coverage(qterms, hit.title),
                "speaker": speaker_match(hit, query.speaker),
                "recency": recency(hit, query),
                "rrf": hit.rrf,
            }
            hit.features = f
            hit.score = (
                w.dense * f["dense"]
                + w.lexical * f["lexical"]
                + w.coverage * f["coverage"]
                + w.title * f["title"]
                + w.speaker * f["speaker"]
                + w.recency * f["recency"]
                + w.rrf * f["rrf"]
            )
        if w.support:
            _add_article_support(hits, w.support)
        return sorted(hits, key=lambda h: -h.score)


def _add_article_support(hits: list[Hit], weight: float) -> None:
    by_article: dict[str, list[float]] = {}
    for hit in hits:
        by_article.setdefault(hit.article_id, []).append(hit.score)
    bonus = {
        article: weight * sum(sorted(scores, reverse=True)[1:3])
        for article, scores in by_article.items()
    }
    for hit in hits:
        hit.features["support"] = bonus[hit.article_id]
        hit.score += bonus[hit.article_id]


class CrossEncoderReranker:
    """Optional neural stage: adds a sigmoid cross-encoder score to the feature score."""

    def __init__(self, model_name: str, weight: float = 1.0) -> None:
        from sentence_transformers import CrossEncoder

        try:
            self.model = CrossEncoder(model_name, device="cpu")
        except Exception as exc:  # OSError, ValueError, HTTP errors: all mean "cannot load"
            raise ModelLoadError(f"cannot load RERANKER_MODEL {model_name!r}: {exc}") from exc
        self.weight = weight

    def score(self, question: str, texts: list[str]) -> list[float]:
        """Relevance of each text to the question, squashed to (0, 1)."""
        if not texts:
            return []
        raw = self.model.predict([(question, t) for t in texts], show_progress_bar=False)
        return [1 / (1 + math.exp(-float(value))) for value in raw]

    def run(self, query: Query, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        scores = self.score(query.search_text, [f"{h.title}\n{h.text}" for h in hits])
        for hit, cross in zip(hits, scores, strict=True):
            hit.features["cross_encoder"] = cross
            hit.score += self.weight * cross
        return sorted(hits, key=lambda h: -h.score)
