"""Speed and memory at 10,000 and 100,000 passages: ingest, queries (embedded and server
mode) and the Discord bot under load.

    python -m benchmarks.scale                 # every phase, in separate processes
    python -m benchmarks.scale --phase query   # one phase (build must have run)
    python -m benchmarks.scale --source validation --skip ingest --questions 50

The 100,000 passages: the store of `benchmarks.realtimeqa` (76,222 passages) is copied
with its embeddings (minutes, not hours), the BBC corpus (9,927 passages) ingested into it
through the pipeline (the ingest measurement), then copies with distinct ids (`<id>~r1`)
fill it to 100,000. The 10,000-passage collection holds the first 10,000 copied.

Phases (each in its own process, so peak RSS is per phase):
- build: the two collections (cached in benchmarks/.cache/scale*; skipped when present), the
  source's sentence parses and the BM25 indexes;
- ingest: the BBC ingest into the large collection vs `model.encode` of the same passages;
- query: p50/p95 of retrieval (`engine.search`) and of a full answer (`engine.ask`) at 10k
  and 100k (`--sizes`), embedded and through a `chroma run` server;
- bot: 20 concurrent /ask through the loopback stand-in Discord (tests/discord_standin.py),
  answers/s, the event loop's worst lag and peak RSS (the bot's, and that of the process
  an embedded store answers from, as `news-bot` runs it), at 100k.

Query and bot run once per embedder backend (`--backends torch,onnx`, each in its own
process with EMBEDDER_BACKEND set); figures are printed beside the first backend's from the
same run, so a comparison never spans two runs of a shared machine. `--source validation`
copies the 2025 store of `benchmarks.period_store` (91,968 passages, topped up with copies)
and asks its questions (2022 questions, dated 2022, would filter out every 2025 passage).
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
from typing import TYPE_CHECKING, Any

from benchmarks.common import REPO, shared
from benchmarks.scale_report import report
from benchmarks.scale_store import (
    BIG,
    SMALL,
    SOURCES,
    TARGET,
    copy_passages,
    open_source,
    phase_build,
    scale_path,
    scale_settings,
)

if TYPE_CHECKING:
    from retrieval.engine import NewsEngine

SIZES = {"10k": SMALL, "100k": BIG}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _emit(record: dict) -> None:
    print("RESULT " + json.dumps(record), flush=True)


def phase_ingest(source: str) -> None:
    """BBC into the large collection through the pipeline, then raw encode of the same texts."""
    from ingest.pipeline import Ingestor
    from ingest.sources import LoadOptions, load_source
    from retrieval.search.embedder import Embedder
    from retrieval.search.store import PassageStore

    settings = scale_settings(BIG, source)
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
    missing = TARGET - store.count_passages()
    if missing > 0:
        copy_passages(open_source(source), store, missing, suffix="~r1")
    print(f"{BIG}: {store.count_passages()} passages", flush=True)


# -- queries -------------------------------------------------------------------------------
def _questions(n: int, source: str) -> list[Any]:
    """Questions of the source's own period (text and as-of date), spread over the set."""
    if source == "validation":
        from training.data import questions as period_questions

        questions: list[Any] = period_questions("validation")
    else:
        from benchmarks.realtimeqa import load

        questions, _ = load(0)
    step = max(1, len(questions) // n)
    return questions[::step][:n]


def _measure(mode: str, engine: NewsEngine, questions: list[Any]) -> dict:
    """One setup's record: retrieval and whole-answer latency over the questions."""
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
        "phase": "query",
        "backend": engine.embedder.backend,
        "mode": mode,
        "passages": engine.store.count_passages(),
        "search_p50": statistics.median(search_ms),
        "search_p95": statistics.quantiles(search_ms, n=20)[18],
        "ask_p50": statistics.median(ask_ms),
        "ask_p95": statistics.quantiles(ask_ms, n=20)[18],
    }


def phase_query(n: int, source: str, sizes: list[str]) -> None:
    """Latency per setup, with the embedder EMBEDDER_BACKEND names (the engines share it)."""
    from retrieval.engine import NewsEngine
    from retrieval.search.embedder import Embedder

    questions = _questions(n, source)
    collections = [SIZES[s] for s in sizes]
    base = scale_settings(BIG, source)
    embedder = Embedder(base.embedding_model, base.embed_batch_size, base.embedder_backend)
    embedder.encode(["warm up"])
    for collection in collections:
        engine = NewsEngine(scale_settings(collection, source), embedder=embedder)
        _emit(_measure("embedded", engine, questions))
    _release_embedded()
    sys.path.insert(0, str(REPO))
    from tests.chroma_server import ChromaServer, free_port

    path = scale_path(source)
    server = ChromaServer(path=path, port=free_port(), log=path.parent / "server.log")
    server.start(timeout=300)
    try:
        for collection in collections:
            settings = scale_settings(
                collection, source, chroma_host="127.0.0.1", chroma_port=server.port
            )
            engine = NewsEngine(settings, embedder=embedder)
            _emit(_measure("server", engine, questions))
    finally:
        server.stop()


