"""Moderator and owner commands: /ingest a page or feed, and syncing the slash commands.

/ingest lets strangers' URLs reach the server's network, so it refuses anything but public
http(s) addresses (no loopback, private or link-local hosts, checked at every redirect),
with the download capped in size and time; the work runs off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

import discord
from discord import app_commands
from discord.ext import commands

from bot.host import BotHost
from bot.permissions import is_moderator, moderator_refusal
from bot.render import COLOUR_ANSWER, SILENT, escape, notice, truncate
from ingest import LoadOptions, ingest_sources

log = logging.getLogger(__name__)


class AdminCog(commands.Cog, name="Admin"):
    def __init__(self, bot: BotHost) -> None:
        self.bot = bot

    @app_commands.command(name="ingest", description="Add a news page or feed (moderators)")
    @app_commands.describe(url="An http(s) link to an article page or an RSS/Atom feed")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    async def ingest(
        self, interaction: discord.Interaction, url: app_commands.Range[str, 8, 2000]
    ) -> None:
        if not is_moderator(interaction):
            await interaction.response.send_message(
                moderator_refusal(self.bot.settings, "add news"), ephemeral=True
            )
            return
        url = url.strip()
        if not _is_web_link(url):
            await interaction.response.send_message(
                "Refused: only public http:// or https:// links can be ingested.",
                ephemeral=True,
            )
            return
        await interaction.response.defer(thinking=True)
        settings = self.bot.settings
        options = LoadOptions.from_settings(
            settings,
            fetch_timeout=min(settings.fetch_timeout, 20.0),
            fetch_max_bytes=min(settings.fetch_max_bytes, 5_000_000),
            allow_private=False,
            fetch_linked_pages=False,
        )
        engine = self.bot.engine
        try:
            report = await asyncio.to_thread(
                ingest_sources, [url], engine.store, engine.embedder, settings, options
            )
        except Exception:
            log.exception("/ingest %s failed", url)
            await interaction.followup.send(
                embed=notice("Sorry, ingesting that failed. It has been logged."),
                allowed_mentions=SILENT,
            )
            return
        log.info(
            "/ingest by %s in %s: %s -> %s",
            interaction.user.id,
            interaction.guild_id,
            url,
            report.as_json(),
        )
        await interaction.followup.send(embed=_report_embed(url, report), allowed_mentions=SILENT)

    @commands.command(name="sync", hidden=True)
    @commands.is_owner()
    async def sync(self, ctx: commands.Context, scope: str = "global") -> None:
        """`@newsbot sync` (global) or `@newsbot sync here` (this server, instant)."""
        if scope == "here" and ctx.guild is not None:
            self.bot.tree.copy_global_to(guild=ctx.guild)
            synced = await self.bot.tree.sync(guild=ctx.guild)
        else:
            synced = await self.bot.tree.sync()
        await ctx.reply(f"Synced {len(synced)} commands ({scope}).", allowed_mentions=SILENT)


def _report_embed(url: str, report) -> discord.Embed:  # noqa: ANN001 - ingest.IngestReport
    if report.failed:
        reason = report.failed[0]["error"]
        return notice(f"Could not ingest <{url}>: {escape(reason)}")
    added = report.articles_added + report.articles_updated
    embed = discord.Embed(
        title="Added to the news I know" if added else "Nothing new",
        description=(
            f"{report.articles_added} new and {report.articles_updated} updated articles "
            f"({report.passages} passages), {report.articles_unchanged} already known, "
            f"from <{url}>."
        ),
        colour=COLOUR_ANSWER,
    )
    titles = [f"• {escape(truncate(t, 150))}" for t in report.added_titles[:10]]
    if titles:
        embed.add_field(name="New", value=truncate("\n".join(titles), 1024), inline=False)
    return embed


def _is_web_link(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
    except ValueError:  # "https://[bad": refused like any other non-link
        return False


async def setup(bot: BotHost) -> None:
    """The entry point of `bot.load_extension("bot.cogs.admin")`."""
    await bot.add_cog(AdminCog(bot))
