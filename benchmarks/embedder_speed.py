"""Cold start and ingest throughput, ONNX against torch, measured in the same run.

    python -m benchmarks.embedder_speed [--articles 100] [--runs 3]

- cold start: a fresh `news-ask` command answering one question over the seed store
  (the seed article and the samples, stored by a `news-ingest` command, so that this
  process, whose memory a child's peak includes until it starts the command, stays
  small), wall time to its exit, best of `--runs`, the two backends interleaved (target
  for ONNX: <= 1.5 s), and its peak memory; and `news-ask --help`;
- ingest: the whole pipeline (parse, split, attribute, embed, write to an on-disk Chroma,
  and parse and embed sentences for the reader when PARSE_AT_INGEST is on, as by default;
  the "bulk pipeline" with it off)
  over the first `--articles` BBC articles with each backend, as a rate relative to raw
  torch `model.encode` over exactly the passages the pipeline produced; each the best of
  `--repeats`, the backends taking turns (target for ONNX: >= 2.0x).
Writes benchmarks/results/embedder_speed.json. Other work on the machine slows both
backends alike only when it is steady: the load average is recorded beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, shared, table
from ingest.pipeline import Ingestor
from ingest.sources import LoadOptions, load_source
from retrieval.search.embedder import Embedder
from retrieval.search.store import PassageStore
from retrieval.settings import Settings

RESULTS = REPO / "benchmarks" / "results" / "embedder_speed.json"
QUESTION = "How many Cuban officers were killed?"
BACKENDS = ("torch", "onnx")


def _settings(folder: Path, backend: str = "onnx") -> Settings:
    return Settings(
        _env_file=None,
        chroma_path=folder / "chroma",
        chroma_collection="bench",
        embedder_backend=backend,
    )


def _command(name: str, module: str) -> list[str]:
    """A command as users run it: its console script beside this interpreter."""
    script = Path(sys.executable).with_name(name)
    return [str(script)] if script.is_file() else [sys.executable, "-m", module]


def _ask(env: dict[str, str], *argv: str) -> tuple[float, int]:
    """Wall seconds of a fresh `news-ask`, to its exit, and its peak resident memory in MB."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        ask = _command("news-ask", "retrieval.cli")
        child = subprocess.Popen([*ask, *argv], env=env, cwd=REPO, stdout=out, stderr=out)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            out.seek(0)
            raise RuntimeError(f"news-ask {argv} failed: {out.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss // 1024


def cold_start(runs: int) -> dict[str, float]:
    """Best wall time of a fresh `news-ask` per backend, and of `--help`; peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        store = {"CHROMA_PATH": str(Path(tmp) / "chroma"), "CHROMA_COLLECTION": "bench"}
        inputs = [str(shared("seed")), str(REPO / "samples")]
        ingest = _command("news-ingest", "ingest")
        subprocess.run([*ingest, "-q", *inputs], env={**os.environ, **store}, check=True)
        best: dict[str, float] = {b: float("inf") for b in (*BACKENDS, "help")}
        for _ in range(runs):
            for backend in BACKENDS:
                env = {**os.environ, **store, "EMBEDDER_BACKEND": backend}
                seconds, peak_mb = _ask(env, QUESTION)
                best[backend] = min(best[backend], seconds)
                best[f"{backend} peak MB"] = peak_mb
            best["help"] = min(best["help"], _ask(dict(os.environ), "--help")[0])
    return best


def ingest_rates(articles: int, repeats: int) -> dict[str, float]:
    """Passages per second, best of `repeats` (the order alternating): the pipeline with
    each backend, and each encoder alone on the passages the pipeline produced."""
    files = sorted(str(p) for p in shared("bbc").rglob("*.txt"))[:articles]
    embedders = {b: Embedder(backend=b) for b in BACKENDS}
    for embedder in embedders.values():
        embedder.encode(["warm up"])
    texts = _passages(files, embedders["onnx"])
    st_model = embedders["torch"].model  # the SentenceTransformer itself
    raw = {
        "raw torch": lambda: st_model.encode(texts, batch_size=32),
        "raw onnx": lambda: embedders["onnx"].encode(texts),
    }
    best: dict[str, float] = {}
    for turn in range(repeats):
        order = BACKENDS if turn % 2 == 0 else BACKENDS[::-1]
        for backend in order:
            for kind, prepare in (("pipeline", True), ("bulk pipeline", False)):
                rate = _pipeline_rate(files, embedders[backend], prepare)
                best[f"{kind} {backend}"] = max(best.get(f"{kind} {backend}", 0.0), rate)
            name = f"raw {backend}"
            started = time.perf_counter()
            raw[name]()
            rate = len(texts) / (time.perf_counter() - started)
            best[name] = max(best.get(name, 0.0), rate)
    best["passages"] = len(texts)
    return best


def _pipeline_rate(files: list[str], embedder: Embedder, prepare: bool) -> float:
    """Passages per second through the whole pipeline; `prepare`: sentences parsed and
    embedded for the reader too (PARSE_AT_INGEST, the default), else left to questions."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = _settings(Path(tmp), embedder.backend).model_copy(
            update={"parse_at_ingest": prepare}
        )
        report = Ingestor(PassageStore(settings), embedder, settings).run(files, LoadOptions())
    return report.passages / report.seconds


