"""A store of one period's news (every document its RealTimeQA questions were shown), built
once through the real ingest pipeline and kept outside the repository for re-use.

    python -m benchmarks.period_store validation     # 2025: ~5.4k documents, ~1 h on 2 cores

Re-running skips what is stored (ingest is idempotent), so an interrupted build resumes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from pathlib import Path

from ingest import ingest_sources
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.reading.passages import Passage
from retrieval.reading.scorer import load_model
from retrieval.settings import Settings
from training import data

CACHE = Path(os.environ.get("NEWSBOT_BENCH_CACHE", Path.home() / ".cache" / "newsbot-bench"))


def publisher(url: str) -> str:
    return re.sub(r"^www\d?\.|^edition\.", "", url.split("/")[2]) if "://" in url else ""


def settings_for(split: str) -> Settings:
    return Settings(
        _env_file=None, chroma_path=CACHE / split / "chroma", chroma_collection=f"rtqa_{split}"
    )


def bulk_records(split: str) -> list[dict]:
    """The period's documents as `news-ingest` reads a JSON-lines file."""
    return [
        {
            "url": d["url"],
            "title": d["title"],
            "text": d["text"],
            "published": d["published"],
            "authors": d["authors"],
            "source": publisher(d["url"]),
        }
        for d in data.period_documents(split)
    ]


def build(split: str) -> NewsEngine:
    settings = settings_for(split)
    engine = NewsEngine(settings)
    records = bulk_records(split)
    with tempfile.TemporaryDirectory() as tmp:
        bulk = Path(tmp) / f"{split}.jsonl"
        bulk.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
        t0 = time.perf_counter()
        report = ingest_sources([str(bulk)], engine.store, engine.embedder, settings, progress=True)
    print(
        f"{split}: {len(records)} documents, {report.articles_added} added, "
        f"{report.articles_unchanged} already stored, {len(report.failed)} rejected; "
        f"{engine.store.count_passages()} passages ({time.perf_counter() - t0:.0f} s)",
        flush=True,
    )
    return engine


def prepare_reading(engine: NewsEngine, queries: list[Query]) -> int:
    """Parse and embed the sentences of the passages each question reads, as ingest does for
    every passage it stores: a store built before a reading stage existed (or with
    `PARSE_AT_INGEST=false`) would otherwise make them while answers are timed. Returns how
    many sentences were parsed anew."""
    depth = load_model().passages_read
    made = 0
    for query in queries:
        hits = engine.search(query)[:depth]
        passages = [Passage(h.text, h.title, h.article_id) for h in hits]
        made += engine.parses.prefill(passages)
        engine.sentence_vectors.prefill(passages, engine.embed_texts)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split", choices=data.SPLITS)
    build(parser.parse_args().split)


if __name__ == "__main__":
    main()
