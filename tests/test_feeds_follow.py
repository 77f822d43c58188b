"""Servers follow their own feeds: /feeds add, list and remove, and new articles posted once.

Through discord.py's real machinery on the simcord simulator, with real feeds over HTTP
(tests/feedserver.py), a real store and the real embedding model, and the server state in a
real SQLite file or on a real PostgreSQL server (the tests start it). The poll loop runs on
the simulator's clock: `advance_time(FEED_POLL)` is one poll.
"""

from __future__ import annotations

from collections.abc import Iterator

import discord
import pytest

from bot.app import create_bot
from bot.config import BotSettings
from bot.db import database_url
from bot.store_process import close_store, open_bot_store
from retrieval.engine import NewsEngine
from retrieval.settings import Settings
from tests.feedserver import serve_feeds
from tests.test_db_state import fresh_postgres_database

FEED_POLL = 5 * 60
LEAD = (
    "Officials in the harbour town of Tessaly said on Monday that the {what} would change "
    "how residents travel, shop and work over the coming years, after a long public debate "
    "in the council chamber that drew hundreds of people from the surrounding villages."
)
ITEMS = {
    "ferry": "Ferry crews agree new pay deal",
    "bridge": "Council approves the new harbour bridge",
    "library": "Vellmark library to reopen in spring",
    "market": "Night market returns to the quay",
    "tram": "Tram line extension opens to the airport",
    "walk": "New quay walk opens for cyclists",
}


def item(key: str, day: int) -> str:
    return (
        f"<item><title>{ITEMS[key]}</title>"
        f"<link>https://news.example.org/{key}</link>"
        f"<description>{LEAD.format(what=ITEMS[key].lower())}</description>"
        f"<author>desk@example.org (Ines Calloway)</author>"
        f"<pubDate>Mon, {day:02d} Mar 2026 10:00:00 GMT</pubDate></item>"
    )


def rss(title: str, *entries: tuple[str, int]) -> bytes:
    items = "".join(item(key, day) for key, day in entries)
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://news.example.org/</link><description>{title}</description>"
        f"{items}</channel></rss>"
    ).encode()


@pytest.fixture
def feeds():
    files = {
        "/gazette.xml": rss("Harbour Gazette", ("ferry", 2), ("bridge", 1)),
        "/courier.xml": rss("Quay Courier", ("library", 2)),
    }
    with serve_feeds(files) as server:
        yield server


