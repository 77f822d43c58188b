"""Bring a database to the newest schema with Alembic, off the caller's event loop.

`upgrade` runs in a worker thread on an event loop of its own, with its own engine: the
migration (and the one-time import of the feedback file, which reads a file) never stalls
the bot's gateway, and the same code path serves SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(feedback_jsonl: Path | None = None) -> Config:
    """Alembic's configuration from code: where the revisions are, and what they read."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["feedback_jsonl"] = str(feedback_jsonl) if feedback_jsonl else ""
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def upgrade(url: str, feedback_jsonl: Path | None = None, target: str = "head") -> None:
    """Migrate the database at `url` to `target` in a worker thread (see the module doc)."""
    await asyncio.to_thread(asyncio.run, _upgrade(url, feedback_jsonl, target))


async def current_revision(url: str) -> str | None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    finally:
        await engine.dispose()


async def _upgrade(url: str, feedback_jsonl: Path | None, target: str) -> None:
    engine = create_async_engine(url)
    config = alembic_config(feedback_jsonl)

    def run(sync: Connection) -> None:
        config.attributes["connection"] = sync
        command.upgrade(config, target)

    try:
        async with engine.begin() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()
