"""/feeds add, remove and list: each server follows its own feeds into its own channels.

A followed feed is checked when it is added (one fetch, the /ingest command's address and
size rules) and what it holds then is stored but not posted; afterwards it is polled with
the operator's NEWS_FEEDS every FEED_POLL_MINUTES, and each new article is posted once per
channel by `bot.delivery`. Fetching, parsing and storing run in worker threads.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.db.models import Subscription
from bot.db.subscriptions import BASELINE, PENDING
from bot.delivery import Deliverer
from bot.following import (
    FeedCheck,
    PollResult,
    card_json,
    check_feed,
    parse_filter,
    passes_filter,
    poll_feed,
    store_feed,
)
from bot.host import BotHost
from bot.permissions import is_moderator, moderator_refusal
from bot.render import COLOUR_ANSWER, SILENT, escape, truncate
from bot.subscription_views import subscription_label, subscriptions_embed

log = logging.getLogger(__name__)

PostTarget = discord.TextChannel | discord.Thread | discord.ForumChannel


class FollowingCog(commands.Cog, name="Following"):
    feeds = app_commands.Group(
        name="feeds",
        description="The news feeds this server follows (moderators)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: BotHost) -> None:
        self.bot = bot
        self.deliverer = Deliverer(bot)
        self.last_poll: list[PollResult] = []
        self.poll.change_interval(minutes=bot.settings.feed_poll_minutes)

    async def cog_load(self) -> None:
        self.poll.start()

    async def cog_unload(self) -> None:
        self.poll.cancel()
        self.deliverer.cancel()

    async def _refused(self, interaction: discord.Interaction) -> bool:
        """Refuse (and say so) a member who may not change this server's feeds: the
        command's default permissions hide it, but a server can open it to everyone."""
        if is_moderator(interaction):
            return False
        await interaction.response.send_message(
            moderator_refusal(self.bot.settings, "change this server's feeds"), ephemeral=True
        )
        return True

    # -- /feeds add ------------------------------------------------------------------------
    @feeds.command(name="add", description="Follow a feed: new articles are posted here")
    @app_commands.describe(
        url="An http(s) link to an RSS/Atom feed or a news page",
        channel="Where new articles go (a text channel, thread or forum); default: here",
        filter="Words an article must mention; words starting with - it must not",
    )
    async def add(
        self,
        interaction: discord.Interaction,
        url: app_commands.Range[str, 8, 2000],
        channel: PostTarget | None = None,
        filter: app_commands.Range[str, 1, 300] | None = None,  # noqa: A002 - the option's name
    ) -> None:
        assert interaction.guild is not None
        if await self._refused(interaction):
            return
        target = channel or interaction.channel
        url = url.strip()
        refusal = await self._refusal(interaction.guild, target, url)
        if refusal:
            await interaction.response.send_message(refusal, ephemeral=True)
            return
        await interaction.response.defer(thinking=True, ephemeral=True)
        settings = self.bot.settings
        check = await asyncio.to_thread(check_feed, url, settings)
        if check.error:
            await interaction.followup.send(
                f"Could not follow <{url}>: {escape(check.error)}", allowed_mentions=SILENT
            )
            return
        include, exclude = parse_filter(filter or "")
        subscription = await self.bot.subscriptions.add(
            guild_id=interaction.guild.id,
            channel_id=target.id,
            notice_channel_id=interaction.channel_id,
            url=url,
            title=check.title[:300],
            publisher=(check.cards[0]["publisher"] if check.cards else "")[:300],
            include_words=include,
            exclude_words=exclude,
            created_by=interaction.user.id,
            article_count=len(check.cards),
        )
        if subscription is None:
            await interaction.followup.send(
                f"This server already follows <{url}> in {target.mention}.",
                allowed_mentions=SILENT,
            )
            return
        # What the feed holds now is stored (answerable) and marked as seen, never posted.
        await self._claim(subscription, check.cards, BASELINE)
        await asyncio.to_thread(store_feed, url, self.bot.engine, settings)
        log.info("server %s follows %s in %s", interaction.guild.id, url, target.id)
        await interaction.followup.send(
            embed=_followed_embed(check, target, include, exclude), allowed_mentions=SILENT
        )

    async def _refusal(self, guild: discord.Guild, target: object, url: str) -> str:
        """Why the feed cannot be added there, or '' when it can."""
        if not url.lower().startswith(("http://", "https://")):
            return "Refused: only http:// or https:// links can be followed."
        if not isinstance(target, PostTarget):
            return "New articles can go to a text channel, a thread or a forum channel."
        perms = target.permissions_for(guild.me)
        can_post = (
            perms.send_messages_in_threads
            if isinstance(target, discord.Thread)
            else perms.send_messages
        )
        if not (perms.view_channel and can_post and perms.embed_links):
            return (
                f"I can't post embeds in {target.mention}: "
                "give me Send Messages and Embed Links there."
            )
        if await self.bot.subscriptions.count(guild.id) >= self.bot.settings.feeds_per_server:
            return (
                f"This server follows {self.bot.settings.feeds_per_server} feeds already, "
                "the most it may; remove one first."
            )
        return ""

    # -- /feeds remove, /feeds list --------------------------------------------------------
    @feeds.command(name="remove", description="Stop following a feed")
    @app_commands.describe(feed="The feed to stop following")
    async def remove(self, interaction: discord.Interaction, feed: str) -> None:
        assert interaction.guild_id is not None
        if await self._refused(interaction):
            return
        removed = None
        if feed.isdigit():
            removed = await self.bot.subscriptions.remove(interaction.guild_id, int(feed))
        if removed is None:
            await interaction.response.send_message(
                "That is not a feed this server follows; pick one from the list.", ephemeral=True
            )
            return
        await interaction.response.send_message(
            f"Stopped following {escape(removed.title or removed.url)} in <#{removed.channel_id}>.",
            ephemeral=True,
            allowed_mentions=SILENT,
        )

    @remove.autocomplete("feed")
    async def _feeds_of_server(
        self, interaction: discord.Interaction, typed: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not is_moderator(interaction):
            return []
        wanted = typed.casefold()
        choices = []
        for row in await self.bot.subscriptions.of_guild(interaction.guild_id):
            channel = self.bot.get_channel(row.channel_id)
            label = subscription_label(row, getattr(channel, "name", None))
            if wanted in label.casefold() or wanted in row.url.casefold():
                choices.append(app_commands.Choice(name=truncate(label, 100), value=str(row.id)))
        return choices[:25]

    @feeds.command(name="list", description="The feeds this server follows, and how they fare")
    async def list_feeds(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        if await self._refused(interaction):
            return
        rows = await self.bot.subscriptions.of_guild(interaction.guild_id)
        await interaction.response.send_message(
            embed=subscriptions_embed(rows), ephemeral=True, allowed_mentions=SILENT
        )

    # -- polling ---------------------------------------------------------------------------
    @tasks.loop(minutes=15)
    async def poll(self) -> None:
        try:
            await self.poll_once()
        except Exception:  # one bad poll must not end the loop
            log.exception("polling followed feeds failed; trying again next time")

    @poll.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()

    async def poll_once(self) -> list[PollResult]:
        """Poll each followed URL once (one at a time, in a worker thread), queue the new
        articles for every channel that follows them, and start posting."""
        by_url: dict[str, list[Subscription]] = defaultdict(list)
        for subscription in await self.bot.subscriptions.enabled():
            by_url[subscription.url].append(subscription)
        self.deliverer.kick()  # what a restart left queued goes out while this polls
        results = []
        for url, subscriptions in by_url.items():
            result = await asyncio.to_thread(poll_feed, url, self.bot.engine, self.bot.settings)
            await self._record(result, subscriptions)
            results.append(result)
            if result.cards:
                self.deliverer.kick()
        self.last_poll = results
        return results

    async def _record(self, result: PollResult, subscriptions: list[Subscription]) -> None:
        subs = self.bot.subscriptions
        ids = [s.id for s in subscriptions]
        if result.error:
            await subs.record_error(ids, result.error)
            return
        if result.backing_off:
            return  # its last error stands until it is tried again
        for subscription in subscriptions:
            wanted = [
                c
                for c in result.cards
                if passes_filter(c, subscription.include_words, subscription.exclude_words)
            ]
            claimed = await self._claim(subscription, wanted, PENDING)
            await subs.record_success([subscription.id], len(claimed))

    async def _claim(self, subscription: Subscription, cards: list[dict], status: str) -> list[int]:
        return await self.bot.subscriptions.claim(
            [
                {
                    "guild_id": subscription.guild_id,
                    "channel_id": subscription.channel_id,
                    "subscription_id": subscription.id,
                    "article_key": card["key"],
                    "content_hash": card["content_hash"],
                    "status": status,
                    "payload": card_json(card) if status == PENDING else "",
                }
                for card in cards
            ]
        )


def _followed_embed(
    check: FeedCheck, target: discord.abc.GuildChannel | discord.Thread, include: str, exclude: str
) -> discord.Embed:
    newest = check.cards[0]
    lines = [
        f"New articles will be posted in {target.mention}. The {len(check.cards)} it holds "
        "now are stored for questions, not posted.",
        f"Newest: [{escape(truncate(newest['title'], 200))}]({newest['url']})"
        if newest["url"]
        else f"Newest: {escape(truncate(newest['title'], 200))}",
    ]
    if include or exclude:
        words = [*include.split(), *(f"-{w}" for w in exclude.split())]
        lines.append(f"Filter: {escape(' '.join(words))}")
    return discord.Embed(
        title=truncate(f"Following {check.title}", 256),
        description="\n".join(lines),
        colour=COLOUR_ANSWER,
    )


async def setup(bot: BotHost) -> None:
    """The entry point of `bot.load_extension("bot.cogs.following")`."""
    await bot.add_cog(FollowingCog(bot))
