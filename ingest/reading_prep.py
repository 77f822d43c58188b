"""What questions will need of each new passage's sentences, worked out once at ingest: their
parses and their vectors. A question then looks both up instead of making them while the
asker waits; `PARSE_AT_INGEST=false` leaves both to questions (a faster bulk ingest)."""

from __future__ import annotations

from retrieval.reading.parse_store import ParseStore, parse_store_for
from retrieval.reading.passages import Passage
from retrieval.reading.sentence_vectors import SentenceVectors, sentence_vectors_for
from retrieval.search.embedder import Embedder
from retrieval.settings import Settings


class ReadingPrep:
    """The store's sentence parses and vectors, opened on first use and closed after a run (a
    bot polls feeds for days, one run each)."""

    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self._parses: ParseStore | None = None
        self._vectors: SentenceVectors | None = None

    def prefill(self, passages: list[Passage]) -> None:
        if not self.settings.parse_at_ingest or not passages:
            return
        if self._parses is None:
            self._parses = parse_store_for(self.settings)
            self._vectors = sentence_vectors_for(self.settings, self.embedder.identity)
        assert self._vectors is not None
        self._parses.prefill(passages)
        self._vectors.prefill(passages, self.embedder.encode)

    def close(self) -> None:
        for kept in (self._parses, self._vectors):
            if kept is not None:
                kept.close()
        self._parses = self._vectors = None
