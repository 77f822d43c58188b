"""Feedback votes and per-server settings: small tables with small queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db import Database
from bot.db.models import SCOPE_ALL, FeedbackVote, GuildSettings, utc_now


class Votes:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, **fields: Any) -> None:
        async with self.db.session() as s:
            s.add(FeedbackVote(**fields))

    async def recent(
        self, vote: str | None = None, guild_id: int | None = None, limit: int | None = None
    ) -> list[FeedbackVote]:
        """Newest first; only `vote` ("up"/"down") and one server's when given."""
        query = select(FeedbackVote).order_by(FeedbackVote.voted_at.desc(), FeedbackVote.id.desc())
        if vote:
            query = query.where(FeedbackVote.vote == vote)
        if guild_id is not None:
            query = query.where(FeedbackVote.guild_id == guild_id)
        if limit:
            query = query.limit(limit)
        async with self.db.session() as s:
            return list((await s.scalars(query)).all())


class GuildPreferences:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def answer_scope(self, guild_id: int) -> str:
        async with self.db.session() as s:
            row = await s.get(GuildSettings, guild_id)
            return row.answer_scope if row else SCOPE_ALL

    async def set_answer_scope(self, guild_id: int, scope: str) -> None:
        async with self.db.session() as s:
            row = await s.get(GuildSettings, guild_id)
            if row is None:
                s.add(GuildSettings(guild_id=guild_id, answer_scope=scope))
            else:
                row.answer_scope = scope
                row.updated_at = utc_now()


def vote_record(vote: FeedbackVote) -> dict[str, Any]:
    """A vote as one JSON object, the shape `news-bot feedback --export` writes."""
    return {
        "time": vote.voted_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "vote": vote.vote,
        "question": vote.question,
        "answer": vote.answer,
        "sources": vote.sources,
        "message_id": vote.message_id,
        "channel_id": vote.channel_id,
        "guild_id": vote.guild_id,
        "user_id": vote.user_id,
    }
