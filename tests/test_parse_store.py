"""Sentence parses made at ingest and read back by questions: the same answers, no re-parse."""

from __future__ import annotations

import sqlite3

from retrieval.question.analysis import analyse
from retrieval.reading.candidates import parse_sentences
from retrieval.reading.parse_store import FILE, FORMAT, ParseStore, parse_store_for
from retrieval.reading.scorer import load_model, rank_sentences
from tests.conftest import asked_with_and_without, stored_passages

QUESTION = "Who confirmed the casualties?"


def test_ingest_parses_every_sentence_a_question_reads(seed_only_engine) -> None:
    engine = seed_only_engine
    assert (engine.settings.data_dir / FILE).exists()
    on_disk = ParseStore(engine.settings.data_dir / FILE)  # what a fresh process finds
    analysis = analyse(QUESTION)
    read = rank_sentences(analysis, stored_passages(engine), 0, load_model())
    texts = [s.text for s in read]
    assert texts and set(on_disk.get(texts)) == set(texts)
    assert on_disk.get(texts)[texts[0]] == parse_sentences([texts[0]])[0]


def test_answers_are_the_same_with_and_without_stored_parses(seed_only_engine) -> None:
    empty = ParseStore(None)  # every sentence parsed when asked
    with_parses, without = asked_with_and_without(seed_only_engine, "parses", empty, QUESTION)
    assert with_parses.short_answer == without.short_answer
    assert with_parses.text == without.text
    assert "cuban government" in with_parses.short_answer.casefold()


def test_parses_of_another_format_are_dropped(tmp_path) -> None:
    path = tmp_path / FILE
    store = ParseStore(path)
    store.put(dict(zip(["Havana is hot."], parse_sentences(["Havana is hot."]), strict=True)))
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = 'parsed-v0 old-model' WHERE name = 'format'")
    assert ParseStore(path).get(["Havana is hot."]) == {}
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta").fetchone()[0].startswith(FORMAT)


def test_a_server_store_keeps_parses_in_memory_only(tmp_path) -> None:
    from retrieval.settings import Settings

    settings = Settings(_env_file=None, chroma_host="localhost", chroma_path=tmp_path / "chroma")
    store = parse_store_for(settings)
    assert store.path is None
    store.parsed(["The rain fell in Havana."])
    assert store.get(["The rain fell in Havana."])
    assert not (tmp_path / "chroma").exists()


def test_a_file_that_is_not_a_database_costs_speed_not_answers(tmp_path) -> None:
    path = tmp_path / FILE
    path.write_bytes(b"this is not a SQLite database, just junk\n" * 100)
    store = ParseStore(path)
    assert store.parsed(["The rain fell in Havana."])[0].words[:2] == ("the", "rain")
    assert store.path is None  # kept in memory from then on
