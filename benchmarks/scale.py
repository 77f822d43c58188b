"""Speed and memory at 10,000 and 100,000 passages: ingest, queries (embedded and server
mode) and the Discord bot under load.

    python -m benchmarks.scale                 # every phase, in separate processes
    python -m benchmarks.scale --phase query   # one phase (build must have run)

How the 100,000 passages are made: the RealTimeQA store of `benchmarks.realtimeqa` (its
76,222 passages and their embeddings, cached in benchmarks/.cache/realtimeqa) is copied into
a new collection; the BBC corpus (9,927 passages) is then ingested into it through the real
pipeline (that run is the ingest measurement); finally RealTimeQA passages are copied again
with distinct ids (`<id>~r1`, article `<article>~r1`) until the collection holds 100,000.
The 10,000-passage collection is the first 10,000 RealTimeQA passages. Copies keep their
embeddings, so building costs minutes, not hours.

Phases (each in its own process, so peak RSS is per phase):
- build: the two collections (cached in benchmarks/.cache/scale; skipped when present);
- ingest: the BBC ingest into the large collection vs `model.encode` of the same passages;
- query: p50/p95 of retrieval alone (`engine.search`) and of a full answer (`engine.ask`)
  over RealTimeQA questions, at 10k and 100k, embedded and through a `chroma run` server;
- bot: 20 concurrent /ask through the loopback stand-in Discord (tests/discord_standin.py),
  answers/s and the event loop's worst lag, at 100k.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from benchmarks.common import REPO, shared, table
from benchmarks.scale_store import (
    BIG,
    CACHE,
    SCALE_PATH,
    SMALL,
    SOURCE_COLLECTION,
    SOURCE_PATH,
    TARGET,
    copy_passages,
    phase_build,
    scale_settings,
)

if TYPE_CHECKING:
    from benchmarks.realtimeqa import Question
    from retrieval.engine import NewsEngine


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _emit(record: dict) -> None:
    print("RESULT " + json.dumps(record), flush=True)


def phase_ingest() -> None:
    """BBC into the large collection through the pipeline, then raw encode of the same texts."""
    from ingest.pipeline import Ingestor
    from ingest.sources import LoadOptions, load_source
    from retrieval.search.embedder import Embedder
    from retrieval.search.store import PassageStore

    settings = scale_settings(BIG)
    store = PassageStore(settings)
    before = store.count_passages()
    embedder = Embedder(settings.embedding_model, settings.embed_batch_size)
    embedder.encode(["warm up"])
    files = sorted(str(p) for p in shared("bbc").rglob("*.txt"))
    ingestor = Ingestor(store, embedder, settings)
    report = ingestor.run(files, LoadOptions())
    texts: list[str] = []
    for f in files:
        for item in load_source(f, LoadOptions()):
            if not isinstance(item, Exception):
                texts.extend(ingestor.passages_of(item)[1])
    texts = list(dict.fromkeys(texts))
    started = time.perf_counter()
    embedder.encode(texts)
    raw_s = time.perf_counter() - started
    _emit(
        {
            "phase": "ingest",
            "store_before": before,
            "passages": report.passages,
            "pipeline_rate": report.passages / report.seconds if report.seconds else 0,
            "raw_rate": len(texts) / raw_s,
            "peak_rss_mb": _peak_rss_mb(),
        }
    )
    # Replicas up to the target size (after the measurement, so it is not counted).
    from retrieval.settings import Settings

    source = PassageStore(
        Settings(_env_file=None, chroma_path=SOURCE_PATH, chroma_collection=SOURCE_COLLECTION)
    )
    missing = TARGET - store.count_passages()
    if missing > 0:
        copy_passages(source, store, missing, suffix="~r1")
    print(f"{BIG}: {store.count_passages()} passages", flush=True)


# -- queries -------------------------------------------------------------------------------
def _questions(n: int) -> list[Question]:
    from benchmarks.realtimeqa import load

    questions, _ = load(0)
    step = max(1, len(questions) // n)
    return questions[::step][:n]


def _measure(engine: NewsEngine, questions: list[Question]) -> dict[str, float]:
    from retrieval.question.query import Query

    engine.lexical.current()  # BM25 built or loaded outside the timings
    for q in questions[:10]:
        # Warm caches and code paths: with 3 warm-up questions the first setup measured
        # (10k, embedded) still paid for loading its index, a p95 above the 100k one.
        engine.ask(Query(q.text, as_of=q.as_of))
    search_ms, ask_ms = [], []
    for q in questions:
        query = Query(q.text, as_of=q.as_of)
        engine.forget_vectors()  # each timing embeds its question anew
        t0 = time.perf_counter()
        engine.search(query)
        search_ms.append((time.perf_counter() - t0) * 1000)
        engine.forget_vectors()
        t0 = time.perf_counter()
        engine.ask(query)
        ask_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "search_p50": statistics.median(search_ms),
        "search_p95": statistics.quantiles(search_ms, n=20)[18],
        "ask_p50": statistics.median(ask_ms),
        "ask_p95": statistics.quantiles(ask_ms, n=20)[18],
    }


def phase_query(n: int) -> None:
    from retrieval.engine import NewsEngine
    from retrieval.search.embedder import Embedder

    questions = _questions(n)
    embedder = Embedder()
    embedder.encode(["warm up"])
    for collection in (SMALL, BIG):
        engine = NewsEngine(scale_settings(collection), embedder=embedder)
        size = engine.store.count_passages()
        _emit(
            {"phase": "query", "mode": "embedded", "passages": size, **_measure(engine, questions)}
        )
    _release_embedded()
    sys.path.insert(0, str(REPO))
    from tests.chroma_server import ChromaServer, free_port

    server = ChromaServer(path=SCALE_PATH, port=free_port(), log=CACHE / "scale" / "server.log")
    server.start(timeout=300)
    try:
        for collection in (SMALL, BIG):
            settings = scale_settings(collection, chroma_host="127.0.0.1", chroma_port=server.port)
            engine = NewsEngine(settings, embedder=embedder)
            size = engine.store.count_passages()
            _emit(
                {
                    "phase": "query",
                    "mode": "server",
                    "passages": size,
                    **_measure(engine, questions),
                }
            )
    finally:
        server.stop()


def _release_embedded() -> None:
    """Close this process's embedded clients before a server opens the same directory."""
    import gc

    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    gc.collect()


