"""/sources: what the bot knows, or which articles match a topic."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import EMPTY_STORE, UNAVAILABLE
from bot.host import BotHost
from bot.render import COLOUR_ANSWER, SILENT, escape, notice, source_line, truncate
from retrieval.answer import distinct_articles
from retrieval.question.query import Query
from retrieval.search.store import StoreError

log = logging.getLogger(__name__)
SHOWN = 10


class SourcesCog(commands.Cog, name="Sources"):
    def __init__(self, bot: BotHost) -> None:
        self.bot = bot

    @app_commands.command(name="sources", description="What news I know about")
    @app_commands.describe(query="Optional topic: list the articles I have about it")
    async def sources(
        self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200] | None = None
    ) -> None:
        await interaction.response.defer(thinking=True)
        try:
            embed = await asyncio.to_thread(self._build, query)
        except StoreError as exc:
            log.error("/sources failed: %s", exc)
            embed = notice(UNAVAILABLE)
        await interaction.followup.send(embed=embed, allowed_mentions=SILENT)

    def _build(self, query: str | None) -> discord.Embed:
        engine = self.bot.engine
        stats = engine.stats(latest=5)
        if stats.articles == 0:
            return notice(EMPTY_STORE)
        if query:
            hits = distinct_articles(engine.search(Query(question=query)), SHOWN)
            lines = [source_line(None, h) for h in hits]
            embed = discord.Embed(
                title=truncate(f"Articles about “{query}”", 256),
                description="\n".join(lines)[:4000] or "Nothing matches that.",
                colour=COLOUR_ANSWER,
            )
        else:
            embed = discord.Embed(title="What I know", colour=COLOUR_ANSWER)
            embed.add_field(name="Articles", value=f"{stats.articles:,}")
            embed.add_field(name="Passages", value=f"{stats.passages:,}")
            embed.add_field(name="Dates", value=f"{stats.earliest or '?'} to {stats.latest or '?'}")
            publishers = [
                f"{escape(name)} ({count})" for name, count in list(stats.publishers.items())[:15]
            ]
            embed.add_field(
                name=f"Publishers ({len(stats.publishers)})",
                value=truncate(", ".join(publishers), 1024) or "?",
                inline=False,
            )
            latest = [
                f"{published} — {escape(truncate(title, 150))}"
                + (f" ({escape(publisher)})" if publisher else "")
                for published, title, publisher in stats.latest_titles
            ]
            if latest:
                embed.add_field(
                    name="Most recent", value=truncate("\n".join(latest), 1024), inline=False
                )
        embed.set_footer(text=f"{stats.passages:,} passages searchable")
        return embed


async def setup(bot: BotHost) -> None:
    """The entry point of `bot.load_extension("bot.cogs.sources")`."""
    await bot.add_cog(SourcesCog(bot))
