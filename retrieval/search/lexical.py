"""BM25 over the stored passages (bm25s), kept in step with Chroma by a generation stamp.

Chroma is the source of truth; this index is a cache built from it, persisted beside the
embedded store so a restart does not pay for a rebuild, and rebuilt whenever the store's
generation changes (any ingest, from any process sharing the store).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import bm25s
import numpy as np

from retrieval.search.filters import PassageFilter
from retrieval.search.store import PassageStore
from retrieval.text import terms

log = logging.getLogger(__name__)


@dataclass
class _Index:
    generation: str
    ids: list[str]
    bm25: bm25s.BM25 | None
    vocab: dict[str, int]
    # Filterable metadata per passage, aligned with `ids`.
    published_ts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    publishers: list[str] = field(default_factory=list)
    speaker_keys: list[frozenset[str]] = field(default_factory=list)

    @cached_property
    def publisher_names(self) -> frozenset[str]:
        """The distinct publishers: a name is matched against a handful, not every passage."""
        return frozenset(self.publishers)


class LexicalIndex:
    """Thread-safe BM25 scores for every stored passage."""

    def __init__(self, store: PassageStore, directory: Path | None) -> None:
        self.store = store
        self.directory = directory
        self._index: _Index | None = None
        self._lock = threading.Lock()

    def search(
        self, query: str, n: int, passage_filter: PassageFilter | None = None
    ) -> dict[str, float]:
        """The n best passages by BM25 (id -> score), filters applied, zero scores dropped."""
        index = self.current()
        tokens = [t for t in terms(query) if t in index.vocab]
        if index.bm25 is None or not tokens:
            return {}
        scores = index.bm25.get_scores(tokens)
        if passage_filter is not None and not passage_filter.empty:
            keep = passage_filter.mask(index.published_ts, index.publishers, index.speaker_keys)
            scores = np.where(keep, scores, 0.0)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n]
        top = top[np.argsort(-scores[top])]
        return {index.ids[i]: float(scores[i]) for i in top if scores[i] > 0}

    def newest_published(self, until_ts: int) -> int:
        """The publication time of the newest passage held up to `until_ts` (0: none dated).
        Read from the index as the question's search left it: no second look at the store."""
        published = (self._index or self.current()).published_ts
        held = published[(published > 0) & (published <= until_ts)]
        return int(held.max()) if held.size else 0

    def current(self) -> _Index:
        generation = self.store.generation()
        index = self._index
        if index is not None and index.generation == generation:
            return index
        with self._lock:
            if self._index is None or self._index.generation != generation:
                self._index = self._load(generation) or self._build(generation)
            return self._index

    def _build(self, generation: str) -> _Index:
        ids: list[str] = []
        corpus: list[list[str]] = []
        published: list[int] = []
        publishers: list[str] = []
        speakers: list[frozenset[str]] = []
        for pid, text, meta in self.store.iter_passages():
            ids.append(pid)
            corpus.append(terms(f"{meta.get('title', '')} {text}"))
            published.append(int(meta.get("published_ts") or 0))
            publishers.append(str(meta.get("publisher", "")))
            speakers.append(frozenset(meta.get("speaker_keys") or ()))
        bm25 = None
        if ids:
            bm25 = bm25s.BM25()
            bm25.index(_as_tokenized(corpus), show_progress=False)
        index = _Index(
            generation,
            ids,
            bm25,
            dict(bm25.vocab_dict) if bm25 else {},
            np.asarray(published, dtype=np.int64),
            publishers,
            speakers,
        )
        self._save(index)
        log.info("built BM25 index over %d passages", len(ids))
        return index

    def _save(self, index: _Index) -> None:
        if self.directory is None or index.bm25 is None:
            return
        self.directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.directory.parent, prefix=".bm25-"))
        try:
            index.bm25.save(str(tmp), show_progress=False)
            (tmp / "ids.json").write_text(
                json.dumps(
                    {
                        "generation": index.generation,
                        "ids": index.ids,
                        "published_ts": index.published_ts.tolist(),
                        "publishers": index.publishers,
                        "speaker_keys": [sorted(s) for s in index.speaker_keys],
                    }
                ),
                encoding="utf-8",
            )
            if self.directory.exists():
                shutil.rmtree(self.directory)
            tmp.rename(self.directory)
        except OSError as exc:  # a read-only data dir still serves queries from memory
            log.warning("could not persist the BM25 index to %s: %s", self.directory, exc)
            shutil.rmtree(tmp, ignore_errors=True)

    def _load(self, generation: str) -> _Index | None:
        if self.directory is None or not (self.directory / "ids.json").exists():
            return None
        try:
            saved = json.loads((self.directory / "ids.json").read_text(encoding="utf-8"))
            if saved.get("generation") != generation or "published_ts" not in saved:
                return None
            bm25 = bm25s.BM25.load(str(self.directory), show_progress=False)
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable BM25 index at %s: %s", self.directory, exc)
            return None
        return _Index(
            generation,
            saved["ids"],
            bm25,
            dict(bm25.vocab_dict),
            np.asarray(saved["published_ts"], dtype=np.int64),
            saved["publishers"],
            [frozenset(k) for k in saved["speaker_keys"]],
        )


def _as_tokenized(corpus: list[list[str]]) -> bm25s.tokenization.Tokenized:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocab)
