"""Freshness: feeds polled on a schedule by the bot (and by `news-ingest --watch`).

Feeds from ../shared/data/feeds are served by a local HTTP server with ETag/Last-Modified,
so conditional requests, 304s, a failing feed's backoff and a newly published item are all
real HTTP.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import simcord

from bot.app import create_bot
from bot.config import BotSettings
from retrieval.engine import NewsEngine
from retrieval.settings import Settings
from tests.conftest import REPO, shared
from tests.feedserver import serve_feeds

NEW_ITEM = b"""      <item>
         <title>Lunar greenhouse sprouts its first lettuce</title>
         <link>http://liftoff.msfc.nasa.gov/news/2003/news-lettuce.asp</link>
         <description>Engineers at the Tessaly test station said the sealed lunar greenhouse
         grew its first lettuce after 41 days, using recycled water from the crew quarters.
         </description>
         <pubDate>Wed, 11 Jun 2003 10:00:00 GMT</pubDate>
      </item>
"""


def _feeds() -> dict[str, bytes]:
    return {
        "/liftoff.xml": shared("feeds/node-feedparser/rss2sample.xml").read_bytes(),
        "/uol.rss": shared("feeds/rbren_rss-parser/uolNoticias.rss").read_bytes(),
    }


@pytest.fixture
def fresh_engine(tmp_path, embedder) -> NewsEngine:
    settings = Settings(_env_file=None, chroma_path=tmp_path / "chroma", chroma_collection="feeds")
    return NewsEngine(settings, embedder=embedder)


@pytest.mark.xfail(
    reason="the learned reader does not yet give this answer here (docs/evaluation.md)",
    strict=False,
)
async def test_bot_polls_feeds_conditionally_with_backoff(fresh_engine, tmp_path):
    with serve_feeds(_feeds()) as server:
        urls = [f"{server.base}/liftoff.xml", f"{server.base}/uol.rss", f"{server.base}/gone.xml"]
        settings = BotSettings(
            _env_file=None,
            chroma_path=fresh_engine.settings.chroma_path,
            chroma_collection="feeds",
            news_feeds=",".join(urls),
            feed_poll_minutes=5,
            feed_retry_seconds=600,
            feedback_log=str(tmp_path / "feedback.jsonl"),
        )
        bot = create_bot(engine=fresh_engine, settings=settings, sync=True)
        async with simcord.run(bot, shard_count=1, settle_timeout=120) as env:
            cog = bot.get_cog("Feeds")
            assert cog.poll.is_running()
            # The first poll ran as the bot became ready.
            first = cog.last_report
            assert first is not None
            assert first.articles_added == 4 + 15
            assert [f["source"] for f in first.failed] == [urls[2]]
            assert server.statuses("/gone.xml") == [404]

            channel = env.create_guild().create_text_channel("news")
            alice = env.guild.add_member(env.create_user("alice"))
            asked = await alice.slash(
                channel, "ask", question="Where do Americans take a crash course in culture?"
            )
            assert "Star City" in asked.response.embeds[0].description

            # One interval later: both feeds answer 304, the failing one is backing off.
            await env.advance_time(5 * 60)
            second = cog.last_report
            assert second is not first
            assert second.not_modified == 2 and second.articles_added == 0
            assert second.backing_off == [urls[2]]
            assert server.statuses("/liftoff.xml") == [200, 304]
            assert server.statuses("/gone.xml") == [404]  # not asked again yet

            # A new item is published: answerable after the next poll.
            feed = server.files["/liftoff.xml"].replace(
                b"      <item>", NEW_ITEM + b"      <item>", 1
            )
            server.publish("/liftoff.xml", feed, time.time())
            await env.advance_time(5 * 60)
            third = cog.last_report
            assert third.articles_added == 1 and third.not_modified == 1
            asked = await alice.slash(
                channel, "ask", question="How long did the lunar greenhouse take to grow lettuce?"
            )
            assert "41 days" in asked.response.embeds[0].description
    state = json.loads(settings.feed_state_file.read_text())
    assert state[urls[0]]["etag"] and state[urls[2]]["failures"] == 1


@pytest.mark.slow
def test_ingest_watch_polls_until_stopped(tmp_path):
    with serve_feeds(_feeds()) as server:
        url = f"{server.base}/liftoff.xml"
        env = {
            **os.environ,
            "CHROMA_PATH": str(tmp_path / "chroma"),
            "CHROMA_COLLECTION": "watch",
            "PYTHONPATH": str(REPO),
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "ingest", "--watch", "--interval", "0.01", "--json", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        try:
            first = json.loads(proc.stdout.readline())
            second = json.loads(proc.stdout.readline())
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        assert first["articles_added"] == 4 and first["not_modified"] == 0
        assert second["articles_added"] == 0 and second["not_modified"] == 1
        assert server.statuses("/liftoff.xml")[:2] == [200, 304]
        assert proc.returncode == 130, err
