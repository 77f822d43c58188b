"""The scale benchmark's collections, built by copying a source store's passages with their
embeddings: 10,000 of them, and all of them as the start of the 100,000 (see
`benchmarks.scale`). Copying keeps building to minutes where embedding would take hours.

Two source stores can be copied: `realtimeqa` (the 2022 store of `benchmarks.realtimeqa`)
and `validation` (the 2025 store of `benchmarks.period_store`, 91,968 passages). Each
source's copies live in their own directory, so a cached build is never taken for the
other source's.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import REPO

if TYPE_CHECKING:
    from retrieval.search.store import PassageStore
    from retrieval.settings import Settings

CACHE = REPO / "benchmarks" / ".cache"
SOURCE_PATH = CACHE / "realtimeqa" / "chroma"
SOURCE_COLLECTION = "rtqa_wall"
SOURCES = ("realtimeqa", "validation")
BIG, SMALL = "scale_100k", "scale_10k"
TARGET = 100_000
SMALL_SIZE = 10_000
PAGE = 2000


def scale_path(source: str = "realtimeqa") -> Path:
    """Where one source's copies are kept (the RealTimeQA one where it always was)."""
    return CACHE / ("scale" if source == "realtimeqa" else f"scale-{source}") / "chroma"


def scale_settings(collection: str, source: str = "realtimeqa", **over: object) -> Settings:
    """Settings for one of the scale collections, ignoring any .env file of the developer's
    (EMBEDDER_BACKEND and the rest still come from the environment)."""
    from retrieval.settings import Settings

    return Settings(
        _env_file=None, chroma_path=scale_path(source), chroma_collection=collection, **over
    )


def source_settings(source: str) -> Settings:
    """Where the passages to copy are stored."""
    if source == "validation":
        from benchmarks.period_store import settings_for

        return settings_for("validation")
    from retrieval.settings import Settings

    return Settings(_env_file=None, chroma_path=SOURCE_PATH, chroma_collection=SOURCE_COLLECTION)


class SourceStore:
    """A source store opened to read only: its collection is looked up, never created, and
    nothing (registry, generation, identity) is written, because other benchmarks use the
    same store meanwhile."""

    def __init__(self, settings: Settings) -> None:
        import chromadb

        self.settings = settings
        client = chromadb.PersistentClient(
            path=str(settings.chroma_path),
            settings=chromadb.Settings(anonymized_telemetry=False),
        )
        self.passages: Any = client.get_collection(settings.chroma_collection)

    def count_passages(self) -> int:
        return int(self.passages.count())


def open_source(source: str) -> SourceStore:
    settings = source_settings(source)
    if not (settings.chroma_path / "chroma.sqlite3").is_file():
        hint = "period_store validation" if source == "validation" else source
        where = settings.chroma_path
        sys.exit(f"no source store at {where}: run `python -m benchmarks.{hint}` first")
    return SourceStore(settings)


def copy_passages(source: SourceStore, target: PassageStore, limit: int, suffix: str = "") -> int:
    """Copy passages (with embeddings) and registry records, ids suffixed for replicas."""
    copied, offset = 0, 0
    articles: dict[str, dict] = {}
    while copied < limit:
        got = source.passages.get(
            offset=offset,
            limit=min(PAGE, limit - copied),
            include=["embeddings", "documents", "metadatas"],
        )
        if not got["ids"]:
            break
        metas = []
        for meta in got["metadatas"]:
            meta = dict(meta)
            if suffix:
                meta["article_id"] = f"{meta['article_id']}{suffix}"
            articles.setdefault(meta["article_id"], meta)
            metas.append(meta)
        target.passages.upsert(
            ids=[f"{i}{suffix}" for i in got["ids"]],
            embeddings=got["embeddings"],
            documents=got["documents"],
            metadatas=metas,
        )
        copied += len(got["ids"])
        offset += len(got["ids"])
    _copy_articles(articles, target, suffix)
    target._bump_generation()
    return copied


