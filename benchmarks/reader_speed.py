"""How long a question takes through the whole engine, with its sentences' parses read from
ingest's file or parsed when asked, beside the plain hybrid search, question by question.

    python -m benchmarks.reader_speed validation --through 20250620 [--limit 150]

Runs over a period store (benchmarks/period_store.py). Each question is asked three ways in
turn, so a busy machine slows all three alike: the hybrid search alone (the baseline), the
engine reading parses kept at ingest, and the engine parsing every sentence it reads. Before
the timed questions, the parses of the passages each question reads are made as ingest makes
them for new articles (a store built before parsing at ingest has none). The timed asks of
the parsing configuration use an empty in-memory parse cache each time.
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks.period_store import prepare_reading, settings_for
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.reading.parse_store import ParseStore
from retrieval.reading.sentence_vectors import SentenceVectors
from training import data


def timed(engine: NewsEngine, run) -> float:
    """One call's milliseconds, the question's vector not yet cached (as when first asked)."""
    engine.forget_vectors()
    t0 = time.perf_counter()
    run()
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split", nargs="?", default="validation", choices=data.SPLITS)
    parser.add_argument("--through", default="", help="only the weeks up to YYYYMMDD")
    parser.add_argument("--limit", type=int, default=150, help="questions timed")
    args = parser.parse_args()
    engine = NewsEngine(settings_for(args.split))
    engine.lexical.current()
    questions = [
        q
        for q in data.questions(args.split)
        if q.results and (not args.through or q.qid[:8] <= args.through)
    ][: args.limit]
    queries = [Query(q.text, k=10, as_of=q.as_of) for q in questions]
    print(f"{prepare_reading(engine, queries)} sentences parsed as ingest parses them", flush=True)
    kept = engine.parses, engine.sentence_vectors
    engine.ask(queries[0])  # models loaded outside the timings
    ms: dict[str, list[float]] = {
        "hybrid search alone": [],
        "parses and sentence vectors from ingest": [],
        "made when asked": [],
    }
    for query in queries:
        ms["hybrid search alone"].append(timed(engine, lambda q=query: engine.search(q)))
        engine.parses, engine.sentence_vectors = kept
        ms["parses and sentence vectors from ingest"].append(
            timed(engine, lambda q=query: engine.ask(q))
        )
        engine.parses = ParseStore(None)
        engine.sentence_vectors = SentenceVectors(None, engine.embedder.identity)
        ms["made when asked"].append(timed(engine, lambda q=query: engine.ask(q)))
    engine.parses, engine.sentence_vectors = kept
    base = statistics.median(ms["hybrid search alone"])
    passages = engine.store.count_passages()
    print(f"{len(queries)} questions, {passages} passages, 2 cores; interleaved per question")
    print("| configuration | p50 ms | p95 ms | p50 vs hybrid search |")
    print("| --- | --- | --- | --- |")
    for name, values in ms.items():
        values.sort()
        p50, p95 = statistics.median(values), values[int(0.95 * (len(values) - 1))]
        print(f"| {name} | {p50:.0f} | {p95:.0f} | {p50 / base:.2f}x |")


if __name__ == "__main__":
    main()
