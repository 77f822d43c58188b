"""Ingest: news articles from files, folders, URLs and feeds into the passage store.

`ingest_sources` is the one public entry point other packages (the bot's admin command) use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ingest.errors import SourceError
from ingest.pipeline import Ingestor, IngestReport
from ingest.sources import LoadOptions
from retrieval.search.embedder import Embedder
from retrieval.search.identity import check_compatible, record_identity
from retrieval.search.store import PassageStore
from retrieval.settings import Settings

__all__ = ["IngestReport", "LoadOptions", "SourceError", "ingest_sources"]


def ingest_sources(
    inputs: Iterable[str],
    store: PassageStore,
    embedder: Embedder,
    settings: Settings,
    options: LoadOptions | None = None,
    progress: bool = False,
    on_error: Callable[[SourceError], None] | None = None,
) -> IngestReport:
    """Ingest files, folders, URLs and feeds; failures are reported in the result, not raised.

    A store of another embedding model is refused (IncompatibleStoreError, a StoreError)
    before anything is read: its vectors and these would not be comparable.
    """
    check_compatible(store, embedder)
    record_identity(store, embedder)
    return Ingestor(store, embedder, settings).run(inputs, options, progress, on_error)
