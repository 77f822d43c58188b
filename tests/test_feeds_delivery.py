"""Delivery of followed feeds' new articles: forum posts, word filters, channels that vanish
or lock the bot out, Discord failures retried without holding up other servers, and a
server's answers limited to the feeds it follows. Setup as in tests/test_feeds_follow.py."""

from __future__ import annotations

import asyncio

import discord
import pytest
from simcord.backend.models.channel import Overwrite, OverwriteType

import tests.test_feeds_follow as follow
from bot.app import create_bot
from ingest import ingest_sources
from tests.test_feeds_follow import FEED_POLL, ITEMS, posts, publish, rss

# The fixtures of tests/test_feeds_follow.py, found by pytest under these names.
db_url, engine, feeds, follow_settings = (
    follow.db_url,
    follow.engine,
    follow.feeds,
    follow.follow_settings,
)
settings_over, simcord_bot, world = follow.settings_over, follow.simcord_bot, follow.world

pytestmark = pytest.mark.simcord(shard_count=1, settle_timeout=120)
GAZETTE = ("Harbour Gazette", ("ferry", 2), ("bridge", 1))


def with_new(*keys_days: tuple[str, int]) -> tuple:
    title, *old = GAZETTE
    return (title, *keys_days, *old)


async def test_a_forum_gets_a_post_per_article(world, feeds, simcord_bot):
    env, guild, _, mods, mod = world
    forum = guild.create_forum_channel("headlines")
    await mod.slash(mods, "feeds add", url=f"{feeds.base}/gazette.xml", channel=forum)
    publish(feeds, "/gazette.xml", *with_new(("market", 3), ("tram", 4)))
    await env.advance_time(FEED_POLL)
    assert sorted(t.name for t in forum.threads) == sorted([ITEMS["market"], ITEMS["tram"]])
    for thread in forum.threads:
        [starter] = thread.history()
        assert starter.embeds[0].title == thread.name
        # Questions asked in the post are about its article.
        assert await simcord_bot.subscriptions.article_posted_as(thread.id) == thread.name


async def test_word_filter_keeps_and_drops(world, feeds):
    env, _, news, mods, mod = world
    added = await mod.slash(
        mods, "feeds add", url=f"{feeds.base}/gazette.xml", channel=news, filter="quay, -market"
    )
    assert "Filter: quay -market" in added.response.embeds[0].description
    publish(feeds, "/gazette.xml", *with_new(("market", 3), ("tram", 4), ("library", 5)))
    await env.advance_time(FEED_POLL)
    # "market" names the quay but is excluded; "tram" and "library" never say "quay".
    assert posts(news) == []
    # An entry with no text to store is refused alone; the feed's good news still goes out.
    junk = b"<item><title>x</title><link>https://news.example.org/x</link></item>"
    feed = rss(*with_new(("walk", 7))).replace(b"<item>", junk + b"<item>", 1)
    feeds.publish("/gazette.xml", feed, 1_800_000_100)
    await env.advance_time(FEED_POLL)
    assert [p.embeds[0].title for p in posts(news)] == [ITEMS["walk"]]


async def test_a_deleted_channel_or_lost_permission_stops_the_feed_and_says_so_once(
    world, feeds, simcord_bot
):
    env, guild, news, mods, mod = world
    sports = guild.create_text_channel("sports")
    await mod.slash(mods, "feeds add", url=f"{feeds.base}/gazette.xml", channel=news)
    await mod.slash(mods, "feeds add", url=f"{feeds.base}/courier.xml", channel=sports)
    env.backend.delete_channel(news.id)
    bot_id = env.backend.bot_user.id
    denied = discord.Permissions(send_messages=True).value
    env.backend.set_overwrite(sports.id, Overwrite(bot_id, OverwriteType.MEMBER, deny=denied))
    publish(feeds, "/gazette.xml", *with_new(("market", 3)))
    publish(feeds, "/courier.xml", "Quay Courier", ("tram", 4), ("library", 2))
    await env.advance_time(FEED_POLL)

    told = [m.content for m in mods.history() if m.author.bot and m.content]
    assert len(told) == 2
    assert any(f"<#{news.id}> no longer exists" in m for m in told)
    assert any(f"I may no longer post in <#{sports.id}>" in m for m in told)
    assert all("`/feeds add`" in m for m in told)
    listed = await mod.slash(mods, "feeds list")
    assert all("**Stopped**" in f.value for f in listed.response.embeds[0].fields)

    publish(feeds, "/gazette.xml", *with_new(("market", 3), ("tram", 4)))
    await env.advance_time(FEED_POLL)  # disabled: not polled, nobody told again
    assert len([m for m in mods.history() if m.author.bot and m.content]) == 2
    assert posts(sports) == []


