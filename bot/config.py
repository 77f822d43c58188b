"""The bot's settings: the engine's, plus what only the Discord side needs.

Same sources and precedence as the engine's settings (environment, then `.env`), so one
`.env` configures `news-ingest`, `news-ask` and `news-bot` alike.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator

from retrieval.settings import Settings


class BotSettings(Settings):
    discord_token: SecretStr = Field(SecretStr(""), description="The bot's token (required).")
    discord_prefix: str = Field(
        "!", description="Prefix for `!ask` (needs DISCORD_MESSAGE_CONTENT)."
    )
    discord_message_content: bool = Field(
        False,
        description="Ask for the privileged Message Content intent, so `!ask` works in channels. "
        "Mentions, replies to the bot and DMs work without it.",
    )
    discord_allow_dms: bool = Field(True, description="Answer direct messages.")
    discord_threads: bool = Field(
        True, description="Answer a mention in a new thread (follow-ups go there)."
    )
    discord_sharded: bool = Field(True, description="Run as an AutoShardedBot.")
    discord_owner_ids: str = Field(
        "", description="Comma-separated user ids allowed `sync`; empty = the application owner."
    )
    discord_api_base: str = Field(
        "", description="Advanced: another Discord API base URL (an API proxy); empty = Discord."
    )
    ask_cooldown_rate: int = Field(3, ge=1, description="Questions a user may ask ...")
    ask_cooldown_seconds: float = Field(30.0, gt=0, description="... per this many seconds.")
    guild_concurrency: int = Field(
        2, ge=1, description="Questions answered at once per server (more wait politely)."
    )
    ingest_role: str = Field(
        "", description="Role allowed /ingest besides members with Manage Server."
    )
    feedback_log: str = Field(
        "",
        description="Where 👍/👎 on answers are appended (JSON lines); empty = beside the store.",
    )
    conversation_memory: int = Field(
        5000, ge=10, description="Answers remembered for follow-up questions."
    )

    @field_validator("discord_owner_ids")
    @classmethod
    def _ids_are_numbers(cls, value: str) -> str:
        wrong = [x for x in _id_list(value) if not x.isdigit()]
        if wrong:
            raise ValueError(f"user ids are numbers (Developer Mode > Copy User ID), not {wrong}")
        return value

    @property
    def owner_ids(self) -> set[int]:
        return {int(x) for x in _id_list(self.discord_owner_ids)}

    @property
    def feedback_path(self) -> Path:
        return (
            Path(self.feedback_log)
            if self.feedback_log
            else self.data_dir.parent / "feedback.jsonl"
        )


def _id_list(text: str) -> list[str]:
    """ "123, 456" -> ["123", "456"]."""
    return [x for x in text.replace(" ", "").split(",") if x]
