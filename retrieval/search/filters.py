"""Passage filters (dates, publishers, speaker), applied the same way by both retrievers.

Chroma gets them as a `where` clause; the BM25 side applies them as a numpy mask over the
metadata it keeps in memory, because asking Chroma to filter thousands of BM25 hits by id is
slow (seconds per query at 76k passages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class PassageFilter:
    min_ts: int | None = None
    max_ts: int | None = None
    publishers: tuple[str, ...] | None = None
    speaker_key: str | None = None

    @property
    def empty(self) -> bool:
        return (self.min_ts, self.max_ts, self.publishers, self.speaker_key) == (None,) * 4

    def where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.min_ts is not None:
            clauses.append({"published_ts": {"$gte": self.min_ts}})
        if self.max_ts is not None:
            clauses.append({"published_ts": {"$lte": self.max_ts}})
        if self.publishers is not None:
            clauses.append({"publisher": {"$in": list(self.publishers)}})
        if self.speaker_key:
            clauses.append({"speaker_keys": {"$contains": self.speaker_key}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, meta: dict[str, Any]) -> bool:
        """The same test as `where`, on one passage's metadata."""
        ts = int(meta.get("published_ts") or 0)
        if self.min_ts is not None and ts < self.min_ts:
            return False
        if self.max_ts is not None and ts > self.max_ts:
            return False
        if self.publishers is not None and meta.get("publisher") not in self.publishers:
            return False
        return not (self.speaker_key and self.speaker_key not in (meta.get("speaker_keys") or []))

    def mask(
        self, published_ts: np.ndarray, publishers: list[str], speaker_keys: list[frozenset[str]]
    ) -> np.ndarray:
        keep = np.ones(len(published_ts), dtype=bool)
        if self.min_ts is not None:
            keep &= published_ts >= self.min_ts
        if self.max_ts is not None:
            keep &= published_ts <= self.max_ts
        if self.publishers is not None:
            allowed = set(self.publishers)
            keep &= np.fromiter((p in allowed for p in publishers), bool, len(publishers))
        if self.speaker_key:
            key = self.speaker_key
            keep &= np.fromiter((key in s for s in speaker_keys), bool, len(speaker_keys))
        return keep