# -- the bot -------------------------------------------------------------------------------
def phase_bot(concurrent: int) -> None:
    sys.path.insert(0, str(REPO))
    asyncio.run(_bot(concurrent))


async def _bot(concurrent: int) -> None:
    import yarl
    from discord.gateway import DiscordWebSocket

    from bot.app import create_bot
    from bot.config import BotSettings
    from retrieval.engine import NewsEngine
    from tests.discord_standin import TOKEN, StandInServer
    from tests.test_bot_transport import LoopLag, _wait_for

    questions = [q.text for q in _questions(concurrent)]
    with StandInServer(heartbeat_ms=1000) as standin:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway)
        settings = BotSettings(
            _env_file=None,
            chroma_path=SCALE_PATH,
            chroma_collection=BIG,
            discord_api_base=standin.base,
            guild_concurrency=concurrent,
            ask_cooldown_rate=1000,
            feedback_log=str(CACHE / "scale" / "feedback.jsonl"),
        )
        engine = NewsEngine(settings)
        engine.embed_query("warm up")
        engine.lexical.current()
        bot = create_bot(engine=engine, settings=settings)
        bot._connection.guild_ready_timeout = 0.05
        runner = asyncio.create_task(bot.start(TOKEN))
        await _wait_for(bot.is_ready, 120, runner)
        warm = standin.ask("Who won the election?")
        await _wait_for(lambda: standin.answers(warm), 120, runner)
        with LoopLag() as lag:
            t0 = time.perf_counter()
            tokens = [standin.ask(q, user_id=5000 + i) for i, q in enumerate(questions)]
            await _wait_for(lambda: all(standin.answers(t) for t in tokens), 600, runner)
            elapsed = time.perf_counter() - t0
        _emit(
            {
                "phase": "bot",
                "passages": engine.store.count_passages(),
                "questions": len(tokens),
                "seconds": elapsed,
                "answers_per_s": len(tokens) / elapsed,
                "max_lag_ms": lag.worst * 1000,
                "peak_rss_mb": _peak_rss_mb(),
            }
        )
        await bot.close()
        await asyncio.gather(runner, return_exceptions=True)


