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
from bot.feedback import FeedbackLog
from retrieval.engine import NewsEngine


class BotHost(Protocol):
    """The bot as its cogs see it: its settings and services, and the few client calls used."""

    settings: BotSettings
    engine: NewsEngine
    answers: AnswerService
    conversations: Conversations
    feedback: FeedbackLog

    @property
    def user(self) -> discord.ClientUser | None: ...

    @property
    def tree(self) -> app_commands.CommandTree[Any]: ...

    async def get_context(self, _origin: discord.Message, /) -> commands.Context[Any]: ...

    async def wait_until_ready(self) -> None: ...

    async def add_cog(self, _cog: commands.Cog, /) -> None: ...
