"""How a server's subscriptions read in Discord: `/feeds list` and the remove menu."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.db.models import Subscription
from bot.render import COLOUR_ABSTAIN, COLOUR_ANSWER, escape, truncate

FIELDS_SHOWN = 25  # Discord's limit of fields per embed


def subscription_label(subscription: Subscription, channel_name: str | None = None) -> str:
    """ "Lakeside Gazette → #news": what a moderator recognises a subscription by (menus
    show plain text, so the channel is named, not mentioned)."""
    name = subscription.title or subscription.url
    return f"{name} → #{channel_name}" if channel_name else name


def subscriptions_embed(rows: list[Subscription]) -> discord.Embed:
    if not rows:
        return discord.Embed(
            description="This server follows no feeds yet. Add one with `/feeds add`.",
            colour=COLOUR_ABSTAIN,
        )
    embed = discord.Embed(title=f"Feeds followed here ({len(rows)})", colour=COLOUR_ANSWER)
    for row in rows[:FIELDS_SHOWN]:
        embed.add_field(name=truncate(row.title or row.url, 256), value=_status(row), inline=False)
    return embed


def _status(row: Subscription) -> str:
    lines = [f"<{row.url}> → <#{row.channel_id}>"]
    if not row.enabled:
        lines.append(f"**Stopped**: {escape(row.disabled_reason)}")
    lines.append(f"Last success: {_when(row.last_success_at)} · articles: {row.article_count}")
    if row.last_error:
        lines.append(
            f"Last error ({_when(row.last_error_at)}): {escape(truncate(row.last_error, 300))}"
        )
    if row.include_words or row.exclude_words:
        words = [*row.include_words.split(), *(f"-{w}" for w in row.exclude_words.split())]
        lines.append(f"Filter: {escape(' '.join(words))}")
    return truncate("\n".join(lines), 1024)


def _when(moment: datetime | None) -> str:
    """A Discord timestamp, shown in each reader's own time zone."""
    return discord.utils.format_dt(moment, "R") if moment else "never"
