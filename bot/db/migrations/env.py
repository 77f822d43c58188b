"""Alembic's entry point for the bot's tables, driven from code (`bot.db.migrate`).

No alembic.ini: `bot.db.migrate.upgrade` hands over an open connection in the config's
attributes, so the same code migrates SQLite and PostgreSQL with the bot's own URL.
"""

from __future__ import annotations

from alembic import context

from bot.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
