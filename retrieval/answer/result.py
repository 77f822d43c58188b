"""An answer as every front end receives it: the reply text, whether it abstained, what it
cites and the closest articles retrieved."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from retrieval.search.hits import Hit

ABSTAIN_TEXT = "I couldn't find that in the news I have."


@dataclass
class Answer:
    question: str
    text: str
    abstained: bool
    citations: list[Hit] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    confidence: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict)
    mode: str = "extractive"  # or "generative" when an LLM endpoint wrote it
    short_answer: str = ""  # the answer itself, which the reply opens with
    support: list[dict[str, Any]] = field(default_factory=list)  # sentences quoted, cited

    def as_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "short_answer": self.short_answer,
            "support": self.support,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 4),
            "mode": self.mode,
            "citations": [
                {
                    "n": n,
                    "title": h.title,
                    "publisher": h.publisher,
                    "url": h.url,
                    "published": h.published,
                    "authors": h.authors,
                    "passage": h.text,
                    "speakers": h.speakers,
                    "score": round(h.score, 4),
                    "also_reported_by": h.also_reported_by,
                }
                for n, h in enumerate(self.citations, start=1)
            ],
            "retrieved": [
                {
                    "url": h.url,
                    "title": h.title,
                    "published": h.published,
                    "score": round(h.score, 4),
                }
                for h in self.retrieved
            ],
            "timings_ms": self.timings_ms,
        }


def headed(hit: Hit) -> Hit:
    """The passage as cited when the answer quotes its article's headline: the headline at its
    head, so every part of an answer is found in what it cites."""
    return replace(hit, text=f"{hit.title}\n\n{hit.text}")


def distinct_articles(hits: list[Hit], k: int) -> list[Hit]:
    seen: set[str] = set()
    out = []
    for hit in hits:
        if hit.article_id not in seen:
            seen.add(hit.article_id)
            out.append(hit)
    return out[:k]
