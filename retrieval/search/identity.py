"""Which embedder made a store's vectors: recorded in the passage collection's metadata,
checked before a store is searched or written, and changed by re-embedding every passage.

Compatible means the same base model with the same dimension. The int8 ONNX graph and
torch's fp32 run of the same weights give vectors at cosine 0.99 of each other (see
docs/embedder.md), close enough that a question embedded by one finds the passages
embedded by the other, so a store may be searched (and extended) by either; the store
still records every runtime that wrote to it. Vectors of another model are meaningless to
this one: such a store is refused in one line until `news-ingest --reembed` rewrites it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from retrieval.schema import embedding_key
from retrieval.search.embedder import Embedder
from retrieval.search.store import PassageStore, StoreError
from retrieval.settings import Settings

log = logging.getLogger(__name__)

MODEL_KEY = "embedder_model"
DIMENSION_KEY = "embedder_dimension"
WRITERS_KEY = "embedders"  # every runtime that wrote vectors, " | "-separated
UNRECORDED = "unrecorded (before the store kept its embedder)"
_SEPARATOR = " | "


class IncompatibleStoreError(StoreError):
    """The store's vectors were made by another model than the configured one."""


@dataclass(frozen=True)
class ReembedReport:
    passages: int = 0
    reembedded: int = 0


def stored_identity(store: PassageStore) -> dict[str, Any]:
    """The embedder recorded in the store; empty for a store made before it was recorded."""
    meta = dict(store.passages.metadata or {})
    return {k: meta[k] for k in (MODEL_KEY, DIMENSION_KEY, WRITERS_KEY) if k in meta}


def check_compatible(store: PassageStore, embedder: Embedder) -> None:
    """Raise IncompatibleStoreError (one line, with the remedy) for another model's store.

    Reads only the recorded identity: no model is loaded for a store that records none
    (one written before identities were kept, taken to be of the configured model).
    """
    recorded = stored_identity(store)
    model = recorded.get(MODEL_KEY)
    if model is None or model == embedder.base_model:
        return
    writers = recorded.get(WRITERS_KEY) or model
    raise IncompatibleStoreError(
        f"the store at {store.location} was embedded by {writers}, not by "
        f"{embedder.base_model} (EMBEDDING_MODEL); run `news-ingest --reembed` to embed it "
        "again with this model, or set EMBEDDING_MODEL back"
    )


def record_identity(store: PassageStore, embedder: Embedder, only: bool = False) -> None:
    """Record the embedder as a writer of this store (`only`: as its sole writer)."""
    meta = dict(store.passages.metadata or {})
    writers = [] if only else _writers(meta)
    if not only and MODEL_KEY not in meta and store.count_passages():
        writers.append(UNRECORDED)  # vectors written before identities were kept
    if embedder.identity not in writers:
        writers.append(embedder.identity)
    wanted = {
        MODEL_KEY: embedder.base_model,
        DIMENSION_KEY: embedder.dimension,
        WRITERS_KEY: _SEPARATOR.join(writers),
    }
    if all(meta.get(k) == v for k, v in wanted.items()):
        return
    store.passages.modify(metadata={**meta, **wanted})  # modify replaces the whole mapping


def _writers(meta: dict[str, Any]) -> list[str]:
    return [w for w in str(meta.get(WRITERS_KEY, "")).split(_SEPARATOR) if w]


def reembed(
    store: PassageStore,
    embedder: Embedder,
    settings: Settings,
    page: int = 512,
    progress: Callable[[int, int], None] | None = None,
) -> ReembedReport:
    """Embed every stored passage again with `embedder`, page by page.

    A passage whose embedding key (embedder label + embedded text) already names this
    embedder is skipped, so an interrupted run resumes where it stopped and a second run
    changes nothing. The store records the new model only once every passage carries it.
    """
    recorded = stored_identity(store)
    if recorded.get(DIMENSION_KEY) not in (None, embedder.dimension):
        raise IncompatibleStoreError(
            f"the store at {store.location} holds {recorded[DIMENSION_KEY]}-dimensional "
            f"vectors and {embedder.base_model} makes {embedder.dimension}: ingest into a new "
            "CHROMA_COLLECTION instead"
        )
    ids = list(store.passages.get(include=[])["ids"])
    done = 0
    for lo in range(0, len(ids), page):
        done += _reembed_page(store, embedder, settings, ids[lo : lo + page])
        if progress:
            progress(min(lo + page, len(ids)), len(ids))
    record_identity(store, embedder, only=True)
    return ReembedReport(passages=len(ids), reembedded=done)


def _reembed_page(
    store: PassageStore, embedder: Embedder, settings: Settings, ids: list[str]
) -> int:
    got = store.passages.get(ids=ids, include=["documents", "metadatas"])
    rows = []
    for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        # The text the pipeline embeds: the title in front of the passage (EMBED_TITLE).
        title = str(meta.get("title") or "") if settings.embed_title else ""
        embedded = f"{title}\n{text}" if title else text
        key = embedding_key(embedder.label, embedded)
        if meta.get("embedding_key") != key:
            rows.append((pid, embedded, {**meta, "embedding_key": key}))
    if not rows:
        return 0
    vectors = embedder.encode([r[1] for r in rows])
    store.passages.update(
        ids=[r[0] for r in rows], embeddings=vectors, metadatas=[r[2] for r in rows]
    )
    log.info("re-embedded %d passages", len(rows))
    return len(rows)
