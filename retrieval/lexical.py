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
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from retrieval.store import PassageStore
from retrieval.text import terms

log = logging.getLogger(__name__)


@dataclass
class _Index:
    generation: str
    ids: list[str]
    bm25: bm25s.BM25 | None
    vocab: dict[str, int]


class LexicalIndex:
    """Thread-safe BM25 scores for every stored passage."""

    def __init__(self, store: PassageStore, directory: Path | None) -> None:
        self.store = store
        self.directory = directory
        self._index: _Index | None = None
        self._lock = threading.Lock()

    def scores(self, query: str) -> tuple[list[str], np.ndarray]:
        """(passage ids, BM25 score of each) for the current store contents."""
        index = self.current()
        tokens = [t for t in terms(query) if t in index.vocab]
        if index.bm25 is None or not tokens:
            return index.ids, np.zeros(len(index.ids), dtype=np.float32)
        return index.ids, index.bm25.get_scores(tokens)

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
        for pid, text, meta in self.store.iter_passages():
            ids.append(pid)
            corpus.append(terms(f"{meta.get('title', '')} {text}"))
        bm25 = None
        if ids:
            bm25 = bm25s.BM25()
            bm25.index(_as_tokenized(corpus), show_progress=False)
        index = _Index(generation, ids, bm25, dict(bm25.vocab_dict) if bm25 else {})
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
                json.dumps({"generation": index.generation, "ids": index.ids}), encoding="utf-8"
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
            if saved.get("generation") != generation:
                return None
            bm25 = bm25s.BM25.load(str(self.directory), show_progress=False)
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable BM25 index at %s: %s", self.directory, exc)
            return None
        return _Index(generation, saved["ids"], bm25, dict(bm25.vocab_dict))


def _as_tokenized(corpus: list[list[str]]) -> bm25s.tokenization.Tokenized:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocab)