# -- driver --------------------------------------------------------------------------------
def _run_phase(phase: str, extra: list[str]) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", "--phase", phase, *extra],
        capture_output=True,
        text=True,
        env=env,
    )
    sys.stderr.write(proc.stderr[-3000:] if proc.returncode else "")
    out = [json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    for line in proc.stdout.splitlines():
        print(line, flush=True)
    if proc.returncode:
        sys.exit(f"phase {phase} failed ({proc.returncode})")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phase", choices=["build", "ingest", "query", "bot"])
    parser.add_argument("--questions", type=int, default=100, help="questions timed per setup")
    parser.add_argument("--concurrent", type=int, default=20, help="questions sent to the bot")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild the 100k collection (to measure ingest again)",
    )
    parser.add_argument("--skip", default="", help="phases to skip, comma-separated")
    args = parser.parse_args()
    if args.phase == "build":
        return phase_build(args.rebuild)
    if args.phase == "ingest":
        return phase_ingest()
    if args.phase == "query":
        return phase_query(args.questions)
    if args.phase == "bot":
        return phase_bot(args.concurrent)

    _run_phase("build", ["--rebuild"] if args.rebuild else [])
    skip = set(args.skip.split(","))
    from retrieval.settings import Settings  # noqa: F401 - import check before long phases

    results = []
    big_size = 0
    try:
        from retrieval.search.store import PassageStore

        big_size = PassageStore(scale_settings(BIG)).count_passages()
        _release_embedded()
    except Exception:  # noqa: BLE001 - only decides whether to ingest again
        big_size = 0
    if big_size < TARGET and "ingest" not in skip:
        results += _run_phase("ingest", [])
    if "query" not in skip:
        results += _run_phase("query", ["--questions", str(args.questions)])
    if "bot" not in skip:
        results += _run_phase("bot", ["--concurrent", str(args.concurrent)])
    report(results)


def report(results: list[dict]) -> None:
    for r in results:
        if r["phase"] == "ingest":
            print(
                f"\nIngest (BBC into a store of {r['store_before']:,} passages): "
                f"{r['passages']:,} passages, pipeline {r['pipeline_rate']:.1f}/s vs raw encode "
                f"{r['raw_rate']:.1f}/s = ratio {r['pipeline_rate'] / r['raw_rate']:.3f}; "
                f"peak RSS {r['peak_rss_mb']:.0f} MB"
            )
    rows = [
        [
            r["mode"],
            f"{r['passages']:,}",
            f"{r['search_p50']:.0f}",
            f"{r['search_p95']:.0f}",
            f"{r['ask_p50']:.0f}",
            f"{r['ask_p95']:.0f}",
        ]
        for r in results
        if r["phase"] == "query"
    ]
    if rows:
        print("\nQuery latency (ms)")
        print(
            table(
                ["mode", "passages", "retrieval p50", "retrieval p95", "answer p50", "answer p95"],
                rows,
            )
        )
    for r in results:
        if r["phase"] == "bot":
            print(
                f"\nBot at {r['passages']:,} passages: {r['questions']} concurrent /ask "
                f"answered in {r['seconds']:.1f} s = {r['answers_per_s']:.2f} answers/s; "
                f"worst event-loop lag {r['max_lag_ms']:.0f} ms; peak RSS {r['peak_rss_mb']:.0f} MB"
            )


if __name__ == "__main__":
    main()
