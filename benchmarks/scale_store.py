"""The scale benchmark's collections, built by copying RealTimeQA passages with their
embeddings: 10,000 of them, and all of them as the start of the 100,000 (see
`benchmarks.scale`). Copying keeps building to minutes where embedding would take hours.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import time
from typing import TYPE_CHECKING

from benchmarks.common import REPO

if TYPE_CHECKING:
    from retrieval.search.store import PassageStore
    from retrieval.settings import Settings

CACHE = REPO / "benchmarks" / ".cache"
SOURCE_PATH = CACHE / "realtimeqa" / "chroma"
SOURCE_COLLECTION = "rtqa_wall"
SCALE_PATH = CACHE / "scale" / "chroma"
BIG, SMALL = "scale_100k", "scale_10k"
TARGET = 100_000
SMALL_SIZE = 10_000
PAGE = 2000


def scale_settings(collection: str, **over: object) -> Settings:
    """Settings for one of the scale collections, ignoring any .env file of the developer's."""
    from retrieval.settings import Settings

    return Settings(_env_file=None, chroma_path=SCALE_PATH, chroma_collection=collection, **over)


def copy_passages(source: PassageStore, target: PassageStore, limit: int, suffix: str = "") -> int:
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
    target._bump_generation()
    return copied


def phase_build(rebuild: bool = False) -> None:
    """Both collections, each copied only when missing; `rebuild` drops the large one first so
    the ingest phase measures again."""
    from retrieval.search.store import PassageStore
    from retrieval.settings import Settings

    if not SOURCE_PATH.exists():
        sys.exit("run `python -m benchmarks.realtimeqa` first: it builds the RealTimeQA store")
    source = PassageStore(
        Settings(_env_file=None, chroma_path=SOURCE_PATH, chroma_collection=SOURCE_COLLECTION)
    )
    small = PassageStore(scale_settings(SMALL))
    if small.count_passages() < SMALL_SIZE:
        t0 = time.perf_counter()
        copy_passages(source, small, SMALL_SIZE)
        print(
            f"built {SMALL}: {small.count_passages()} passages in {time.perf_counter() - t0:.0f} s"
        )
    if rebuild:
        for name in (BIG, BIG + "_articles", BIG + "_state"):
            with contextlib.suppress(Exception):  # not there yet
                small.client.delete_collection(name)
        shutil.rmtree(SCALE_PATH / "lexical" / BIG, ignore_errors=True)
    big = PassageStore(scale_settings(BIG))
    if big.count_passages() == 0:
        t0 = time.perf_counter()
        copy_passages(source, big, source.count_passages())
        print(
            f"{BIG}: {big.count_passages()} RealTimeQA passages in {time.perf_counter() - t0:.0f} s"
        )
