"""The bot itself: `create_bot` builds exactly what `news-bot` runs, without connecting.

Tests, the Discord simulator and other programs call `create_bot(engine, settings)`; the
engine is built in `setup_hook` (off the event loop) when none is given, so the model and
the collection load once per process.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import APOLOGY, AnswerService
from bot.config import BotSettings
from bot.conversation import Conversations
from bot.db import Database
from bot.db.subscriptions import Subscriptions
from bot.db.votes import GuildPreferences, Votes
from bot.feedback import FeedbackView
from bot.render import SILENT
from bot.store_process import close_store, open_bot_store
from retrieval.engine import NewsEngine
from retrieval.search.store import PassageStore
from retrieval.settings import Settings

log = logging.getLogger(__name__)

# Loaded by name, as discord.py intends: the cogs type the bot through `bot.host.BotHost`,
# so no cog imports this module and this module imports no cog.
COGS = (
    "bot.cogs.ask",
    "bot.cogs.sources",
    "bot.cogs.admin",
    "bot.cogs.feeds",
    "bot.cogs.following",
    "bot.cogs.server_settings",
)


def intents_for(settings: BotSettings) -> discord.Intents:
    """Only what the bot uses: guilds, guild and DM messages, and (opt-in) message content.

    Without Message Content the bot still sees the text of messages that mention it, of
    replies to it and of DMs, which is all that asking needs.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.discord_message_content
    return intents


class NewsBotMixin:
    """Everything of the bot but its base class (sharded or not)."""

    settings: BotSettings
    engine: NewsEngine
    answers: AnswerService
    conversations: Conversations
    db: Database
    feedback: Votes
    subscriptions: Subscriptions
    preferences: GuildPreferences

    def __init__(
        self,
        settings: BotSettings,
        engine: NewsEngine | None,
        sync: bool,
        store: PassageStore | None = None,
    ) -> None:
        super().__init__(**_bot_options(settings))  # the Bot or AutoShardedBot after the mixin
        self.settings = settings
        self._given_engine = engine
        self._given_store = store
        self._sync_on_start = sync
        self.conversations = Conversations(settings.conversation_memory)
        self.tree.on_error = self._on_app_command_error  # type: ignore[attr-defined]

    async def setup_hook(self) -> None:
        # The database first: one that cannot be used fails in a moment, not after the model
        # loads. Migrations (and the one-time import of the old feedback file) and the model
        # and store load in worker threads: the gateway stays responsive.
        self.db = await Database.open(self.settings.database_address, self.settings.feedback_path)
        self.engine = self._given_engine or await asyncio.to_thread(
            build_engine, self.settings, self._given_store
        )
        self.feedback = Votes(self.db)
        self.subscriptions = Subscriptions(self.db)
        self.preferences = GuildPreferences(self.db)
        self.answers = AnswerService(self.engine, self.settings)
        for name in COGS:
            await self.load_extension(name)  # type: ignore[attr-defined]
        self.add_view(FeedbackView(self.feedback))  # type: ignore[attr-defined]
        _freeze_long_lived_objects()
        if self._sync_on_start:
            synced = await self.tree.sync()  # type: ignore[attr-defined]
            log.info("synced %d application commands", len(synced))

    async def close(self) -> None:
        await super().close()  # type: ignore[misc]
        db = getattr(self, "db", None)
        if db is not None:
            await db.close()
        engine = getattr(self, "engine", None)
        if engine is not None and engine is not self._given_engine:
            await asyncio.to_thread(close_store, engine.store)  # after its last write

    async def on_ready(self) -> None:
        user = self.user  # type: ignore[attr-defined]
        log.info("logged in as %s (%s) in %d servers", user, user.id, len(self.guilds))  # type: ignore[attr-defined]

    async def _on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        if isinstance(error, app_commands.CheckFailure):
            message = "You can't use this command here."
        else:
            log.error(
                "/%s failed for user %s in guild %s channel %s",
                interaction.command.qualified_name if interaction.command else "?",
                interaction.user.id,
                interaction.guild_id,
                interaction.channel_id,
                exc_info=error,
            )
            message = APOLOGY
        await _tell(interaction, message)

    async def on_command_error(self, ctx: commands.Context, error: Exception) -> None:
        if isinstance(error, commands.CommandNotFound | commands.NotOwner):
            return
        if isinstance(error, commands.UserInputError | commands.CheckFailure):
            await ctx.reply(str(error)[:1900], allowed_mentions=SILENT)
            return
        log.error(
            "command %s failed for user %s in guild %s",
            ctx.command,
            ctx.author.id,
            ctx.guild.id if ctx.guild else None,
            exc_info=error,
        )
        await ctx.reply(APOLOGY, allowed_mentions=SILENT)


class NewsBot(NewsBotMixin, commands.Bot):
    """One connection to the gateway: enough for a bot in fewer than 2,500 servers."""


class ShardedNewsBot(NewsBotMixin, commands.AutoShardedBot):
    """Discord requires sharding past 2,500 servers; one process runs all its shards."""


def _bot_options(settings: BotSettings) -> dict[str, Any]:
    prefix = (
        commands.when_mentioned_or(settings.discord_prefix)
        if settings.discord_message_content
        else commands.when_mentioned
    )
    return {
        "command_prefix": prefix,
        "intents": intents_for(settings),
        "allowed_mentions": SILENT,
        "help_command": None,
        "owner_ids": settings.owner_ids,
        "max_messages": 1000,
    }


def _freeze_long_lived_objects() -> None:
    """Keep full garbage collections off the event loop's back.

    Everything alive after setup (the model, the engine, every imported module: ~600,000
    objects in the test process) lives as long as the bot, yet each full collection scanned
    it again: 290-390 ms pauses, measured, and whichever thread triggers one holds the GIL
    meanwhile, so the event loop stalled that long during answers. Frozen, those objects are
    skipped; collections see only what answers allocate.
    """
    gc.collect()
    gc.freeze()


def build_engine(settings: Settings, store: PassageStore | None = None) -> NewsEngine:
    """The bot's engine, over `store` or one opened by `open_bot_store` (an embedded store
    in a process of its own, so its writes never hold up the event loop), model loaded."""
    engine = NewsEngine(settings, store=store or open_bot_store(settings))
    engine.embed_query("warm up")  # load the model now, not during the first question
    return engine


def create_bot(
    engine: NewsEngine | None = None,
    settings: BotSettings | Settings | None = None,
    sync: bool = False,
    store: PassageStore | None = None,
) -> NewsBot | ShardedNewsBot:
    """The fully configured bot (cogs, commands, intents, allowed mentions), not connected.

    Without `engine` it is built at start, over `store` when given (`news-bot` opens it
    before logging in, so a store that cannot be opened fails first)."""
    if settings is None:
        settings = BotSettings()
    elif not isinstance(settings, BotSettings):
        settings = BotSettings(_env_file=None, **settings.model_dump())
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
    cls = ShardedNewsBot if settings.discord_sharded else NewsBot
    return cls(settings, engine, sync, store)


async def _tell(interaction: discord.Interaction, message: str) -> None:
    """Reply whether or not the interaction was already acknowledged."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=SILENT)
        else:
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=SILENT
            )
    except discord.HTTPException:
        log.warning("could not tell user %s about an error", interaction.user.id)
