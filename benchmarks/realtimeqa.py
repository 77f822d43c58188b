"""Retrieval and answer quality on RealTimeQA, for each stage of the engine.

    python -m benchmarks.realtimeqa [--weeks N] [--reset]

Indexes the gold articles (with text) plus every web-search result as distractors, through
the real ingest pipeline into an on-disk Chroma kept in benchmarks/.cache/ (re-runs reuse it:
ingest skips unchanged articles, so the ~20-minute embedding is paid once). Then asks every
question (without its choices) as of its question_date and reports, per configuration,
Recall@1/@5, MRR@10 of the gold article, answer accuracy (the correct choice's text is in the
answer and no wrong choice's is), the same for the answer's first part alone (what a reader
takes as the answer), abstention rate and latency.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from benchmarks.common import REPO, table
from benchmarks.realtimeqa_data import Question, canonical, load
from benchmarks.realtimeqa_data import small_slice as small_slice  # for the tests' slice
from ingest import ingest_sources
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.reading.scorer import load_model
from retrieval.search.rerank import FeatureReranker
from retrieval.settings import Settings

CACHE = REPO / "benchmarks" / ".cache" / "realtimeqa"


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def answer_correct(answer: str, q: Question) -> bool:
    text = f" {_norm(answer)} "
    right = f" {_norm(q.choices[q.answer])} "
    wrong = [f" {_norm(c)} " for i, c in enumerate(q.choices) if i != q.answer]
    return right in text and not any(w in text for w in wrong if w.strip())


def misspelt(text: str) -> str:
    """The question with one letter dropped from the middle of its longest lower-case run of
    seven letters or more ("recently" -> "recetly"), a typing slip that is easy to reproduce."""
    runs = re.findall(r"[a-z]{7,}", text)
    if not runs:
        return text
    word = max(runs, key=len)
    half = len(word) // 2
    return text.replace(word, word[:half] + word[half + 1 :], 1)


# The full engine again, each question typed as Discord users often do: in lower case, in
# lower case after the capital a phone puts first, or with a word misspelt.
TYPED = {
    "full engine, lower case": str.lower,
    "full engine, capital first letter only": lambda text: text[:1] + text[1:].lower(),
    "full engine, one word misspelt": misspelt,
}

FULL_ENGINE = dict(search_dense=True, search_lexical=True, search_rerank=True)
CONFIGS = {
    "BM25 only": dict(search_dense=False, search_lexical=True, search_rerank=False),
    "dense only": dict(search_dense=True, search_lexical=False, search_rerank=False),
    "hybrid (RRF)": dict(search_dense=True, search_lexical=True, search_rerank=False),
    "hybrid + rerank": FULL_ENGINE,  # every stage, but only "full ..." rows pass the as-of date
    "full engine (+ as-of date)": FULL_ENGINE,
    **{name: FULL_ENGINE for name in TYPED},
}


# Questions this corpus (2022 news) cannot answer: the engine should abstain on all of them.
OUT_OF_CORPUS = [
    "What is the capital of France?",
    "Who won the 2030 World Cup?",
    "Who was elected mayor of Port Aster in 2029?",
    "What did the Zorblaxian ambassador say about the treaty?",
    "How many moons does the planet Vulcan have?",
    "Who won the 2031 Nobel Peace Prize?",
    "What is the recipe for grandma's apple pie?",
    "When did the Lakeside marathon start?",
    "Who confirmed the casualties of the Cuban officers killed in Venezuela in January 2026?",
    "What is the square root of 144?",
    "Which team won the 2032 Olympic hockey final?",
    "How tall is the Eiffel Tower?",
    "Who is the chief executive of Gull Island Ferries?",
    "What is the population of Vellmark?",
    "What did Marco Rubio say about Cuban guards protecting Maduro in 2026?",
]


def as_written(text: str) -> str:
    return text


def out_of_corpus_confidences(
    engine: NewsEngine, typed: Callable[[str], str] = as_written
) -> list[float]:
    """The reader's confidence for each out-of-corpus question."""
    return [engine.ask(Query(typed(q), k=10)).confidence for q in OUT_OF_CORPUS]


