"""Asking: /ask, mentions, direct messages, `!ask`, and follow-ups in threads and replies."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import date

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import Outcome
from bot.feedback import FeedbackView
from bot.host import BotHost
from bot.render import SILENT, answer_replies, notice, truncate

log = logging.getLogger(__name__)
THREAD_NAME_LIMIT = 100


class AskCog(commands.Cog, name="Ask"):
    def __init__(self, bot: BotHost) -> None:
        self.bot = bot

    # -- /ask ------------------------------------------------------------------------------
    @app_commands.command(name="ask", description="Ask a question about the news")
    @app_commands.describe(
        question="What you want to know",
        since="Only news from this date on (YYYY-MM-DD)",
        source="Only this outlet (part of its name)",
    )
    async def ask_slash(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 500],
        since: str | None = None,
        source: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        refusal = self.bot.answers.check_cooldown(interaction.user.id)
        if refusal:
            await interaction.response.send_message(refusal, ephemeral=True)
            return
        try:
            since_day = date.fromisoformat(since) if since else None
        except ValueError:
            await interaction.response.send_message(
                f"`since` must be a date like 2026-01-07, not {since!r}.",
                ephemeral=True,
                allowed_mentions=SILENT,
            )
            return
        # Discord allows 3 seconds for the first response: acknowledge now, answer later.
        await interaction.response.defer(thinking=True)
        context = self.bot.conversations.recall(interaction.channel_id)
        outcome = await self.bot.answers.answer(
            question,
            place=_place(interaction.guild_id, interaction.user.id),
            context=context if _is_followup(question) else "",
            since=since_day,
            source=source,
            publishers=await self._scope(interaction.guild_id),
        )
        sent = await self._send_outcome(
            lambda **kw: interaction.followup.send(wait=True, **kw), outcome, question
        )
        for message in sent:
            self.bot.conversations.remember(message.id, question)

    # -- mentions, DMs, replies, threads -----------------------------------------------------
    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        me = self.bot.user
        assert me is not None
        is_dm = message.guild is None
        mentioned = me in message.mentions
        if is_dm and not self.bot.settings.discord_allow_dms:
            return
        if not (is_dm or mentioned):
            return
        ctx = await self.bot.get_context(message)
        if ctx.valid:
            return  # a command ("@newsbot ask ...", "!ask ..."): the command answers it
        question = _strip_mentions(message.content, me.id)
        if not question:
            await message.reply(
                "Ask me a question about the news, e.g. "
                f"{me.mention} who confirmed the casualties?",
                allowed_mentions=SILENT,
            )
            return
        await self.handle_question(message, question)

    @commands.command(name="ask")
    async def ask_prefix(self, ctx: commands.Context, *, question: str = "") -> None:
        """`!ask <question>` (needs the Message Content intent) or `@newsbot ask ...`."""
        await self.handle_question(ctx.message, question)

    async def handle_question(self, message: discord.Message, question: str) -> None:
        refusal = self.bot.answers.check_cooldown(message.author.id)
        if refusal:
            await message.reply(refusal, allowed_mentions=SILENT)
            return
        reference = message.reference.message_id if message.reference else None
        channel_id = message.channel.id
        context = self.bot.conversations.recall(reference, channel_id)
        if context and not (reference or _is_followup(question)):
            context = ""  # a new, self-contained question in the same thread
        if not context and message.guild is not None:
            # In reply to an article the bot posted, or in its forum post: about that article.
            context = await self.bot.subscriptions.article_posted_as(reference or channel_id)
        # "hello" or "thanks!" gets its short reply in place, not a thread of its own.
        small_talk = self.bot.answers.small_talk(question) is not None
        thread = None if small_talk else await self._maybe_thread(message, question)
        async with (thread or message.channel).typing():
            outcome = await self.bot.answers.answer(
                question,
                place=_place(message.guild.id if message.guild else None, message.author.id),
                context=context,
                publishers=await self._scope(message.guild.id if message.guild else None),
            )
        if thread is not None:
            sent = await self._send_outcome(thread.send, outcome, question)
        else:
            sent = await self._send_outcome(
                lambda **kw: message.reply(**kw), outcome, question, first_only_reply=True
            )
        for m in sent:
            self.bot.conversations.remember(m.id, question)
        where = thread or message.channel
        if isinstance(where, discord.Thread) or message.guild is None:
            self.bot.conversations.remember(where.id, question)  # later questions there

    async def _scope(self, guild_id: int | None) -> tuple[str, ...] | None:
        """The outlets a server's answers are limited to (its followed feeds), or None for
        all the news the bot holds: the server's `/settings answers` choice."""
        if guild_id is None or await self.bot.preferences.answer_scope(guild_id) != "followed":
            return None
        return tuple(await self.bot.subscriptions.publishers_followed(guild_id))

    async def _maybe_thread(self, message: discord.Message, question: str) -> discord.Thread | None:
        """A new thread for a question asked in a server's text channel (if allowed)."""
        channel = message.channel
        if not self.bot.settings.discord_threads or not isinstance(channel, discord.TextChannel):
            return None
        perms = channel.permissions_for(channel.guild.me)
        if not (perms.create_public_threads and perms.send_messages_in_threads):
            return None
        try:
            return await message.create_thread(
                name=truncate(question, THREAD_NAME_LIMIT), auto_archive_duration=1440
            )
        except discord.HTTPException as exc:
            log.info("could not open a thread in #%s: %s; replying instead", channel, exc)
            return None

    async def _send_outcome(
        self,
        send: Callable[..., Awaitable[discord.Message | None]],
        outcome: Outcome,
        question: str,
        first_only_reply: bool = False,
    ) -> list[discord.Message]:
        """Send the answer (one or more messages), feedback buttons under the last."""
        if outcome.answer is None:
            msg = await send(embed=notice(outcome.message), allowed_mentions=SILENT)
            return [msg] if msg is not None else []
        replies = answer_replies(outcome.answer, outcome.searched, question)
        sent: list[discord.Message] = []
        for i, reply in enumerate(replies):
            last = i == len(replies) - 1
            kwargs = {"embed": reply.embed, "allowed_mentions": SILENT}
            if last:
                kwargs["view"] = FeedbackView(self.bot.feedback)
            if i > 0 and first_only_reply:
                msg = await sent[0].channel.send(**kwargs)
            else:
                msg = await send(**kwargs)
            if msg is not None:
                sent.append(msg)
        return sent


_FOLLOWUP = re.compile(
    r"^\s*(and|but|also|what about|how about|so|then|why|when|where)\b|\b(he|she|they|it|that|"
    r"this|them|his|her|their|those)\b",
    re.I,
)


def _is_followup(question: str) -> bool:
    """Reads like it leans on the previous question ("and what did Rubio say?")."""
    return bool(_FOLLOWUP.search(question))


def _strip_mentions(content: str, bot_id: int) -> str:
    return " ".join(re.sub(rf"<@!?{bot_id}>", " ", content).split())


def _place(guild_id: int | None, user_id: int) -> str:
    return f"guild:{guild_id}" if guild_id else f"dm:{user_id}"


async def setup(bot: BotHost) -> None:
    """The entry point of `bot.load_extension("bot.cogs.ask")`."""
    await bot.add_cog(AskCog(bot))
