"""👍/👎 on answers: buttons under each answer, recorded in the bot's database for review.

The buttons have fixed custom ids and the view has no timeout, and it is registered in
`setup_hook`, so buttons on answers posted before a restart still work. Each vote keeps the
question, the answer and its sources as shown, so `/feedback report` and
`news-bot feedback --export` can be read without the Discord message.
"""

from __future__ import annotations

import logging

import discord

from bot.db.votes import Votes

log = logging.getLogger(__name__)

UP = "newsbot:feedback:up"
DOWN = "newsbot:feedback:down"


class FeedbackView(discord.ui.View):
    """The two buttons under an answer."""

    def __init__(self, votes: Votes) -> None:
        super().__init__(timeout=None)
        self.votes = votes

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary, custom_id=UP)
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._record(interaction, "up")

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary, custom_id=DOWN)
    async def down(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._record(interaction, "down")

    async def _record(self, interaction: discord.Interaction, vote: str) -> None:
        message = interaction.message
        embeds = message.embeds if message is not None else []
        # A long answer spans several messages; the buttons ride on the last, which holds
        # the sources. Its title says "(part n)" / "(sources)" after the question.
        title = embeds[0].title or "" if embeds else ""
        question = title.split(" (part ")[0].removesuffix(" (sources)")
        sources = [
            f.value for e in embeds for f in e.fields if f.name.startswith(("Sources", "Closest"))
        ]
        await self.votes.add(
            vote=vote,
            question=question,
            answer="\n".join(e.description or "" for e in embeds).strip(),
            sources="\n".join(sources),
            message_id=message.id if message else None,
            channel_id=interaction.channel_id,
            guild_id=interaction.guild_id,
            user_id=interaction.user.id,
        )
        await interaction.response.send_message(
            "Thanks, noted." if vote == "up" else "Thanks, noted: I'll try to do better.",
            ephemeral=True,
        )
