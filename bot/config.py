"""The bot's settings: the engine's, plus what only the Discord side needs.

Same sources and precedence as the engine's settings (environment, then `.env`), so one
`.env` configures `news-ingest`, `news-ask` and `news-bot` alike.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator

from bot.db import database_url
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
        "",
        description="Role allowed /ingest, /feeds and /settings besides members with "
        "Manage Server.",
    )
    database_url: str = Field(
        "",
        description="Where servers' feeds, deliveries, settings and votes are kept: "
        "`postgresql://user:password@host/db` or `sqlite:///path.db`; empty = `newsbot.db` "
        "beside the store.",
    )
    feeds_per_server: int = Field(10, ge=1, description="Feeds one server may follow.")
    feed_posts_per_hour: int = Field(
        30, ge=1, description="New articles posted per server per hour; more wait their turn."
    )
    feed_post_retries: int = Field(
        5, ge=0, description="Tries again a post Discord failed (5xx, rate limit) this often."
    )
    feed_post_retry_seconds: float = Field(
        30.0, gt=0, description="Wait before the first retry of a failed post; doubles each try."
    )
    feeds_allow_private: bool = Field(
        False,
        description="Let /feeds follow loopback and private addresses (closed networks, tests).",
    )
    feedback_log: str = Field(
        "",
        description="The JSON-lines file of 👍/👎 votes from before the database, imported "
        "once; empty = `feedback.jsonl` beside the store.",
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

    @property
    def database_address(self) -> str:
        """The async SQLAlchemy URL of the bot's database (see bot.db.database_url)."""
        return database_url(self.database_url, self.data_dir.parent)


def _id_list(text: str) -> list[str]:
    """ "123, 456" -> ["123", "456"]."""
    return [x for x in text.replace(" ", "").split(",") if x]