def _passages(files: list[str], embedder: Embedder) -> list[str]:
    ingestor = Ingestor(None, embedder, Settings(_env_file=None))  # type: ignore[arg-type]
    texts: list[str] = []
    for f in files:
        for item in load_source(f, LoadOptions()):
            if not isinstance(item, Exception):
                texts.extend(ingestor.passages_of(item)[1])
    return list(dict.fromkeys(texts))  # the pipeline stores duplicates once, too


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3, help="fresh news-ask runs per backend")
    parser.add_argument("--repeats", type=int, default=2, help="ingest runs per backend")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    cold = cold_start(args.runs)
    rates = ingest_rates(args.articles, args.repeats)
    raw = rates["raw torch"]
    print(
        table(
            ["measure", "torch", "onnx", "onnx / torch"],
            [
                [
                    f"news-ask cold, best of {args.runs} (s)",
                    f"{cold['torch']:.2f}",
                    f"{cold['onnx']:.2f}",
                    f"{cold['onnx'] / cold['torch']:.2f}",
                ],
                *[
                    [
                        f"{kind} (passages/s; x raw torch)",
                        f"{rates[f'{kind} torch']:.1f} ({rates[f'{kind} torch'] / raw:.2f}x)",
                        f"{rates[f'{kind} onnx']:.1f} ({rates[f'{kind} onnx'] / raw:.2f}x)",
                        f"{rates[f'{kind} onnx'] / rates[f'{kind} torch']:.2f}",
                    ]
                    for kind in ("pipeline", "bulk pipeline", "raw")
                ],
            ],
        )
    )
    print(
        f"news-ask --help: {cold['help']:.2f} s; peak memory of news-ask: torch "
        f"{cold['torch peak MB']:.0f} MB, onnx {cold['onnx peak MB']:.0f} MB; "
        f"{int(rates['passages'])} BBC passages"
    )
    report = {
        "cold_start_s": {k: round(v, 2) for k, v in cold.items() if "MB" not in k},
        "news_ask_peak_mb": {b: int(cold[f"{b} peak MB"]) for b in BACKENDS},
        "passages_per_s": {k: round(v, 1) for k, v in rates.items() if k != "passages"},
        "ingest_vs_raw_torch": {b: round(rates[f"pipeline {b}"] / raw, 2) for b in BACKENDS},
        "bulk_ingest_vs_raw_torch": {
            b: round(rates[f"bulk pipeline {b}"] / raw, 2) for b in BACKENDS
        },
        "passages": int(rates["passages"]),
        "parse_at_ingest": Settings(_env_file=None).parse_at_ingest,
        "articles": args.articles,
        "repeats": args.repeats,
        "cpus": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "targets": {"cold_start_onnx_s": 1.5, "ingest_onnx_vs_raw_torch": 2.0},
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
