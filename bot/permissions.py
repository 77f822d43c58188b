"""Who may change what the bot does in a server: members with Manage Server, or the role
named by INGEST_ROLE. Discord's own command permissions hide the commands from others, but a
server can open them to everyone, so each command checks again."""

from __future__ import annotations

import discord

from bot.config import BotSettings


def is_moderator(interaction: discord.Interaction) -> bool:
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    role = interaction.client.settings.ingest_role  # type: ignore[attr-defined]
    return bool(role) and any(r.name == role for r in member.roles)


def moderator_refusal(settings: BotSettings, action: str) -> str:
    """The one line a member without the permission gets."""
    needed = "Manage Server" + (
        f" or the {settings.ingest_role!r} role" if settings.ingest_role else ""
    )
    return f"Only members with {needed} can {action}."
