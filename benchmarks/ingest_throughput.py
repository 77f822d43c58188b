"""Ingest throughput on the BBC corpus vs the raw encoder on the same passages, same run.

    python -m benchmarks.ingest_throughput [--limit N]

The pipeline (parse, split, attribute, embed, write to an on-disk Chroma) is timed end to end
from cold files; then `model.encode` alone is timed on exactly the passages it produced. The
target is a ratio of at least 0.90.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.common import shared, table
from ingest.pipeline import Ingestor
from ingest.sources import LoadOptions, load_source
from retrieval.search.embedder import Embedder
from retrieval.search.store import PassageStore
from retrieval.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="first N articles only")
    args = parser.parse_args()
    files = sorted(str(p) for p in shared("bbc").rglob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None, chroma_path=Path(tmp) / "chroma", chroma_collection="bench"
        )
        embedder = Embedder(settings.embedding_model, settings.embed_batch_size)
        embedder.encode(["warm up"])
        ingestor = Ingestor(PassageStore(settings), embedder, settings)

        report = ingestor.run(files, LoadOptions())
        pipeline_s = report.seconds
        articles = report.articles_added

        texts: list[str] = []
        for f in files:
            for item in load_source(f, LoadOptions()):
                if not isinstance(item, Exception):
                    texts.extend(ingestor.passages_of(item)[1])
        texts = list(dict.fromkeys(texts))  # the pipeline stored duplicates once, too
        started = time.perf_counter()
        embedder.encode(texts)
        raw_s = time.perf_counter() - started

    pipe_rate = report.passages / pipeline_s
    raw_rate = len(texts) / raw_s
    print(
        f"BBC corpus: {len(files)} files, {articles} distinct articles stored, "
        f"{report.passages} passages ({len(texts)} re-encoded raw)"
    )
    print(
        table(
            ["measure", "passages", "seconds", "passages/s", "articles/s"],
            [
                [
                    "ingest pipeline",
                    report.passages,
                    f"{pipeline_s:.1f}",
                    f"{pipe_rate:.1f}",
                    f"{articles / pipeline_s:.2f}",
                ],
                ["raw model.encode", len(texts), f"{raw_s:.1f}", f"{raw_rate:.1f}", ""],
            ],
        )
    )
    print(f"pipeline / raw encode throughput: {pipe_rate / raw_rate:.3f} (target >= 0.90)")


if __name__ == "__main__":
    main()
