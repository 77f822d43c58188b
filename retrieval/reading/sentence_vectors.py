"""Sentence vectors kept beside the store, so a question compares its meaning with every sentence
it reads without embedding them then.

The reader ranks sentences partly by how close each one's vector is to the question's: a
sentence can state what is asked in other words than the question's. Embedding the sixty-odd
sentences of the passages read would take longer than the rest of an answer on two cores, so
ingest embeds each new passage's sentences once (`prefill`), and a question embeds (and keeps)
only those it has not seen. Vectors are stamped with the embedder that made them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from retrieval.reading.passages import Passage
from retrieval.reading.sentences import split
from retrieval.reading.text_cache import TextCache
from retrieval.settings import Settings

FILE = "sentence-vectors.sqlite3"  # in the store's directory, beside the sentence parses

Embed = Callable[[list[str]], np.ndarray]


def _encode(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def _decode(raw: object) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.float16)  # type: ignore[arg-type]


class SentenceVectors(TextCache[np.ndarray]):
    """Vectors by sentence text (half precision: cosines move by about 1e-4)."""

    what = "vectors"

    def __init__(self, path: Path | None, embedder_identity: str) -> None:
        super().__init__(
            path,
            table="vectors",
            column="vector",
            stamp=embedder_identity,
            encode=_encode,
            decode=_decode,
        )

    def of(self, texts: list[str], embed: Embed) -> np.ndarray:
        """The vector of each text, one row each: looked up, embedded (and kept) where not held."""
        rows = self.values(texts, lambda wanted: list(embed(wanted)))
        return np.stack(rows).astype(np.float32) if rows else np.zeros((0, 0), np.float32)

    def prefill(self, passages: list[Passage], embed: Embed) -> int:
        """Embed the sentences a question could read from these passages (as the reader
        splits them, titles included); returns how many were new."""
        texts = [s.text for s in split(passages, 0)]
        return len(self.fill(texts, lambda wanted: list(embed(wanted))))


def sentence_vectors_for(settings: Settings, embedder_identity: str) -> SentenceVectors:
    """The store's sentence vectors: a file beside an embedded store; memory only for a server's."""
    path = None if settings.server_mode else settings.data_dir / FILE
    return SentenceVectors(path, embedder_identity)
