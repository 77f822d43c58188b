"""/settings (a server's choices, moderators) and /feedback report (the bot's owners).

`/settings answers` decides whether a server's questions are answered from all the news the
bot holds or only from the feeds the server follows. `/feedback report` shows the owners the
latest thumbs-down answers with their question and sources, to see what goes wrong.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.db.models import SCOPE_ALL, SCOPE_FOLLOWED, FeedbackVote
from bot.host import BotHost
from bot.permissions import is_moderator, moderator_refusal
from bot.render import COLOUR_ANSWER, SILENT, notice, truncate

REPORTED = 8  # within the 6,000 characters of one embed
SCOPES = [
    app_commands.Choice(name="all the news the bot holds", value=SCOPE_ALL),
    app_commands.Choice(name="only the feeds this server follows", value=SCOPE_FOLLOWED),
]


class ServerSettingsCog(commands.Cog, name="ServerSettings"):
    settings_group = app_commands.Group(
        name="settings",
        description="How the bot behaves in this server (moderators)",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )
    feedback_group = app_commands.Group(
        name="feedback", description="Votes on answers (the bot's owners)"
    )

    def __init__(self, bot: BotHost) -> None:
        self.bot = bot

    @settings_group.command(name="answers", description="What questions here are answered from")
    @app_commands.describe(scope="All news, or only the feeds this server follows")
    @app_commands.choices(scope=SCOPES)
    async def answers(
        self, interaction: discord.Interaction, scope: app_commands.Choice[str]
    ) -> None:
        assert interaction.guild_id is not None
        if not is_moderator(interaction):
            await interaction.response.send_message(
                moderator_refusal(self.bot.settings, "change this server's settings"),
                ephemeral=True,
            )
            return
        await self.bot.preferences.set_answer_scope(interaction.guild_id, scope.value)
        text = f"Questions here are now answered from {scope.name}."
        if scope.value == SCOPE_FOLLOWED:
            followed = await self.bot.subscriptions.publishers_followed(interaction.guild_id)
            if not followed:
                text += " This server follows no feeds yet: add some with `/feeds add`."
        await interaction.response.send_message(text, ephemeral=True)

    @feedback_group.command(name="report", description="The latest thumbs-down answers")
    async def report(self, interaction: discord.Interaction) -> None:
        if not await self.bot.is_owner(interaction.user):
            await interaction.response.send_message(
                "Only the bot's owners can read the feedback.", ephemeral=True
            )
            return
        votes = await self.bot.feedback.recent(vote="down", limit=REPORTED)
        await interaction.response.send_message(
            embed=_report_embed(votes), ephemeral=True, allowed_mentions=SILENT
        )


def _report_embed(votes: list[FeedbackVote]) -> discord.Embed:
    if not votes:
        return notice("No thumbs-down votes yet.")
    embed = discord.Embed(title=f"Latest {len(votes)} thumbs-down answers", colour=COLOUR_ANSWER)
    for vote in votes:
        value = "\n".join(
            part
            for part in (
                truncate(" ".join(vote.answer.split()), 250),
                truncate(" ".join(vote.sources.split()), 150) if vote.sources else "",
                f"{discord.utils.format_dt(vote.voted_at, 'R')} · server {vote.guild_id or 'DM'}",
            )
            if part
        )
        embed.add_field(
            name=truncate(vote.question or "(no question)", 256),
            value=truncate(value, 1024),
            inline=False,
        )
    return embed


async def setup(bot: BotHost) -> None:
    """The entry point of `bot.load_extension("bot.cogs.server_settings")`."""
    await bot.add_cog(ServerSettingsCog(bot))
