"""Queries on feed subscriptions and deliveries, each in its own short transaction.

Delivery rows are claimed with INSERT ... ON CONFLICT DO NOTHING on the unique (channel,
article) pair, so two feeds carrying one article, two polls racing, or a restart between a
claim and its post can never produce a second post in one channel.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Delivery, Subscription, utc_now

BASELINE, PENDING, SENT, DROPPED = "baseline", "pending", "sent", "dropped"


class Subscriptions:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- the /feeds commands -------------------------------------------------------------
    async def count(self, guild_id: int) -> int:
        async with self.db.session() as s:
            query = select(func.count()).where(Subscription.guild_id == guild_id)
            return int(await s.scalar(query) or 0)

    async def add(self, **fields: object) -> Subscription | None:
        """The new subscription, or None when this server already follows that URL there."""
        async with self.db.session() as s:
            row = await s.scalar(
                _insert(s, Subscription)
                .values(**fields)
                .on_conflict_do_nothing()
                .returning(Subscription)
            )
            return row

    async def remove(self, guild_id: int, subscription_id: int) -> Subscription | None:
        async with self.db.session() as s:
            row = await s.get(Subscription, subscription_id)
            if row is None or row.guild_id != guild_id:
                return None
            await s.delete(row)
            return row

    async def of_guild(self, guild_id: int) -> list[Subscription]:
        query = select(Subscription).where(Subscription.guild_id == guild_id)
        return await self._all(query.order_by(Subscription.id))

    async def enabled(self) -> list[Subscription]:
        return await self._all(select(Subscription).where(Subscription.enabled.is_(True)))

    async def get(self, subscription_id: int) -> Subscription | None:
        async with self.db.session() as s:
            return await s.get(Subscription, subscription_id)

    async def publishers_followed(self, guild_id: int) -> list[str]:
        async with self.db.session() as s:
            query = select(Subscription.publisher).where(
                Subscription.guild_id == guild_id, Subscription.publisher != ""
            )
            return sorted(set((await s.scalars(query)).all()))

    # -- polling ---------------------------------------------------------------------------
    async def record_success(self, ids: Iterable[int], new_articles: int) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(Subscription)
                .where(Subscription.id.in_(list(ids)))
                .values(
                    last_success_at=utc_now(),
                    last_error="",
                    article_count=Subscription.article_count + new_articles,
                )
            )

    async def record_error(self, ids: Iterable[int], error: str) -> None:
        async with self.db.session() as s:
            await s.execute(
                update(Subscription)
                .where(Subscription.id.in_(list(ids)))
                .values(last_error=error[:1000], last_error_at=utc_now())
            )

    async def disable(self, subscription_id: int, reason: str) -> bool:
        """True only for the call that disabled it: the server is told once."""
        async with self.db.session() as s:
            result = await s.execute(
                update(Subscription)
                .where(Subscription.id == subscription_id, Subscription.enabled.is_(True))
                .values(enabled=False, disabled_reason=reason[:1000])
            )
            return bool(result.rowcount)

    # -- deliveries ------------------------------------------------------------------------
    async def claim(self, rows: list[dict[str, object]]) -> list[int]:
        """Insert delivery rows; returns the ids of those that were new (the rest existed).

        A row whose article has the same text as one already in that channel (one story
        under two URLs) is not claimed either.
        """
        claimed: list[int] = []
        async with self.db.session() as s:
            for row in rows:
                if row.get("content_hash") and await _same_text_there(s, row):
                    continue
                new_id = await s.scalar(
                    _insert(s, Delivery)
                    .values(**row)
                    .on_conflict_do_nothing()
                    .returning(Delivery.id)
                )
                if new_id is not None:
                    claimed.append(new_id)
        return claimed

    async def pending(self, limit: int = 500) -> list[Delivery]:
        query = select(Delivery).where(Delivery.status == PENDING)
        return await self._all(query.order_by(Delivery.id).limit(limit))

    async def mark(self, delivery_id: int, status: str, message_id: int | None = None) -> None:
        values: dict[str, object] = {"status": status, "attempts": Delivery.attempts + 1}
        if status == SENT:
            values.update(message_id=message_id, sent_at=utc_now())
        async with self.db.session() as s:
            await s.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))

    async def sent_since(self, guild_id: int, since: datetime) -> int:
        async with self.db.session() as s:
            query = select(func.count()).where(
                Delivery.guild_id == guild_id, Delivery.status == SENT, Delivery.sent_at >= since
            )
            return int(await s.scalar(query) or 0)

    async def sent_last_hour(self, guild_id: int) -> int:
        return await self.sent_since(guild_id, utc_now() - timedelta(hours=1))

    async def forget_pending_of(self, subscription_id: int) -> None:
        """A disabled subscription's queued posts will never go out: drop them."""
        async with self.db.session() as s:
            await s.execute(
                update(Delivery)
                .where(Delivery.subscription_id == subscription_id, Delivery.status == PENDING)
                .values(status=DROPPED)
            )

    async def article_posted_as(self, message_id: int) -> str:
        """The title of the article posted as this message (or forum post: its thread has
        the starter message's id), '' when the message is no article the bot posted."""
        async with self.db.session() as s:
            payload = await s.scalar(
                select(Delivery.payload).where(
                    Delivery.message_id == message_id, Delivery.status == SENT
                )
            )
        return str(json.loads(payload).get("title", "")) if payload else ""

    async def deliveries_in(self, channel_id: int) -> list[Delivery]:
        query = select(Delivery).where(Delivery.channel_id == channel_id)
        return await self._all(query.order_by(Delivery.id))

    async def delete_all(self) -> None:
        """Tests and benchmarks only: an empty state without a new database."""
        async with self.db.session() as s:
            await s.execute(delete(Delivery))
            await s.execute(delete(Subscription))

    async def _all(self, query: Select) -> list:
        async with self.db.session() as s:
            return list((await s.scalars(query)).all())


def _insert(session: AsyncSession, table: type) -> object:
    """INSERT with the dialect's ON CONFLICT support (SQLite and PostgreSQL share the form)."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


async def _same_text_there(session: AsyncSession, row: dict[str, object]) -> bool:
    query = select(Delivery.id).where(
        Delivery.channel_id == row["channel_id"], Delivery.content_hash == row["content_hash"]
    )
    return await session.scalar(query.limit(1)) is not None
