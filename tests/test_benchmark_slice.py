"""The RealTimeQA harness on a small slice (the full run is `python -m benchmarks.realtimeqa`)."""

from __future__ import annotations

import json

from benchmarks.realtimeqa import answer_correct, evaluate, load, small_slice, summarise
from ingest import ingest_sources
from retrieval.engine import NewsEngine
from retrieval.settings import Settings
from tests.conftest import shared


def test_realtimeqa_slice_retrieves_gold_articles(tmp_path, embedder):
    shared("realtimeqa")
    questions, docs = load(weeks=1)
    questions, docs = small_slice(questions, docs, n_questions=6, n_distractors=30)
    settings = Settings(_env_file=None, chroma_path=tmp_path / "chroma", chroma_collection="rtqa")
    engine = NewsEngine(settings, embedder=embedder)
    bulk = tmp_path / "docs.jsonl"
    bulk.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    report = ingest_sources([str(bulk)], engine.store, embedder, settings)
    assert report.failed == []
    result = evaluate(engine, questions, use_dates=True)
    row = summarise("full engine", result, only_real=True)
    recall_at_5 = float(row[3])
    assert recall_at_5 >= 0.8, row  # gold articles among 36 documents
    assert len(result["rank"]) == 6


def test_answer_accuracy_rule():
    from benchmarks.realtimeqa import Question

    q = Question(
        "x",
        "Which show?",
        None,
        ["“Game of Thrones”", "“Squid Game”", "Friends", "Lost"],
        1,
        "u",
        True,
    )
    assert answer_correct("Netflix said “Squid Game” is back.", q)
    assert not answer_correct("“Squid Game” beat Friends.", q)  # a wrong choice appears too
    assert not answer_correct("Nothing about it.", q)
