"""The store the bot polls feeds into: an embedded store opened in a process of its own.

The embedded store's bindings hold the interpreter lock through every write, so the bot
reaches it through a child process (bot/store_process.py). What is checked here is that
nothing else changes: what the polls write is stored once and found by the engine, errors
arrive as they were raised, and a store process that dies or is closed behaves as a store
failure, not as a hang. The polls and posts themselves run over this store in
tests/test_feeds_follow.py and tests/test_feeds_delivery.py.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import chromadb.errors
import pytest

from bot.store_process import ProcessClient, StoreProcessError, close_store, open_bot_store
from ingest import ingest_sources
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.search.store import PassageStore, StoreError, is_store_failure
from retrieval.settings import Settings

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "port-aster-ferry.txt"


@pytest.fixture
def bot_store(settings: Settings) -> Iterator[PassageStore]:
    store = open_bot_store(settings)
    yield store
    close_store(store)


def _client(store: PassageStore) -> ProcessClient:
    assert isinstance(store.client, ProcessClient)
    return store.client


def test_what_is_ingested_through_the_process_is_stored_once_and_found(
    bot_store, settings, embedder
):
    assert _client(bot_store).pid != os.getpid()
    first = ingest_sources([str(SAMPLE)], bot_store, embedder, settings)
    again = ingest_sources([str(SAMPLE)], bot_store, embedder, settings)
    assert (first.articles_added, again.articles_added, again.articles_unchanged) == (1, 0, 1)
    assert bot_store.count_articles() == 1
    assert bot_store.count_passages() == first.passages

    engine = NewsEngine(settings, store=bot_store, embedder=embedder)
    hits = engine.search(Query("Did the Port Aster ferries sail again after the strike?"))
    assert hits and "Port Aster" in hits[0].text


def test_the_stores_errors_arrive_as_raised_and_the_process_goes_on(bot_store):
    with pytest.raises(chromadb.errors.ChromaError):
        bot_store.passages.get(where={"$nonsense": 1})
    assert bot_store.count_passages() == 0


def test_a_store_that_cannot_be_opened_is_one_store_error(tmp_path):
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open the Chroma store at"):
        open_bot_store(Settings(_env_file=None, chroma_path=taken, chroma_collection="news"))


def test_a_store_process_that_died_is_started_again_with_what_it_held(
    bot_store, settings, embedder
):
    ingest_sources([str(SAMPLE)], bot_store, embedder, settings)
    client = _client(bot_store)
    dead = client.pid
    os.kill(dead, signal.SIGKILL)
    client._process.wait(timeout=30)
    assert bot_store.count_articles() == 1
    assert client.pid != dead


def test_after_closing_a_call_is_a_store_failure_not_a_hang(bot_store):
    client = _client(bot_store)
    close_store(bot_store)
    assert client._process.poll() == 0  # it exited when asked
    with pytest.raises(StoreProcessError) as failed:
        bot_store.count_passages()
    assert is_store_failure(failed.value)
