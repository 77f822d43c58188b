"""Server state: settings, feed subscriptions, deliveries and feedback votes.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, **kw: object) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), **kw)


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("answer_scope", sa.String(16), nullable=False),
        _when("updated_at", nullable=False),
    )
    op.create_table(
        "feed_subscriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False, index=True),
        sa.Column("channel_id", sa.BigInteger, nullable=False),
        sa.Column("notice_channel_id", sa.BigInteger, nullable=True),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("publisher", sa.String(300), nullable=False),
        sa.Column("include_words", sa.Text, nullable=False),
        sa.Column("exclude_words", sa.Text, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("disabled_reason", sa.Text, nullable=False),
        _when("last_success_at", nullable=True),
        sa.Column("last_error", sa.Text, nullable=False),
        _when("last_error_at", nullable=True),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("created_by", sa.BigInteger, nullable=True),
        _when("created_at", nullable=False),
        sa.UniqueConstraint("guild_id", "channel_id", "url", name="uq_subscription"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("guild_id", sa.BigInteger, nullable=False, index=True),
        sa.Column("channel_id", sa.BigInteger, nullable=False),
        sa.Column("article_key", sa.String(64), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column(
            "subscription_id",
            sa.Integer,
            sa.ForeignKey("feed_subscriptions.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("message_id", sa.BigInteger, nullable=True),
        _when("created_at", nullable=False),
        _when("sent_at", nullable=True, index=True),
        sa.UniqueConstraint("channel_id", "article_key", name="uq_delivery"),
    )
    op.create_table(
        "feedback_votes",
        sa.Column("id", sa.Integer, primary_key=True),
        _when("voted_at", nullable=False, index=True),
        sa.Column("vote", sa.String(8), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("message_id", sa.BigInteger, nullable=True),
        sa.Column("channel_id", sa.BigInteger, nullable=True),
        sa.Column("guild_id", sa.BigInteger, nullable=True),
        sa.Column("user_id", sa.BigInteger, nullable=True),
    )


def downgrade() -> None:
    for table in ("feedback_votes", "deliveries", "feed_subscriptions", "guild_settings"):
        op.drop_table(table)
