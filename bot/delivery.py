"""Posting new articles to the channels that follow them: once each, retried, never blocking.

Each server's queue is worked by its own task, so a server whose posts fail (Discord errors,
a rate limit, its hourly cap) never holds up another's. The delivery row was claimed before
posting, so a restart resumes the queue without posting anything twice. A channel that is
gone, or where the bot may no longer post, disables that subscription and the server is told
once, where `/feeds add` was typed (or in its system channel).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import discord

from bot.db.models import Delivery, Subscription
from bot.db.subscriptions import DROPPED, SENT
from bot.following import article_embed
from bot.host import BotHost
from bot.render import SILENT, truncate

log = logging.getLogger(__name__)


class Deliverer:
    def __init__(self, bot: BotHost) -> None:
        self.bot = bot
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._starting: set[asyncio.Task[None]] = set()
        self.posted = 0  # posts made since start: for logs and the benchmark

    def kick(self) -> None:
        """Start a worker for each server with queued posts that has none running."""
        starting = asyncio.get_running_loop().create_task(self._start_workers())
        self._starting.add(starting)
        starting.add_done_callback(self._starting.discard)

    async def _start_workers(self) -> None:
        pending = await self.bot.subscriptions.pending()
        for guild_id in {d.guild_id for d in pending}:
            worker = self._workers.get(guild_id)
            if worker is None or worker.done():
                self._workers[guild_id] = asyncio.create_task(self._work(guild_id))

    async def drain(self) -> None:
        """Wait until every running worker has finished (tests, the benchmark, shutdown)."""
        while running := [*self._starting, *(w for w in self._workers.values() if not w.done())]:
            await asyncio.gather(*running, return_exceptions=True)

    def cancel(self) -> None:
        for task in [*self._starting, *self._workers.values()]:
            task.cancel()

    async def _work(self, guild_id: int) -> None:
        try:
            for delivery in await self.bot.subscriptions.pending():
                if delivery.guild_id != guild_id:
                    continue
                if await self._over_hourly_cap(guild_id):
                    log.info("server %s reached its posts per hour; the rest wait", guild_id)
                    return
                await self._deliver(delivery)
        except Exception:
            log.exception("posting to server %s failed; its queue is tried next poll", guild_id)

    async def _over_hourly_cap(self, guild_id: int) -> bool:
        sent = await self.bot.subscriptions.sent_last_hour(guild_id)
        return sent >= self.bot.settings.feed_posts_per_hour

    async def _deliver(self, delivery: Delivery) -> None:
        """Post one article, retrying Discord's passing failures with a doubling wait."""
        subs = self.bot.subscriptions
        settings = self.bot.settings
        card = json.loads(delivery.payload)
        for attempt in range(settings.feed_post_retries + 1):
            try:
                message_id = await self._post(delivery.channel_id, card)
            except discord.NotFound:
                await self._give_up(delivery, f"<#{delivery.channel_id}> no longer exists")
                return
            except (discord.Forbidden, Unpostable):
                await self._give_up(delivery, f"I may no longer post in <#{delivery.channel_id}>")
                return
            except (TimeoutError, discord.HTTPException, OSError) as exc:
                wait = settings.feed_post_retry_seconds * 2**attempt
                log.warning(
                    "posting %s to channel %s failed (%s); try %d of %d",
                    card.get("url"), delivery.channel_id, exc, attempt + 1,
                    settings.feed_post_retries + 1,
                )  # fmt: skip
                if attempt < settings.feed_post_retries:
                    await asyncio.sleep(wait)
                continue
            await subs.mark(delivery.id, SENT, message_id)
            self.posted += 1
            return
        await subs.mark(delivery.id, DROPPED)

    async def _post(self, channel_id: int, card: dict[str, Any]) -> int:
        channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
        embed = article_embed(card)
        if isinstance(channel, discord.ForumChannel):
            created = await channel.create_thread(
                name=truncate(card["title"] or "Untitled", 100),
                embed=embed,
                allowed_mentions=SILENT,
            )
            # The forum post is a thread: questions asked in it are about this article.
            self.bot.conversations.remember(created.thread.id, card["title"])
            return created.thread.id
        if not isinstance(channel, discord.abc.Messageable):
            raise Unpostable(channel_id)
        message = await channel.send(embed=embed, allowed_mentions=SILENT)
        # A reply to the post asks about this article first.
        self.bot.conversations.remember(message.id, card["title"])
        return message.id

    async def _give_up(self, delivery: Delivery, reason: str) -> None:
        subs = self.bot.subscriptions
        await subs.mark(delivery.id, DROPPED)
        if delivery.subscription_id is None:
            return
        if await subs.disable(delivery.subscription_id, reason):
            await subs.forget_pending_of(delivery.subscription_id)
            subscription = await subs.get(delivery.subscription_id)
            if subscription is not None:
                await self._tell_server(subscription, reason)

    async def _tell_server(self, subscription: Subscription, reason: str) -> None:
        """The one message saying a subscription stopped, and how to resume it."""
        text = (
            f"I stopped posting <{subscription.url}> ({subscription.title or 'a feed'}): "
            f"{reason}. A moderator can follow it again with `/feeds add`."
        )
        guild = self.bot.get_guild(subscription.guild_id)
        candidates = [
            self.bot.get_channel(subscription.notice_channel_id or 0),
            guild.system_channel if guild else None,
        ]
        for channel in candidates:
            if channel is None or channel.id == subscription.channel_id:
                continue
            try:
                await channel.send(text, allowed_mentions=SILENT)
                return
            except discord.HTTPException as exc:
                log.info("could not tell server %s in %s: %s", subscription.guild_id, channel, exc)
        log.warning("subscription %s disabled (%s); no channel to say so", subscription.id, reason)


class Unpostable(Exception):
    """The channel exists but is of a kind that takes no messages (voice, category)."""
