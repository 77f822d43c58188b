"""What a search returns: a passage with its citation metadata and the scores that ranked it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from retrieval.schema import attributions_from_metadata, authors_from_metadata


@dataclass
class Hit:
    passage_id: str
    text: str
    meta: dict[str, Any]
    dense: float = 0.0  # cosine similarity to the question
    lexical: float = 0.0  # BM25, normalised to the best candidate
    rrf: float = 0.0
    score: float = 0.0  # final, after reranking
    features: dict[str, float] = field(default_factory=dict)
    also_reported_by: list[dict[str, str]] = field(default_factory=list)
    embedding: np.ndarray | None = field(default=None, repr=False)

    @property
    def article_id(self) -> str:
        return str(self.meta.get("article_id", ""))

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def publisher(self) -> str:
        return str(self.meta.get("publisher", ""))

    @property
    def url(self) -> str:
        return str(self.meta.get("url", ""))

    @property
    def published(self) -> str:
        return str(self.meta.get("published", ""))

    @property
    def published_ts(self) -> int:
        return int(self.meta.get("published_ts") or 0)

    @property
    def authors(self) -> list[str]:
        return authors_from_metadata(self.meta)

    @property
    def attributions(self) -> list[dict[str, str]]:
        return attributions_from_metadata(self.meta)

    @property
    def speakers(self) -> list[str]:
        return list(self.meta.get("speakers") or [])
