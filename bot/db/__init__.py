"""Server state in a real database: SQLite by default, PostgreSQL when DATABASE_URL says so.

`Database.open` migrates the schema (Alembic, in a worker thread) and hands out async
sessions; every query the bot makes awaits the driver (aiosqlite, asyncpg), so database work
never blocks the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.db.migrate import upgrade

log = logging.getLogger(__name__)

DEFAULT_FILE = "newsbot.db"


class DatabaseError(Exception):
    """The database cannot be used; the message names the setting to check."""


def database_url(configured: str, beside: Path) -> str:
    """The async SQLAlchemy URL: DATABASE_URL with its async driver, or a SQLite file.

    People write `postgres://...` or `postgresql://...` (what hosting providers print) and
    `sqlite:///file.db`; the bot needs the asyncio drivers, so those are filled in.
    """
    if not configured.strip():
        return f"sqlite+aiosqlite:///{(beside / DEFAULT_FILE).resolve()}"
    try:
        url = make_url(configured.strip())
    except ArgumentError as exc:
        raise DatabaseError(f"DATABASE_URL is not a database URL: {exc}") from exc
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        return url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite").render_as_string(hide_password=False)
    raise DatabaseError(f"DATABASE_URL must be sqlite:// or postgresql://, not {backend}://")


class Database:
    """One engine and its session factory for the bot's lifetime."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, **_engine_options(url))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    async def open(cls, url: str, feedback_jsonl: Path | None = None) -> Database:
        """Migrate to the newest schema (importing the feedback file once), then connect."""
        if url.startswith("sqlite"):
            path = make_url(url).database
            if path:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            await upgrade(url, feedback_jsonl)
        except (OSError, ImportError) as exc:
            raise DatabaseError(f"cannot open the database ({_short(exc)})") from exc
        except Exception as exc:
            if type(exc).__module__.startswith(("sqlalchemy", "asyncpg", "sqlite3")):
                raise DatabaseError(f"cannot open the database ({_short(exc)})") from exc
            raise
        return cls(url)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed when the block ends, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def close(self) -> None:
        await self.engine.dispose()


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {}
    return {"pool_size": 5, "max_overflow": 5, "pool_pre_ping": True}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on (SQLite's default is off), and a writer waits instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
