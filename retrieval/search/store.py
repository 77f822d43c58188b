"""Chroma access: the passage collection and the article registry beside it.

Chroma has no transactions, so an article is committed in a fixed order: delete whatever the
article had, upsert its passages, and only then write its registry record. The registry record
is the commit marker: an article without one (an interrupted run) is rewritten from scratch by
the next run, which leaves neither orphans nor duplicates, because passage ids are
deterministic (`<article_id>-<position>`).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from retrieval.schema import (
    ANALYSIS_VERSION,
    Article,
    Passage,
    article_record,
    passage_metadata,
)
from retrieval.settings import Settings

log = logging.getLogger(__name__)

_REGISTRY_SUFFIX = "_articles"
_STATE_SUFFIX = "_state"
_GENERATION_ID = "generation"
_MARKER_VECTOR = [0.0]  # registry records are looked up by id/metadata, never by vector
_DATABASE_FILE = "chroma.sqlite3"  # what Chroma writes first in an embedded store


class StoreError(RuntimeError):
    """The store cannot be opened, read or written (missing, read-only, unreachable)."""


@dataclass(frozen=True)
class StoreStats:
    articles: int
    passages: int
    publishers: dict[str, int]
    earliest: str
    latest: str
    latest_titles: list[tuple[str, str, str]]  # (published, title, publisher), newest first


def open_client(settings: Settings, read_only: bool = False) -> Any:
    """An embedded (on-disk) or server client, depending on CHROMA_HOST.

    `read_only` is for commands that only read (`news-ask`, `news-ingest --stats`): where no
    embedded store exists yet they get an empty in-memory one, so asking before the first
    ingest says the store is empty instead of leaving a new database behind.
    """
    import chromadb

    chroma_settings = chromadb.Settings(anonymized_telemetry=False)
    try:
        if settings.server_mode:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        if read_only and not store_exists(settings):
            return chromadb.EphemeralClient(settings=chroma_settings)
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    except Exception as exc:
        raise StoreError(
            f"cannot open the Chroma store at {store_location(settings)}: {exc}"
        ) from exc


def store_exists(settings: Settings) -> bool:
    """Whether an embedded store has been created at CHROMA_PATH (a server's always is)."""
    return settings.server_mode or (settings.chroma_path / _DATABASE_FILE).is_file()


def store_location(settings: Settings) -> str:
    if settings.server_mode:
        return f"the Chroma server at {settings.chroma_host}:{settings.chroma_port}"
    return str(settings.chroma_path)


def storage_hint(settings: Settings) -> str:
    """Why an embedded store may be failing, when the file system says so."""
    if settings.server_mode:
        return ""
    path = settings.chroma_path
    try:
        if shutil.disk_usage(path).free < 5_000_000:
            return " (the disk holding it is full)"
        if not os.access(path, os.W_OK):
            return " (it is read-only)"
    except OSError:
        return ""
    return ""


def is_store_failure(exc: BaseException) -> bool:
    """Raised by the storage layer itself: an unreachable server, a full or read-only disk,
    a damaged database; as opposed to a bug in our code."""
    if isinstance(exc, OSError | sqlite3.Error):
        return True
    return type(exc).__module__.split(".")[0] in {"chromadb", "httpx", "httpcore"}


class PassageStore:
    """Reads and writes passages and article records; the only code that talks to Chroma."""

    def __init__(self, settings: Settings, client: Any = None, read_only: bool = False) -> None:
        """`read_only`: see open_client; the caller only reads, so nothing is created."""
        self.settings = settings
        self.client = client if client is not None else open_client(settings, read_only)
        name = settings.chroma_collection
        try:
            self.passages = self.client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            )
            self.registry = self.client.get_or_create_collection(
                name + _REGISTRY_SUFFIX, embedding_function=None
            )
            self.state = self.client.get_or_create_collection(
                name + _STATE_SUFFIX, embedding_function=None
            )
            self._max_batch = int(self.client.get_max_batch_size())
        except Exception as exc:
            if not is_store_failure(exc):
                raise
            raise StoreError(
                f"cannot open the Chroma store at {store_location(settings)}: {exc}"
            ) from exc

    @property
    def location(self) -> str:
        return store_location(self.settings)

    # -- reading ---------------------------------------------------------------------------
    def generation(self) -> str:
        """Changes whenever passages change, so caches (the lexical index) know to rebuild."""
        got = self.state.get(ids=[_GENERATION_ID], include=["metadatas"])
        return str(got["metadatas"][0]["value"]) if got["ids"] else ""

    def _bump_generation(self) -> None:
        self.state.upsert(
            ids=[_GENERATION_ID],
            embeddings=[_MARKER_VECTOR],
            metadatas=[{"value": uuid.uuid4().hex}],
        )

    def count_passages(self) -> int:
        return int(self.passages.count())

    def count_articles(self) -> int:
        return int(self.registry.count())

    def iter_passages(self, page: int = 2000) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Every stored passage as (id, text, metadata), paged so memory stays bounded."""
        offset = 0
        while True:
            got = self.passages.get(offset=offset, limit=page, include=["documents", "metadatas"])
            if not got["ids"]:
                return
            yield from zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            offset += len(got["ids"])

    def registry_records(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        offset = 0
        while True:
            got = self.registry.get(offset=offset, limit=5000, include=["metadatas"])
            if not got["ids"]:
                return records
            records.extend(got["metadatas"])
            offset += len(got["ids"])

    def stats(self, latest: int = 5) -> StoreStats:
        try:
            return self._stats(latest)
        except Exception as exc:
            if not is_store_failure(exc):
                raise
            raise StoreError(
                f"cannot read {self.location}{storage_hint(self.settings)}: {exc}"
            ) from exc

    def _stats(self, latest: int) -> StoreStats:
        records = self.registry_records()
        publishers: dict[str, int] = {}
        for r in records:
            name = r.get("publisher") or "(unknown)"
            publishers[name] = publishers.get(name, 0) + 1
        dated = sorted((r for r in records if r.get("published")), key=lambda r: r["published"])
        newest = [
            (r["published"], r.get("title", ""), r.get("publisher", ""))
            for r in reversed(dated[-latest:])
        ]
        return StoreStats(
            articles=len(records),
            passages=self.count_passages(),
            publishers=dict(sorted(publishers.items(), key=lambda kv: -kv[1])),
            earliest=dated[0]["published"] if dated else "",
            latest=dated[-1]["published"] if dated else "",
            latest_titles=newest,
        )

    # -- writing ---------------------------------------------------------------------------
    def stored_hashes(self, article_ids: list[str]) -> dict[str, str]:
        """Content hash of each of these articles that is completely stored; "" for one
        stored by an older analysis (ANALYSIS_VERSION), which must be analysed again."""
        if not article_ids:
            return {}
        got = self.registry.get(ids=list(dict.fromkeys(article_ids)), include=["metadatas"])
        return {
            i: str(m.get("content_hash", "")) if _current_analysis(m) else ""
            for i, m in zip(got["ids"], got["metadatas"], strict=True)
        }

    def articles_with_content(self, hashes: list[str]) -> dict[str, str]:
        """For each content hash already stored: the id of the article holding it."""
        if not hashes:
            return {}
        got = self.registry.get(
            where={"content_hash": {"$in": list(dict.fromkeys(hashes))}}, include=["metadatas"]
        )
        return {
            str(m["content_hash"]): i for i, m in zip(got["ids"], got["metadatas"], strict=True)
        }

    def stored_vectors(self, article_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these articles' passages, by embedding key (see schema).

        Passages written before keys were recorded have none and are simply not reused.
        """
        if not article_ids:
            return {}
        got = self.passages.get(
            where={"article_id": {"$in": article_ids}}, include=["embeddings", "metadatas"]
        )
        return {
            str(meta["embedding_key"]): np.asarray(vector, dtype=np.float32)
            for meta, vector in zip(got["metadatas"], got["embeddings"], strict=True)
            if meta.get("embedding_key")
        }

    def write_articles(
        self, batch: Sequence[tuple[Article, Sequence[Passage], np.ndarray]]
    ) -> None:
        """Replace everything stored for these articles; their registry records go last.

        Order matters for crash safety: (1) drop the articles' markers and old passages,
        (2) write all new passages, (3) write the markers. A crash before (3) leaves the
        articles unmarked, so the next run rewrites them; passage ids are deterministic, so
        nothing is duplicated.
        """
        if not batch:
            return
        for article, passages, embeddings in batch:
            if len(passages) != len(embeddings):
                raise ValueError(f"{article.source}: one embedding per passage is required")
        try:
            ids = [a.article_id for a, _, _ in batch]
            self.delete_articles(ids + self._earlier_ids_of([a.url for a, _, _ in batch], ids))
            rows = [(a, p, e) for a, ps, es in batch for p, e in zip(ps, es, strict=True)]
            for lo in range(0, len(rows), self._max_batch):
                chunk = rows[lo : lo + self._max_batch]
                self.passages.upsert(
                    ids=[p.passage_id for _, p, _ in chunk],
                    embeddings=np.stack([e for _, _, e in chunk]),
                    documents=[p.text for _, p, _ in chunk],
                    metadatas=[passage_metadata(a, p) for a, p, _ in chunk],
                )
            for lo in range(0, len(batch), self._max_batch):
                part = batch[lo : lo + self._max_batch]
                self.registry.upsert(
                    ids=[a.article_id for a, _, _ in part],
                    embeddings=[_MARKER_VECTOR] * len(part),
                    metadatas=[article_record(a, len(ps)) for a, ps, _ in part],
                )
            self._bump_generation()
        except Exception as exc:
            # No further write here (no generation bump): on a full disk Chroma can block in
            # the next write. A stale BM25 cache is harmless meanwhile (hits whose passage is
            # gone are skipped), and the next successful write bumps the generation.
            names = ", ".join(a.source for a, _, _ in batch[:3])
            raise StoreError(
                f"could not write {names} to {self.location}{storage_hint(self.settings)}: {exc}"
            ) from exc

    def _earlier_ids_of(self, urls: list[str], ids: list[str]) -> list[str]:
        """Articles stored at these URLs under another id: ids made before URLs had one
        identity (`url_identity`) for ".../index.html" and its tracking-tagged variants. The
        new text replaces them rather than sitting beside them."""
        urls = [u for u in dict.fromkeys(urls) if u]
        if not urls:
            return []
        current = set(ids)
        got = self.registry.get(where={"url": {"$in": urls}}, include=[])
        return [i for i in got["ids"] if i not in current]

    def delete_articles(self, article_ids: list[str]) -> None:
        """Markers first, so a crash in between leaves the articles marked incomplete."""
        if not article_ids:
            return
        self.registry.delete(ids=article_ids)
        self.passages.delete(where={"article_id": {"$in": article_ids}})


def _current_analysis(record: Mapping[str, Any]) -> bool:
    """Records written before the analysis had a version carry none: version 1."""
    return int(record.get("analysis") or 1) >= ANALYSIS_VERSION
