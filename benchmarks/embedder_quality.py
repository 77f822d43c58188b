"""How close the int8 ONNX embedder's vectors are to torch's fp32 run of the same model.

    python -m benchmarks.embedder_quality [--passages 2000] [--questions 200]

Real passages: the RealTimeQA 2023-2025 articles, cut into passages as ingest cuts them
(title in front), in corpus order until there are `--passages`. Each backend embeds them
in the same run; printed per ONNX recipe:
- cosine of each passage's ONNX vector to its torch vector (mean and min; target mean >= 0.99);
- top-10 overlap: the 2023-2025 questions searched, densely, over those passages; the share
  of torch's ten nearest passages that the ONNX vectors also put in their ten (target >= 0.9);
- encode rate of each, relative to torch (the backends take turns, chunk by chunk).
Writes benchmarks/results/embedder_quality.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import REPO, shared, table
from ingest.pipeline import Ingestor
from ingest.sources import LoadOptions, load_source
from retrieval.search.embedder import Embedder
from retrieval.search.onnx_files import DEFAULT_RECIPE, RECIPES
from retrieval.search.onnx_model import OnnxMiniLM, locate
from retrieval.settings import Settings

RESULTS = REPO / "benchmarks" / "results" / "embedder_quality.json"


def passages(limit: int) -> list[str]:
    """The first `limit` passages of the corpus, as the pipeline embeds them."""
    ingestor = Ingestor(None, Embedder(), Settings(_env_file=None))  # type: ignore[arg-type]
    texts: list[str] = []
    with (
        gzip.open(shared("realtimeqa-2023-2025/corpus.jsonl.gz"), "rt", encoding="utf-8") as src,
        tempfile.TemporaryDirectory() as tmp,
    ):
        while len(texts) < limit:
            batch = [line for _, line in zip(range(50), src, strict=False)]
            if not batch:
                break
            part = Path(tmp) / "part.jsonl"
            part.write_text("".join(batch), encoding="utf-8")
            for item in load_source(str(part), LoadOptions()):
                if not isinstance(item, Exception):
                    texts.extend(ingestor.passages_of(item)[1])
    return list(dict.fromkeys(texts))[:limit]


def questions(limit: int) -> list[str]:
    path = shared("realtimeqa-2023-2025/questions.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as src:
        rows = [json.loads(line) for _, line in zip(range(limit), src, strict=False)]
    return [r["question_sentence"] for r in rows]


def embedder_for(recipe: str) -> Embedder:
    embedder = Embedder(backend="onnx")
    embedder._model = OnnxMiniLM(locate(recipe=recipe))  # this recipe, not the default
    return embedder


def encode_interleaved(
    embedders: dict[str, Embedder], texts: list[str], chunk: int = 200
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Every embedder encodes the same chunks in turn (the order rotating), so work from
    elsewhere on a shared machine slows all of them alike; vectors and passages/s each."""
    for embedder in embedders.values():
        embedder.encode(texts[:4])  # loaded and warm before the clock starts
    names = list(embedders)
    parts: dict[str, list[np.ndarray]] = {n: [] for n in names}
    seconds = dict.fromkeys(names, 0.0)
    for turn, lo in enumerate(range(0, len(texts), chunk)):
        for name in names[turn % len(names) :] + names[: turn % len(names)]:
            started = time.perf_counter()
            parts[name].append(embedders[name].encode(texts[lo : lo + chunk]))
            seconds[name] += time.perf_counter() - started
    vectors = {n: np.concatenate(parts[n]) for n in names}
    return vectors, {n: len(texts) / seconds[n] for n in names}


def top10(queries: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    return np.argsort(-(queries @ corpus.T), axis=1)[:, :10]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passages", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    texts, asked = passages(args.passages), questions(args.questions)
    print(f"{len(texts)} passages, {len(asked)} questions (RealTimeQA 2023-2025)")
    embedders = {"torch": Embedder(backend="torch")}
    embedders.update({recipe: embedder_for(recipe) for recipe in RECIPES})
    vectors, rates = encode_interleaved(embedders, texts)
    ref, torch_rate = vectors["torch"], rates["torch"]
    ref_top = top10(embedders["torch"].encode(asked), ref)
    rows, results = [["torch fp32", "1.000", "1.000", "1.00", f"{torch_rate:.1f}", "1.00x"]], {}
    for recipe in RECIPES:
        embedder, rate = embedders[recipe], rates[recipe]
        cosines = (vectors[recipe] * ref).sum(axis=1)
        got = top10(embedder.encode(asked), vectors[recipe])
        overlap = float(
            np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, ref_top, strict=True)])
        )
        name = embedder.identity
        results[recipe] = {
            "identity": name,
            "default": recipe == DEFAULT_RECIPE,
            "cosine_mean": round(float(cosines.mean()), 4),
            "cosine_min": round(float(cosines.min()), 4),
            "top10_overlap": round(overlap, 3),
            "passages_per_s": round(rate, 1),
            "rate_vs_torch": round(rate / torch_rate, 2),
        }
        r = results[recipe]
        rows.append(
            [
                name,
                f"{r['cosine_mean']:.4f}",
                f"{r['cosine_min']:.4f}",
                f"{overlap:.3f}",
                f"{rate:.1f}",
                f"{r['rate_vs_torch']:.2f}x",
            ]
        )
    print(
        table(["embedder", "cosine mean", "cosine min", "top-10 overlap", "/s", "vs torch"], rows)
    )
    report = {
        "passages": len(texts),
        "questions": len(asked),
        "torch_passages_per_s": round(torch_rate, 1),
        "onnx": results,
        "targets": {"cosine_mean": 0.99, "top10_overlap": 0.9},
    }
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
