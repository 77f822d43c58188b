"""Server mode for real: `chroma run` started by the test, ingest and answers through it, two
engines sharing it, and the server stopped mid-session and brought back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import simcord

from bot.app import create_bot
from bot.config import BotSettings
from ingest import ingest_sources
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.search.store import StoreError
from retrieval.settings import Settings
from tests.chroma_server import ChromaServer, chroma_server
from tests.conftest import REPO


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> ChromaServer:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as running:
        yield running


def _settings(server: ChromaServer, collection: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        chroma_host="127.0.0.1",
        chroma_port=server.port,
        chroma_collection=collection,
        chroma_path=tmp_path / "unused",
    )


def _cli(module: str, args: list[str], server: ChromaServer, tmp_path: Path):
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": str(server.port),
        "CHROMA_COLLECTION": "cli_news",
    }
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )


@pytest.mark.slow
def test_cli_ingest_and_ask_against_a_chroma_server(server, tmp_path, seed_path):
    done = _cli("ingest", ["--json", str(seed_path)], server, tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["articles_added"] == 1
    asked = _cli(
        "retrieval.cli", ["--json", "How many Cuban officers were killed?"], server, tmp_path
    )
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["answer"].startswith("**32**")
    assert answer["citations"][0]["published"] == "2026-01-07"
    assert not (tmp_path / "data").exists()  # nothing went to a local embedded store


def test_two_engines_sharing_a_server_agree(server, tmp_path, embedder, seed_path):
    settings = _settings(server, "shared_news", tmp_path)
    writer = NewsEngine(settings, embedder=embedder)
    reader = NewsEngine(settings, embedder=embedder)  # as if in another bot process
    ingest_sources([str(seed_path)], writer.store, embedder, settings)
    first = reader.ask(Query("How many Cuban officers were killed?"))
    assert first.text.startswith("**32**")
    # The writer adds articles; the reader's BM25 index follows the store's generation.
    ingest_sources([str(REPO / "samples")], writer.store, embedder, settings)
    second = reader.ask(Query("Who confirmed the pay deal for the ferry crews?"))
    assert not second.abstained and "ferry" in second.citations[0].title.lower()
    assert len(reader.lexical.current().ids) == reader.store.count_passages()
    assert reader.lexical.current().generation == writer.store.generation()


async def test_server_stopped_mid_session_then_back(tmp_path, embedder, seed_path):
    with chroma_server(tmp_path / "own") as server:
        settings = _settings(server, "outage_news", tmp_path)
        engine = NewsEngine(settings, embedder=embedder)
        ingest_sources([str(seed_path)], engine.store, embedder, settings)
        bot_settings = BotSettings(
            _env_file=None,
            **settings.model_dump(),
            feedback_log=str(tmp_path / "feedback.jsonl"),
            ask_cooldown_rate=100,
        )
        bot = create_bot(engine=engine, settings=bot_settings, sync=True)
        async with simcord.run(bot, shard_count=1, settle_timeout=60) as env:
            channel = env.create_guild().create_text_channel("news")
            alice = env.guild.add_member(env.create_user("alice"))
            question = "How many Cuban officers were killed?"
            before = await alice.slash(channel, "ask", question=question)
            assert "Cuban officers" in before.response.embeds[0].description

            server.stop()
            during = await alice.slash(channel, "ask", question=question)
            assert during.response.embeds[0].description.startswith("Search is unavailable")
            with pytest.raises(StoreError, match="search is unavailable"):
                engine.ask(Query(question))
            cli = _cli("retrieval.cli", [question], server, tmp_path)
            assert cli.returncode == 2
            assert "Chroma server at 127.0.0.1" in cli.stderr and "Traceback" not in cli.stderr

            server.start()  # same port, same data: the running bot recovers by itself
            after = await alice.slash(channel, "ask", question=question)
            assert "Cuban officers" in after.response.embeds[0].description