@pytest.mark.parametrize("settings_over", [{"feed_post_retry_seconds": 2}])
async def test_failed_posts_are_retried_without_holding_up_other_servers(env_two_servers, feeds):
    env, (news_a, mod_a, mods_a), (news_b, mod_b, mods_b) = env_two_servers
    await mod_a.slash(mods_a, "feeds add", url=f"{feeds.base}/gazette.xml", channel=news_a)
    await mod_b.slash(mods_b, "feeds add", url=f"{feeds.base}/courier.xml", channel=news_b)
    env.inject_error("POST", f"/channels/{news_a.id}/messages", status=503, times=2)
    publish(feeds, "/gazette.xml", *with_new(("market", 3)))
    publish(feeds, "/courier.xml", "Quay Courier", ("tram", 4), ("library", 2))
    await env.advance_time(FEED_POLL)
    await env.advance_time(10)  # the retries' waits: 2 s, then 4 s
    assert [p.embeds[0].title for p in posts(news_a)] == [ITEMS["market"]]
    assert [p.embeds[0].title for p in posts(news_b)] == [ITEMS["tram"]]
    paths = [r.path for r in env.http_requests if r.method == "POST"]
    to_a, to_b = f"/channels/{news_a.id}/messages", f"/channels/{news_b.id}/messages"
    assert paths.count(to_a) == 3 and paths.count(to_b) == 1  # two 503s, then posted
    last_a = len(paths) - 1 - paths[::-1].index(to_a)
    assert paths.index(to_b) < last_a  # B's post did not wait for A's retries


@pytest.mark.parametrize("settings_over", [{"feed_posts_per_hour": 1}])
async def test_posts_per_hour_wait_their_turn_across_a_restart(
    world, feeds, simcord_bot, engine, follow_settings
):
    env, _, news, mods, mod = world
    await mod.slash(mods, "feeds add", url=f"{feeds.base}/gazette.xml", channel=news)
    publish(feeds, "/gazette.xml", *with_new(("market", 3), ("tram", 4)))
    await env.advance_time(FEED_POLL)
    assert len(posts(news)) == 1
    [waiting] = await simcord_bot.subscriptions.pending()
    assert waiting.channel_id == news.id
    # The queue is in the database: a new process with room to post sends what waited.
    roomier = follow_settings.model_copy(update={"feed_posts_per_hour": 10})
    await env.restart_bot(create_bot(engine=engine, settings=roomier, sync=False))
    await env.advance_time(FEED_POLL)
    assert sorted(p.embeds[0].title for p in posts(news)) == sorted(
        [ITEMS["market"], ITEMS["tram"]]
    )


@pytest.fixture
def env_two_servers(simcord_env):
    env = simcord_env
    servers = []
    for name in ("a", "b"):
        guild = env.create_guild(f"server {name}")
        role = guild.create_role("mods", permissions=discord.Permissions(manage_guild=True))
        mod = guild.add_member(env.create_user(f"mod-{name}"), roles=[role])
        servers.append((guild.create_text_channel("news"), mod, guild.create_text_channel("mods")))
    return env, *servers


@pytest.mark.parametrize("settings_over", [{"discord_owner_ids": "1"}])
async def test_answers_from_followed_feeds_only_and_the_feedback_report(
    world, feeds, simcord_bot, engine
):
    env, guild, news, mods, mod = world
    await mod.slash(mods, "feeds add", url=f"{feeds.base}/courier.xml", channel=news)
    # The operator's news (another feed, ingested by hand): answerable unless scoped out.
    url = f"{feeds.base}/gazette.xml"
    await asyncio.to_thread(ingest_sources, [url], engine.store, engine.embedder, engine.settings)
    question = "What did the ferry crews agree?"
    before = await mod.slash(news, "ask", question=question)
    assert "Harbour Gazette" in str(before.response.embeds[0].to_dict())

    scoped = await mod.slash(mods, "settings answers", scope="followed")
    assert scoped.response.content == (
        "Questions here are now answered from only the feeds this server follows."
    )
    after = await mod.slash(news, "ask", question=question)
    assert "Harbour Gazette" not in str(after.response.embeds[0].to_dict())

    down = await mod.click(after.response.message, custom_id="newsbot:feedback:down")
    assert down.response.content.startswith("Thanks")
    refused = await mod.slash(mods, "feedback report")
    assert refused.response.content == "Only the bot's owners can read the feedback."
    simcord_bot.owner_ids = {mod.id}
    report = await mod.slash(mods, "feedback report")
    [field] = report.response.embeds[0].fields
    assert field.name == question
