"""Answer quality on a period's news the reader was not fitted on, through the whole engine.

    python -m benchmarks.reader_quality [validation|sanity] [--limit N]

Every question is asked as users ask it (`news-ask`'s engine, as of the question's date, no
choices) over a store of all that period's documents (benchmarks/period_store.py, built once
and cached outside the repository). The whole reply is scored as the quiz scores it. In the
same run, on the same store and questions: the plain hybrid top passage (MiniLM + BM25, fused
by reciprocal rank) and the engine as it was before the learned reader (`--before REV`, run
from a git worktree of that revision through its own `news-ask --batch --json`). Writes
benchmarks/results/reader_quality_<split>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.period_store import CACHE, build, prepare_reading, settings_for
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from training import data

RESULTS = Path(__file__).resolve().parent / "results"
CONFIGS = {
    "hybrid top passage": {"search_rerank": False},
    "learned reader": {},
}
BEFORE = "d003f97"  # the engine with hand-written sentence rules, before the learned reader


def ask_before(rev: str, split: str, questions: list[data.Question]) -> list[dict]:
    """The engine of revision `rev`, asked as users ask it: its own CLI, in batch, over the
    same store."""
    repo = Path(__file__).resolve().parent.parent
    tree = CACHE / f"engine-{rev}"
    if not tree.exists():
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", str(tree), rev], check=True
        )
    settings = settings_for(split)
    env = {
        **os.environ,
        "CHROMA_PATH": str(settings.chroma_path),
        "CHROMA_COLLECTION": settings.chroma_collection,
        "PYTHONPATH": str(tree),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as batch:
        for q in questions:
            batch.write(
                json.dumps({"question": q.text, "as_of": q.as_of.date().isoformat()}) + "\n"
            )
    done = subprocess.run(
        [sys.executable, "-m", "retrieval.cli", "--batch", batch.name, "--json"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(batch.name)
    rows = []
    for q, line in zip(questions, done.stdout.splitlines(), strict=True):
        out = json.loads(line)
        verdict = data.verdict(out.get("answer", ""), q, bool(out.get("abstained")))
        rows.append({"qid": q.qid, "verdict": verdict, "ms": out["timings_ms"]["total_ms"]})
    return rows


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
    parser.add_argument(
        "--through",
        default="",
        help="only the weeks up to this one (YYYYMMDD), when the store holds only those",
    )
    parser.add_argument("--no-build", action="store_true", help="use the store as it is")
    parser.add_argument("--only", help="only configurations whose name contains this")
    parser.add_argument("--before", default=BEFORE, help="the earlier engine's git revision")
    parser.add_argument(
        "--label",
        default="",
        help="shown after each configuration's name, e.g. the embedder a run used "
        "(EMBEDDER_BACKEND=torch ... --only learned --label 'torch embedder')",
    )
    args = parser.parse_args()
    engine = NewsEngine(settings_for(args.split)) if args.no_build else build(args.split)
    engine.lexical.current()  # BM25 built outside the timed questions
    docs = data.corpus(args.split)
    questions = [
        q
        for q in data.questions(args.split)
        if q.results and (not args.through or q.qid[:8] <= args.through)
    ][: args.limit or None]
    answerable = {q.qid: data.answerable(q, docs) for q in questions}
    queries = [Query(q.text, k=10, as_of=q.as_of) for q in questions]
    print(f"{prepare_reading(engine, queries)} sentences parsed as ingest would", flush=True)
    base = engine.settings
    report: dict = {
        "split": args.split,
        "questions": len(questions),
        "weeks through": args.through or "all",
        "answerable": sum(answerable.values()),
        "passages": engine.store.count_passages(),
        "configurations": {},
    }
    for name, update in CONFIGS.items():
        if args.only and args.only not in name:
            continue
        engine.settings = base.model_copy(update=update)
        rows = ask_all(engine, questions, name)
        shown = f"{name} ({args.label})" if args.label else name
        report["configurations"][shown] = summary(rows, answerable)
        print(shown, json.dumps(report["configurations"][shown]), flush=True)
    engine.settings = base
    if not args.only or args.only in "engine before":
        rows = ask_before(args.before, args.split, questions)
        report["configurations"][f"engine before ({args.before})"] = summary(rows, answerable)
        print(
            "engine before", json.dumps(report["configurations"][f"engine before ({args.before})"])
        )
    if not args.limit:
        write(report, args.split, partial=bool(args.only))


def write(report: dict, split: str, partial: bool) -> None:
    """The results file; a run of some configurations (--only) replaces just those, on the
    same questions and store."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"reader_quality_{split}.json"
    if partial and out.exists():
        kept = json.loads(out.read_text(encoding="utf-8"))
        same = all(kept.get(k) == report[k] for k in ("questions", "weeks through", "passages"))
        if same:
            kept["configurations"].update(report["configurations"])
            report = kept
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
