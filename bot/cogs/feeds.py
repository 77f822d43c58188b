"""Freshness: the feeds and pages in NEWS_FEEDS, polled on a schedule while the bot runs.

Each poll is an ordinary ingest run in a worker thread, with conditional requests (unchanged
feeds answer 304 and cost nothing) and per-feed backoff (a failing feed is retried later and
later; the others go on). New articles are answerable as soon as the poll has stored them.
"""

from __future__ import annotations

import asyncio
import logging

from discord.ext import commands, tasks

from bot.host import BotHost
from ingest import IngestReport, LoadOptions, ingest_sources

log = logging.getLogger(__name__)


class FeedsCog(commands.Cog, name="Feeds"):
    def __init__(self, bot: BotHost) -> None:
        self.bot = bot
        self.feeds = bot.settings.feed_urls
        self.last_report: IngestReport | None = None
        self.poll.change_interval(minutes=bot.settings.feed_poll_minutes)

    async def cog_load(self) -> None:
        if self.feeds:
            self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()

    @tasks.loop(minutes=15)
    async def poll(self) -> None:
        try:
            await self.poll_once()
        except Exception:  # one bad poll must not end the loop
            log.exception("feed poll failed; trying again next time")

    @poll.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def poll_once(self) -> IngestReport:
        """Fetch every due feed, store what is new; returns what happened."""
        settings = self.bot.settings
        options = LoadOptions.from_settings(settings, polling=True)
        engine = self.bot.engine
        report = await asyncio.to_thread(
            ingest_sources,
            self.feeds,
            engine.store,
            engine.embedder,
            settings,
            options,
            on_error=lambda err: log.warning("feed error: %s", err),
        )
        self.last_report = report
        log.info(
            "feeds polled: %d added, %d updated, %d not modified, %d failed, %d backing off",
            report.articles_added,
            report.articles_updated,
            report.not_modified,
            len(report.failed),
            len(report.backing_off),
        )
        return report


async def setup(bot: BotHost) -> None:
    """The entry point of `bot.load_extension("bot.cogs.feeds")`."""
    await bot.add_cog(FeedsCog(bot))