def _release_embedded() -> None:
    """Close this process's embedded clients before a server opens the same directory."""
    import gc

    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    gc.collect()


# -- the bot -------------------------------------------------------------------------------
def phase_bot(concurrent: int, source: str) -> None:
    sys.path.insert(0, str(REPO))
    from bot.config import BotSettings
    from retrieval.search.lean import preload_reader_libraries

    preload_reader_libraries(BotSettings(_env_file=None))  # as `news-bot` starts
    asyncio.run(_bot(concurrent, source))


async def _bot(concurrent: int, source: str) -> None:
    import yarl
    from discord.gateway import DiscordWebSocket

    from bot.app import create_bot
    from bot.config import BotSettings
    from bot.store_process import close_store, open_bot_store
    from retrieval.engine import NewsEngine
    from tests.discord_standin import TOKEN, StandInServer
    from tests.test_bot_transport import LoopLag, _wait_for

    questions = [q.text for q in _questions(concurrent, source)]
    with StandInServer(heartbeat_ms=1000) as standin:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(standin.gateway)
        settings = BotSettings(
            _env_file=None,
            chroma_path=scale_path(source),
            chroma_collection=BIG,
            discord_api_base=standin.base,
            guild_concurrency=concurrent,
            ask_cooldown_rate=1000,
            feedback_log=str(scale_path(source).parent / "feedback.jsonl"),
        )
        # As `news-bot` opens it: an embedded store answers from a process of its own.
        store = open_bot_store(settings)
        engine = NewsEngine(settings, store=store)
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
        record = {
            "phase": "bot",
            "backend": engine.embedder.backend,
            "torch_loaded": "torch" in sys.modules,
            "passages": engine.store.count_passages(),
            "questions": len(tokens),
            "seconds": elapsed,
            "answers_per_s": len(tokens) / elapsed,
            "max_lag_ms": lag.worst * 1000,
            "peak_rss_mb": _peak_rss_mb(),
        }
        await bot.close()
        await asyncio.gather(runner, return_exceptions=True)
        close_store(store)  # its process ended: its peak is now among the children's
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    _emit({**record, "store_peak_rss_mb": children})


# -- driver --------------------------------------------------------------------------------
def _run_phase(phase: str, extra: list[str], backend: str | None = None) -> list[dict]:
    """One phase in a fresh process (its own peak RSS), with EMBEDDER_BACKEND when given."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if backend:
        env["EMBEDDER_BACKEND"] = backend
    out = []
    with subprocess.Popen(
        [sys.executable, "-m", "benchmarks.scale", "--phase", phase, *extra],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:  # shown as it comes: a phase runs for minutes
            print(line, end="", flush=True)
            if line.startswith("RESULT "):
                out.append(json.loads(line[7:]))
    if proc.returncode:
        sys.exit(f"phase {phase} failed ({proc.returncode})")
    return out


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phase", choices=["build", "ingest", "query", "bot"])
    parser.add_argument("--source", choices=SOURCES, default="realtimeqa", help="store copied")
    parser.add_argument("--questions", type=int, default=100, help="questions timed per setup")
    parser.add_argument("--concurrent", type=int, default=20, help="questions sent to the bot")
    parser.add_argument("--sizes", default="10k,100k", help="collections the query phase times")
    parser.add_argument(
        "--backends",
        default="torch,onnx",
        help="embedder backends for the query and bot phases; the first is the baseline",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="rebuild the 100k collection (to measure ingest again)",
    )
    parser.add_argument("--top-up", action="store_true", help="build: fill the 100k now")
    parser.add_argument("--skip", default="", help="phases to skip, comma-separated")
    return parser


def main() -> None:
    args = _parser().parse_args()
    source = args.source
    if args.phase == "build":
        return phase_build(args.rebuild, source, args.top_up)
    if args.phase == "ingest":
        return phase_ingest(source)
    if args.phase == "query":
        return phase_query(args.questions, source, args.sizes.split(","))
    if args.phase == "bot":
        return phase_bot(args.concurrent, source)

    skip = set(args.skip.split(","))
    build = ["--source", source] + (["--rebuild"] if args.rebuild else [])
    _run_phase("build", build + (["--top-up"] if "ingest" in skip else []))
    results = []
    if "ingest" not in skip and _big_size(source) < TARGET:
        results += _run_phase("ingest", ["--source", source])
    backends = args.backends.split(",")
    if "query" not in skip:
        extra = ["--source", source, "--questions", str(args.questions), "--sizes", args.sizes]
        for backend in backends:
            results += _run_phase("query", extra, backend)
    if "bot" not in skip:
        extra = ["--source", source, "--concurrent", str(args.concurrent)]
        for backend in backends:
            results += _run_phase("bot", extra, backend)
    report(results, backends[0])


def _big_size(source: str) -> int:
    """Passages in the large collection (0 when it cannot be read): decides on ingest."""
    try:
        from retrieval.search.store import PassageStore

        size = PassageStore(scale_settings(BIG, source)).count_passages()
        _release_embedded()
        return size
    except Exception:  # noqa: BLE001 - only decides whether to ingest again
        return 0


if __name__ == "__main__":
    main()