def _copy_articles(articles: dict[str, dict], target: PassageStore, suffix: str) -> None:
    ids = list(articles)
    for lo in range(0, len(ids), PAGE):
        part = ids[lo : lo + PAGE]
        target.registry.upsert(
            ids=part,
            embeddings=[[0.0]] * len(part),
            metadatas=[
                {
                    "title": articles[a].get("title", ""),
                    "publisher": articles[a].get("publisher", ""),
                    "published": articles[a].get("published", ""),
                    "url": articles[a].get("url", ""),
                    "content_hash": f"replica{suffix}-{a}",
                    "passages": 0,
                }
                for a in part
            ],
        )


def copy_parses(source: Settings, target: Path) -> int:
    """Copy the source's sentence parses and vectors beside the copies, as ingest would have
    left them; returns how many parses.

    A real store holds its passages' parses and sentence vectors (ingest makes them), so
    answers over copies without them would make them at question time and measure a store no
    one runs; and the first backend measured would make and keep what the next one then
    reads. SQLite's online backup reads the source (opened read-only) a few pages at a time,
    so a writer elsewhere is never held up long; what another parser or embedder made is
    dropped by the engine.
    """
    from retrieval.reading.parse_store import FILE
    from retrieval.reading.sentence_vectors import FILE as VECTORS_FILE

    parses = 0
    target.mkdir(parents=True, exist_ok=True)
    for name in (FILE, VECTORS_FILE):
        path = source.data_dir / name
        if not path.is_file():
            continue
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(target / name)
        try:
            src.backup(dst, pages=4096)
            if name == FILE:
                parses = int(dst.execute("SELECT count(*) FROM parses").fetchone()[0])
        finally:
            src.close()
            dst.close()
    return parses


def phase_build(rebuild: bool = False, source: str = "realtimeqa", top_up: bool = False) -> None:
    """Both collections, each copied only when missing; `rebuild` drops the large one first so
    the ingest phase measures again; `top_up` fills the large one to 100,000 with replicas
    now, for a run that skips the ingest phase (which otherwise tops it up)."""
    from retrieval.reading.parse_store import FILE as PARSES_FILE
    from retrieval.search.store import PassageStore

    origin = open_source(source)
    path = scale_path(source)
    small = PassageStore(scale_settings(SMALL, source))
    if small.count_passages() < SMALL_SIZE:
        t0 = time.perf_counter()
        copy_passages(origin, small, SMALL_SIZE)
        print(f"{SMALL}: {small.count_passages()} passages in {time.perf_counter() - t0:.0f} s")
    if rebuild:
        for name in (BIG, BIG + "_articles", BIG + "_state"):
            with contextlib.suppress(Exception):  # not there yet
                small.client.delete_collection(name)
        shutil.rmtree(path / "lexical" / BIG, ignore_errors=True)
    big = PassageStore(scale_settings(BIG, source))
    if big.count_passages() == 0:
        t0 = time.perf_counter()
        copy_passages(origin, big, origin.count_passages())
        took = time.perf_counter() - t0
        print(f"{BIG}: {big.count_passages()} {source} passages in {took:.0f} s")
    if top_up and big.count_passages() < TARGET:
        copy_passages(origin, big, TARGET - big.count_passages(), suffix="~r1")
        print(f"{BIG}: topped up to {big.count_passages()} passages")
    if not (path / PARSES_FILE).exists():
        print(f"sentence parses copied: {copy_parses(origin.settings, path)}")
    _index_words(small, big, path)


def _index_words(small: PassageStore, big: PassageStore, path: Path) -> None:
    """Build (or check) each collection's BM25 index now, so no measured phase builds it and
    every backend's phase starts from the same saved index."""
    from retrieval.search.lexical import LexicalIndex

    for store, name in ((small, SMALL), (big, BIG)):
        t0 = time.perf_counter()
        LexicalIndex(store, path / "lexical" / name).current()
        print(f"{name}: BM25 index ready in {time.perf_counter() - t0:.0f} s", flush=True)
