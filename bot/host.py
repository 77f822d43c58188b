"""What a cog may use of the bot that loads it, as an interface the cogs import.

`bot.app` loads the cogs by name (`load_extension`), so the cogs must not import the bot class
back: they would sit both above and below it. `NewsBot` and `ShardedNewsBot` satisfy this
protocol structurally; a cog, or a test, needs nothing more of them than what is listed here.
"""

from __future__ import annotations

from typing import Any, Protocol

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import AnswerService
from bot.config import BotSettings
from bot.conversation import Conversations
from bot.db import Database
from bot.db.subscriptions import Subscriptions
from bot.db.votes import GuildPreferences, Votes
from retrieval.engine import NewsEngine


class BotHost(Protocol):
    """The bot as its cogs see it: its settings and services, and the few client calls used."""

    settings: BotSettings
    engine: NewsEngine
    answers: AnswerService
    conversations: Conversations
    db: Database
    feedback: Votes
    subscriptions: Subscriptions
    preferences: GuildPreferences

    @property
    def user(self) -> discord.ClientUser | None: ...

    @property
    def tree(self) -> app_commands.CommandTree[Any]: ...

    async def get_context(self, _origin: discord.Message, /) -> commands.Context[Any]: ...

    async def wait_until_ready(self) -> None: ...

    async def add_cog(self, _cog: commands.Cog, /) -> None: ...

    def get_channel(self, _id: int, /) -> Any: ...

    def get_guild(self, _id: int, /) -> discord.Guild | None: ...

    def get_cog(self, _name: str, /) -> commands.Cog | None: ...

    async def fetch_channel(self, _id: int, /) -> Any: ...

    async def is_owner(self, _user: discord.abc.User, /) -> bool: ...
