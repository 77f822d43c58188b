"""Whole-answer latency with each embedder, over one store, in the same run.

    python -m benchmarks.embedder_latency [--articles 300] [--questions 100]

The first `--articles` RealTimeQA 2023-2025 articles are ingested (ONNX embedder) into a
temporary on-disk store; the same store is then asked the first `--questions` 2023-2025
questions by two engines, one per backend, taking turns question by question (a store
may be searched by either backend of the same model, see docs/embedder.md). Each engine
answers one question first, unmeasured, so model loading is not counted. Prints p50/p95
of `engine.ask` per backend; writes benchmarks/results/embedder_latency.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, shared, table
from ingest import ingest_sources
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.search.embedder import Embedder
from retrieval.search.store import PassageStore
from retrieval.settings import Settings

RESULTS = REPO / "benchmarks" / "results" / "embedder_latency.json"
BACKENDS = ("torch", "onnx")


def _first_lines(path: Path, n: int) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as src:
        return [line for _, line in zip(range(n), src, strict=False)]


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()
    corpus = shared("realtimeqa-2023-2025/corpus.jsonl.gz")
    rows = [
        json.loads(x)
        for x in _first_lines(shared("realtimeqa-2023-2025/questions.jsonl.gz"), args.questions + 1)
    ]
    asked = [r["question_sentence"] for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        bulk = Path(tmp) / "articles.jsonl"
        bulk.write_text("".join(_first_lines(corpus, args.articles)), encoding="utf-8")
        settings = Settings(
            _env_file=None, chroma_path=Path(tmp) / "chroma", chroma_collection="bench"
        )
        store = PassageStore(settings)
        ingest_sources([str(bulk)], store, Embedder(), settings)
        engines = {
            b: NewsEngine(settings, store=store, embedder=Embedder(backend=b)) for b in BACKENDS
        }
        for engine in engines.values():
            engine.ask(Query(asked[0]))  # loads the models; not measured
        times: dict[str, list[float]] = {b: [] for b in BACKENDS}
        for n, question in enumerate(asked[1:]):
            for backend in BACKENDS if n % 2 == 0 else BACKENDS[::-1]:
                started = time.perf_counter()
                engines[backend].ask(Query(question))
                times[backend].append(1000 * (time.perf_counter() - started))
        passages = store.count_passages()
    result = {b: {"p50_ms": round(_p(t, 50)), "p95_ms": round(_p(t, 95))} for b, t in times.items()}
    print(f"{passages} passages from {args.articles} articles, {len(asked) - 1} questions")
    print(
        table(
            ["backend", "p50 ms", "p95 ms"],
            [[b, r["p50_ms"], r["p95_ms"]] for b, r in result.items()],
        )
    )
    report = {
        "passages": passages,
        "questions": len(asked) - 1,
        "ask_ms": result,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