def threshold_sweep(res: dict[str, list], ooc: list[float]) -> list[list[object]]:
    """Answer accuracy and out-of-corpus abstention for candidate confidence floors."""
    rows = []
    for t in (0.05, 0.10, 0.15, 0.20, 0.25, 0.30):
        answered = [c >= t for c in res["confidence"]]
        acc = sum(a and r for a, r in zip(answered, res["right_if_answered"], strict=True))
        rows.append(
            [
                t,
                f"{acc / len(answered):.3f}",
                f"{1 - sum(answered) / len(answered):.3f}",
                f"{sum(c < t for c in ooc) / len(ooc):.2f}",
            ]
        )
    return rows


def evaluate(
    engine: NewsEngine,
    questions: list[Question],
    use_dates: bool,
    texts: dict[str, str] | None = None,
    typed: Callable[[str], str] = as_written,
) -> dict[str, list]:
    """Per-question ranks, answers and timings. With `texts` (url -> article text) it also
    records whether the first article is the gold one or another that answers the question
    (another outlet's report of the same event, which R@1 counts as a miss)."""
    out: dict[str, list] = {
        "answering_first": [],
        "rank": [],
        "correct": [],
        "lead_correct": [],
        "abstained": [],
        "ms": [],
        "real": [],
        "confidence": [],
        "right_if_answered": [],
    }
    for q in questions:
        t0 = time.perf_counter()
        text = typed(q.text)
        answer = engine.ask(Query(text, k=10, as_of=q.as_of if use_dates else None))
        out["ms"].append((time.perf_counter() - t0) * 1000)
        urls = [canonical(h.url) for h in answer.retrieved]
        out["rank"].append(urls.index(q.gold_url) + 1 if q.gold_url in urls else 0)
        first = urls[0] if urls else ""
        out["answering_first"].append(
            first == q.gold_url or bool(texts and answer_correct(texts.get(first, ""), q))
        )
        out["correct"].append(not answer.abstained and answer_correct(answer.text, q))
        # The first part alone (up to its citation mark): does the answer lead with it?
        lead = re.match(r".*?\[\d+\]", answer.text, re.DOTALL)
        out["lead_correct"].append(bool(lead) and answer_correct(lead.group(0), q))
        out["abstained"].append(answer.abstained)
        out["confidence"].append(answer.confidence)
        # Would the answer be right if the engine had not abstained? (for the threshold sweep)
        forced = answer
        if answer.abstained:
            forced = engine.ask(
                Query(text, k=10, as_of=q.as_of if use_dates else None), min_confidence=-1.0
            )
        out["right_if_answered"].append(answer_correct(forced.text, q))
        out["real"].append(q.real_gold)
    return out


def summarise(name: str, res: dict[str, list], only_real: bool) -> list[object]:
    keep = [i for i, r in enumerate(res["real"]) if r or not only_real]
    ranks = [res["rank"][i] for i in keep]
    n = len(keep)

    def share(cond) -> str:
        return f"{sum(1 for x in cond if x) / n:.3f}"

    ms = sorted(res["ms"][i] for i in keep)
    return [
        name,
        n,
        share(0 < r <= 1 for r in ranks),
        share(0 < r <= 5 for r in ranks),
        share(0 < r <= 10 for r in ranks),
        f"{sum(1 / r for r in ranks if r) / n:.3f}",
        share(res["answering_first"][i] for i in keep) if res["answering_first"] else "-",
        share(res["correct"][i] for i in keep),
        share(res["lead_correct"][i] for i in keep),
        share(res["abstained"][i] for i in keep),
        f"{statistics.median(ms):.0f}",
        f"{ms[int(0.95 * (len(ms) - 1))]:.0f}",
    ]


HEADERS = [
    "configuration",
    "questions",
    "R@1",
    "R@5",
    "R@10",
    "MRR@10",
    "gold or answering @1",
    "answer acc.",
    "first part acc.",
    "abstained",
    "p50 ms",
    "p95 ms",
    "abstained out of corpus",
]


