"""The bot's server state as SQLAlchemy tables: settings, feed subscriptions, deliveries, votes.

Discord ids are 64-bit snowflakes, so every id column is a BigInteger. Times are stored as
timezone-aware UTC. The schema itself is owned by the Alembic migrations in
`bot/db/migrations/versions/`; these classes must describe the same tables.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SCOPE_ALL = "all"
SCOPE_FOLLOWED = "followed"


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class GuildSettings(Base):
    """What one server chose: whether its answers come from all news or its feeds only."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    answer_scope: Mapped[str] = mapped_column(String(16), default=SCOPE_ALL)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Subscription(Base):
    """One feed a server follows into one channel or thread."""

    __tablename__ = "feed_subscriptions"
    __table_args__ = (UniqueConstraint("guild_id", "channel_id", "url", name="uq_subscription"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    # Where `/feeds add` was typed: told there when the subscription has to be disabled.
    notice_channel_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(300), default="")
    # The outlet name its articles are stored under: what a "followed feeds only" scope keeps.
    publisher: Mapped[str] = mapped_column(String(300), default="")
    include_words: Mapped[str] = mapped_column(Text, default="")
    exclude_words: Mapped[str] = mapped_column(Text, default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str] = mapped_column(Text, default="")
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Delivery(Base):
    """An article posted (or to be posted) in a channel: the row that makes it once only.

    `status` is "baseline" for what a feed held when it was followed (never posted),
    "pending" until the post succeeds, "sent" after, "dropped" when it can never be sent.
    The unique (channel, article) pair holds across restarts and across two feeds that carry
    the same article.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("channel_id", "article_key", name="uq_delivery"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    article_key: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("feed_subscriptions.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[str] = mapped_column(Text, default="")  # the article card, as JSON
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class FeedbackVote(Base):
    """A 👍 or 👎 under an answer, with what was asked, answered and cited."""

    __tablename__ = "feedback_votes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    voted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    vote: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    channel_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    guild_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
