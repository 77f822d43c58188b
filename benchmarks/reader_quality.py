"""Answer quality on a period's news the reader was not fitted on, through the whole engine.

    python -m benchmarks.reader_quality [validation|sanity] [--limit N]

Every question is asked as users ask it (`news-ask`'s engine, as of the question's date, no
choices) over a store of all that period's documents (benchmarks/period_store.py, built once
and cached outside the repository). The whole reply is scored as the quiz scores it. In the
same run, on the same store and questions: the plain hybrid top passage (MiniLM + BM25, fused
by reciprocal rank) and the engine's older sentence rules. Writes
benchmarks/results/reader_quality_<split>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path

from benchmarks.period_store import build
from retrieval.engine import NewsEngine
from retrieval.query import Query
from training import data

RESULTS = Path(__file__).resolve().parent / "results"
CONFIGS = {
    "hybrid top passage": {"search_rerank": False},
    "older sentence rules": {"answer_learned": False},
    "learned reader": {"answer_learned": True},
}


def ask_all(engine: NewsEngine, questions: list[data.Question], config: str) -> list[dict]:
    out = []
    for q in questions:
        t0 = time.perf_counter()
        query = Query(q.text, k=10, as_of=q.as_of)
        if config == "hybrid top passage":
            hits = engine.search(query)
            text, abstained = (hits[0].text if hits else ""), not hits
        else:
            answer = engine.ask(query)
            text, abstained = answer.text, answer.abstained
        ms = (time.perf_counter() - t0) * 1000
        out.append({"qid": q.qid, "verdict": data.verdict(text, q, abstained), "ms": ms})
    return out


def summary(rows: list[dict], answerable: dict[str, bool]) -> dict:
    def rates(side: bool) -> dict[str, float]:
        verdicts = [r["verdict"] for r in rows if answerable[r["qid"]] is side]
        n = max(1, len(verdicts))
        counts = Counter(verdicts)
        return {k: round(counts[k] / n, 4) for k in ("right", "wrong", "other", "abstained")}

    ms = sorted(r["ms"] for r in rows)
    return {
        "answerable": rates(True),
        "unanswerable": rates(False),
        "p50_ms": round(statistics.median(ms)),
        "p95_ms": round(ms[int(0.95 * (len(ms) - 1))]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("split", nargs="?", default="validation", choices=data.SPLITS)
    parser.add_argument("--limit", type=int, default=0, help="first N questions (quick look)")
    parser.add_argument("--only", help="only configurations whose name contains this")
    args = parser.parse_args()
    engine = build(args.split)
    engine.lexical.current()  # BM25 built outside the timed questions
    docs = data.corpus(args.split)
    questions = [q for q in data.questions(args.split) if q.results][: args.limit or None]
    answerable = {q.qid: data.answerable(q, docs) for q in questions}
    base = engine.settings
    report: dict = {
        "split": args.split,
        "questions": len(questions),
        "answerable": sum(answerable.values()),
        "passages": engine.store.count_passages(),
        "configurations": {},
    }
    for name, update in CONFIGS.items():
        if args.only and args.only not in name:
            continue
        engine.settings = base.model_copy(update=update)
        rows = ask_all(engine, questions, name)
        report["configurations"][name] = summary(rows, answerable)
        print(name, json.dumps(report["configurations"][name]), flush=True)
    engine.settings = base
    if not args.limit and not args.only:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"reader_quality_{args.split}.json"
        out.write_text(json.dumps(report, indent=1) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
