"""👍/👎 on answers: buttons under each answer, recorded as JSON lines for later review.

The buttons have fixed custom ids and the view has no timeout, and it is registered in
`setup_hook`, so buttons on answers posted before a restart still work.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

import discord

log = logging.getLogger(__name__)

UP = "newsbot:feedback:up"
DOWN = "newsbot:feedback:down"


class FeedbackLog:
    """Append-only JSON lines; one line per vote."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    def read(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]


class FeedbackView(discord.ui.View):
    """The two buttons under an answer."""

    def __init__(self, feedback: FeedbackLog) -> None:
        super().__init__(timeout=None)
        self.feedback = feedback

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary, custom_id=UP)
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._record(interaction, "up")

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary, custom_id=DOWN)
    async def down(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await self._record(interaction, "down")

    async def _record(self, interaction: discord.Interaction, vote: str) -> None:
        message = interaction.message
        question = ""
        if message is not None and message.embeds:
            question = message.embeds[0].title or ""
        record = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "vote": vote,
            "question": question,
            "answer": message.embeds[0].description if message and message.embeds else "",
            "message_id": message.id if message else None,
            "channel_id": interaction.channel_id,
            "guild_id": interaction.guild_id,
            "user_id": interaction.user.id,
        }
        await asyncio.to_thread(self.feedback.append, record)
        await interaction.response.send_message(
            "Thanks, noted." if vote == "up" else "Thanks, noted: I'll try to do better.",
            ephemeral=True,
        )