# What the ablation prints: ranking and answers, not first parts or latency.
ABLATION_HEADERS = [h for h in HEADERS[:10] if h != "first part acc."]


def ablate(engine: NewsEngine, questions: list[Question], texts: dict[str, str]) -> None:
    """Each reranking feature's contribution: the full engine without it."""
    base = engine.reranker.weights
    rows = []
    for feature in (
        "none",
        "dense",
        "lexical",
        "coverage",
        "title",
        "speaker",
        "recency",
        "support",
    ):
        weights = base if feature == "none" else replace(base, **{feature: 0.0})
        engine.reranker = FeatureReranker(weights)
        res = evaluate(engine, questions, use_dates=True, texts=texts)
        row = summarise("full engine" if feature == "none" else f"without {feature}", res, False)
        rows.append([row[HEADERS.index(h)] for h in ABLATION_HEADERS])
        print(f"  done: {row[0]}", flush=True)
    engine.reranker = FeatureReranker(base)
    print("\nReranking features, one switched off at a time (all questions, full engine)")
    print(table(ABLATION_HEADERS, rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=0, help="first N weeks only (quick look)")
    parser.add_argument("--reset", action="store_true", help="rebuild the cached index")
    parser.add_argument("--only", help="run only configurations whose name contains this")
    parser.add_argument(
        "--ablate",
        action="store_true",
        help="full engine with each reranking feature switched off in turn",
    )
    args = parser.parse_args()
    questions, docs = load(args.weeks)
    collection = f"rtqa_w{args.weeks or 'all'}"
    if args.reset and CACHE.exists():
        shutil.rmtree(CACHE)
    settings = Settings(_env_file=None, chroma_path=CACHE / "chroma", chroma_collection=collection)
    engine = NewsEngine(settings)
    with tempfile.TemporaryDirectory() as tmp:
        bulk = Path(tmp) / "realtimeqa.jsonl"
        bulk.write_text(
            "\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8"
        )
        t0 = time.perf_counter()
        report = ingest_sources([str(bulk)], engine.store, engine.embedder, settings, progress=True)
        print(
            f"indexed {len(docs)} documents: {report.articles_added} added, "
            f"{report.articles_updated} updated ({report.embeddings_reused} passages kept "
            f"their embeddings), {report.articles_unchanged} already stored or duplicate text, "
            f"{len(report.failed)} rejected, "
            f"{engine.store.count_passages()} passages in the store "
            f"({time.perf_counter() - t0:.0f} s)"
        )
    engine.lexical.current()  # build BM25 outside the timed questions
    texts = {d["url"]: f"{d['title']}\n{d['text']}" for d in docs}
    rows_all, rows_real = [], []
    sweep: list[list[object]] = []
    if args.ablate:
        return ablate(engine, questions, texts)
    for name, stages in CONFIGS.items():
        if args.only and args.only not in name:
            continue
        engine.settings = settings.model_copy(update=stages)
        typed = TYPED.get(name, as_written)
        res = evaluate(engine, questions, name.startswith("full"), texts, typed)
        ooc_conf = out_of_corpus_confidences(engine, typed)
        threshold = load_model().abstain_below
        ooc = f"{sum(c < threshold for c in ooc_conf) / len(ooc_conf):.2f}"
        if name.startswith("full") and typed is as_written:
            sweep = threshold_sweep(res, ooc_conf)
        rows_all.append([*summarise(name, res, only_real=False), ooc])
        rows_real.append([*summarise(name, res, only_real=True), ooc])
        print(f"  done: {name}", flush=True)
    if not rows_all:
        print(f"no configuration's name contains {args.only!r}: the index is up to date")
        return
    headers = HEADERS
    print("\nAll questions with a gold text")
    print(table(headers, rows_all))
    print("\nQuestions whose gold text is a real article")
    print(table(headers, rows_real))
    if sweep:
        print("\nFull engine: abstention threshold sweep (all questions)")
        print(
            table(
                ["confidence floor", "answer acc.", "abstained", "abstained out of corpus"], sweep
            )
        )


if __name__ == "__main__":
    main()