BOTH_DATABASES = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
async def db_url(request, tmp_path):
    """SQLite unless a test asks for both (BOTH_DATABASES): one PostgreSQL run per behaviour
    that depends on the database keeps the suite lean."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return database_url("", tmp_path)
    return await fresh_postgres_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def settings_over() -> dict[str, object]:
    return {}


@pytest.fixture
def follow_settings(tmp_path, embedder, db_url, settings_over) -> BotSettings:
    values = {
        "chroma_path": tmp_path / "chroma",
        "chroma_collection": "follow",
        "database_url": db_url.replace("+aiosqlite", "").replace("+asyncpg", ""),
        "feed_poll_minutes": FEED_POLL / 60,
        "feeds_allow_private": True,
        "feed_post_retry_seconds": 1,
        **settings_over,
    }
    return BotSettings(_env_file=None, **values)


@pytest.fixture
def engine(follow_settings, embedder) -> Iterator[NewsEngine]:
    """Over the store as news-bot opens it: an embedded one in a process of its own, so every
    flow here (polls, posts, answers) also shows that process changes nothing they see."""
    base = Settings(**follow_settings.model_dump(include=set(Settings.model_fields)))
    engine = NewsEngine(base, store=open_bot_store(base), embedder=embedder)
    yield engine
    close_store(engine.store)


@pytest.fixture
def simcord_bot(engine, follow_settings):
    return create_bot(engine=engine, settings=follow_settings, sync=True)


pytestmark = pytest.mark.simcord(shard_count=1, settle_timeout=120)


@pytest.fixture
def world(simcord_env):
    env = simcord_env
    guild = env.create_guild()
    mods = guild.create_role("mods", permissions=discord.Permissions(manage_guild=True))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    return env, guild, guild.create_text_channel("news"), guild.create_text_channel("mods"), mod


def posts(channel) -> list[discord.Message]:
    return [m for m in channel.history() if m.author.bot and m.embeds and m.embeds[0].url]


def publish(server, path: str, title: str, *entries: tuple[str, int]) -> None:
    server.publish(path, rss(title, *entries), 1_800_000_000)


@BOTH_DATABASES
async def test_add_posts_nothing_old_then_each_new_article_once(world, feeds, simcord_bot):
    env, _, news, mods, mod = world
    added = await mod.slash(mods, "feeds add", url=f"{feeds.base}/gazette.xml", channel=news)
    embed = added.response.embeds[0]
    assert embed.title == "Following Harbour Gazette"
    assert "Newest: [Ferry crews agree new pay deal](https://news.example.org/ferry)" in (
        embed.description
    )
    assert posts(news) == []  # what the feed held is stored, not posted

    publish(feeds, "/gazette.xml", "Harbour Gazette", ("market", 3), ("ferry", 2), ("bridge", 1))
    await env.advance_time(FEED_POLL)
    [post] = posts(news)
    card = post.embeds[0]
    assert card.title == "Night market returns to the quay"
    assert card.url == "https://news.example.org/market"
    assert card.author.name == "Harbour Gazette"
    assert card.description.startswith("Officials in the harbour town of Tessaly")
    assert {f.name: f.value for f in card.fields}["Published"] == "2026-03-03"
    # A reply to the post is a question about that article, after a restart too.
    assert simcord_bot.conversations.recall(post.id) == ITEMS["market"]
    assert await simcord_bot.subscriptions.article_posted_as(post.id) == ITEMS["market"]
    sent = [r for r in env.http_requests if r.method == "POST" and r.path.endswith("/messages")]
    assert all(r.json.get("allowed_mentions") == {"parse": []} for r in sent)

    await env.advance_time(FEED_POLL)  # unchanged feed: a 304, nothing posted again
    assert len(posts(news)) == 1
    assert feeds.statuses("/gazette.xml")[-1] == 304

    listed = await mod.slash(mods, "feeds list")
    [field] = listed.response.embeds[0].fields
    assert field.name == "Harbour Gazette" and f"<#{news.id}>" in field.value
    assert "articles: 3" in field.value and "Last success: <t:" in field.value

    [choice] = await mod.autocomplete(mods, "feeds remove", "feed", "harb")
    assert choice["name"] == "Harbour Gazette → #news"
    removed = await mod.slash(mods, "feeds remove", feed=choice["value"])
    assert removed.response.content.startswith("Stopped following Harbour Gazette")
    empty = await mod.slash(mods, "feeds list")
    assert "follows no feeds yet" in empty.response.embeds[0].description


@BOTH_DATABASES
async def test_one_article_in_two_feeds_is_posted_once(world, feeds, simcord_bot):
    env, _, news, mods, mod = world
    for path in ("/gazette.xml", "/courier.xml"):
        await mod.slash(mods, "feeds add", url=f"{feeds.base}{path}", channel=news)
    publish(feeds, "/gazette.xml", "Harbour Gazette", ("tram", 4), ("ferry", 2), ("bridge", 1))
    publish(feeds, "/courier.xml", "Quay Courier", ("tram", 4), ("library", 2))
    await env.advance_time(FEED_POLL)
    assert [p.embeds[0].title for p in posts(news)] == [ITEMS["tram"]]


@BOTH_DATABASES
async def test_a_restart_does_not_post_again(world, feeds, simcord_bot, follow_settings, engine):
    env, _, news, mods, mod = world
    await mod.slash(mods, "feeds add", url=f"{feeds.base}/gazette.xml", channel=news)
    publish(feeds, "/gazette.xml", "Harbour Gazette", ("market", 3), ("ferry", 2))
    await env.advance_time(FEED_POLL)
    assert len(posts(news)) == 1

    # A new process: no memory but the database; the feed is read in full again (200).
    (follow_settings.data_dir / "followed_feed_state.json").unlink()
    before = len(feeds.statuses("/gazette.xml"))
    await env.restart_bot(create_bot(engine=engine, settings=follow_settings, sync=False))
    await env.advance_time(FEED_POLL)
    assert 200 in feeds.statuses("/gazette.xml")[before:]
    assert len(posts(news)) == 1
    publish(feeds, "/gazette.xml", "Harbour Gazette", ("tram", 4), ("market", 3))
    await env.advance_time(FEED_POLL)
    assert [p.embeds[0].title for p in posts(news)] == [ITEMS["market"], ITEMS["tram"]]


async def test_feeds_are_for_moderators(world, feeds):
    env, guild, news, _, _ = world
    alice = guild.add_member(env.create_user("alice"))
    assert "feeds add" not in " ".join(alice.available_commands(news))
    command = env.backend.find_command("feeds", guild.id)
    guild.set_command_permissions(int(command["id"]), {guild.default_role: True})
    refused = await alice.slash(news, "feeds add", url=f"{feeds.base}/gazette.xml")
    assert refused.ephemeral
    assert (
        refused.response.content
        == "Only members with Manage Server can change this server's feeds."
    )
    editors = guild.create_role("news-editor")
    eddie = guild.add_member(env.create_user("eddie"), roles=[editors])
    refused = await eddie.slash(news, "feeds list")
    assert refused.response.content.startswith("Only members with Manage Server")


@pytest.mark.parametrize("settings_over", [{"ingest_role": "news-editor", "feeds_per_server": 1}])
async def test_a_failing_feed_is_one_line_and_limits_hold(world, feeds):
    env, guild, news, _, _ = world
    command = env.backend.find_command("feeds", guild.id)
    guild.set_command_permissions(int(command["id"]), {guild.default_role: True})
    editor = guild.add_member(env.create_user("eddie"), roles=[guild.create_role("news-editor")])
    gone = await editor.slash(news, "feeds add", url=f"{feeds.base}/gone.xml")
    assert gone.response.content.startswith(f"Could not follow <{feeds.base}/gone.xml>: ")
    assert "404" in gone.response.content and "\n" not in gone.response.content
    refused = await editor.slash(news, "feeds add", url="ftp://example.org/feed")
    assert refused.response.content.startswith("Refused: only http")
    await editor.slash(news, "feeds add", url=f"{feeds.base}/gazette.xml")
    full = await editor.slash(news, "feeds add", url=f"{feeds.base}/courier.xml")
    assert full.response.content.startswith("This server follows 1 feeds already")

    del feeds.files["/gazette.xml"]  # the feed breaks after it was followed
    await env.advance_time(FEED_POLL)
    listed = await editor.slash(news, "feeds list")
    assert "Last error (<t:" in listed.response.embeds[0].fields[0].value
    assert posts(news) == []


@pytest.mark.parametrize("settings_over", [{"feeds_allow_private": False}])
async def test_private_addresses_are_refused(world):
    _, _, news, _, mod = world
    result = await mod.slash(news, "feeds add", url="http://127.0.0.1:9/feed.xml")
    assert "private or local address" in result.response.content
