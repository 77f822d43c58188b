"""Sentence vectors made at ingest and read back by questions: the same answers, no re-embedding."""

from __future__ import annotations

import sqlite3

import numpy as np

from retrieval.question.analysis import analyse
from retrieval.question.query import Query
from retrieval.reading.scorer import load_model, rank_sentences
from retrieval.reading.sentence_vectors import FILE, SentenceVectors
from retrieval.reading.sentences import Meaning
from tests.conftest import asked_with_and_without, stored_passages

QUESTION = "Who confirmed the casualties?"


def _refuse(texts: list[str]) -> np.ndarray:
    raise AssertionError(f"embedded when asked, though ingest kept them: {texts[:2]}")


def test_ingest_embeds_every_sentence_a_question_reads(seed_only_engine) -> None:
    engine = seed_only_engine
    on_disk = SentenceVectors(engine.settings.data_dir / FILE, engine.embedder.identity)
    texts = [
        s.text for s in rank_sentences(analyse(QUESTION), stored_passages(engine), 0, load_model())
    ]
    assert texts and set(on_disk.get(texts)) == set(texts)
    kept = on_disk.of(texts, _refuse)
    fresh = engine.embedder.encode(texts[:3])
    assert np.allclose(kept[:3], fresh, atol=2e-3)  # half precision, same embedder


def test_the_closest_sentence_in_meaning_ranks_first_by_meaning(seed_only_engine) -> None:
    engine = seed_only_engine
    question = "How many Cuban officers died?"
    meaning = Meaning(
        engine.embed_query(question),
        lambda texts: engine.sentence_vectors.of(texts, engine.embed_texts),
    )
    sentences = rank_sentences(analyse(question), stored_passages(engine), 0, load_model(), meaning)
    by_meaning = min(sentences, key=lambda s: s.dense_rank)
    assert by_meaning.dense == max(s.dense for s in sentences) > 0.3
    assert "Cuban" in by_meaning.text
    assert all(
        s.dense == 0.0
        for s in rank_sentences(analyse(question), stored_passages(engine), 0, load_model())
    )


def test_answers_are_the_same_with_and_without_stored_vectors(seed_only_engine) -> None:
    engine = seed_only_engine
    empty = SentenceVectors(None, engine.embedder.identity)  # every vector made when asked
    with_vectors, without = asked_with_and_without(engine, "sentence_vectors", empty, QUESTION)
    assert with_vectors.short_answer == without.short_answer
    assert with_vectors.text == without.text


def test_vectors_of_another_embedder_are_dropped(tmp_path) -> None:
    path = tmp_path / FILE
    store = SentenceVectors(path, "model-a")
    store.put({"Havana is hot.": np.ones(4, dtype=np.float32)})
    store.close()
    assert (
        SentenceVectors(path, "model-a").get(["Havana is hot."])["Havana is hot."].tolist()
        == [1.0] * 4
    )
    assert SentenceVectors(path, "model-b").get(["Havana is hot."]) == {}
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone()[0] == "model-b"
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] == 0


def test_a_vector_file_that_is_junk_costs_speed_not_answers(tmp_path) -> None:
    path = tmp_path / FILE
    path.write_bytes(b"this is not a SQLite database, just junk\n" * 100)
    store = SentenceVectors(path, "model-a")
    made = store.of(["The rain fell."], lambda texts: np.ones((len(texts), 4), dtype=np.float32))
    assert made.shape == (1, 4)
    assert store.path is None  # kept in memory from then on


def test_without_preparing_at_ingest_a_question_makes_and_keeps_them(tmp_path, embedder) -> None:
    from ingest import ingest_sources
    from retrieval.engine import NewsEngine
    from retrieval.reading.parse_store import FILE as PARSES
    from retrieval.settings import Settings
    from tests.conftest import shared

    settings = Settings(_env_file=None, chroma_path=tmp_path / "chroma", parse_at_ingest=False)
    engine = NewsEngine(settings, embedder=embedder)
    seed = shared("seed/cuba-officers-2026-01-07.txt")
    assert ingest_sources([str(seed)], engine.store, embedder, settings).articles_added == 1
    assert not (settings.data_dir / FILE).exists() and not (settings.data_dir / PARSES).exists()
    answer = engine.ask(Query(QUESTION))
    assert answer.short_answer == "The Cuban government"
    kept = SentenceVectors(settings.data_dir / FILE, embedder.identity)
    assert kept.get([s["text"] for s in answer.support])  # made when asked, and kept
