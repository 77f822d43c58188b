"""Votes recorded before the database existed: the feedback JSON-lines file, imported once.

Alembic runs a revision once per database, so the file is read exactly once; it is left in
place (renamed nothing, deleted nothing) for whoever still reads it. Unreadable lines are
skipped and counted in the log rather than failing the upgrade.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger("bot.db")

_votes = sa.table(
    "feedback_votes",
    sa.column("voted_at", sa.DateTime(timezone=True)),
    sa.column("vote", sa.String),
    sa.column("question", sa.Text),
    sa.column("answer", sa.Text),
    sa.column("sources", sa.Text),
    sa.column("message_id", sa.BigInteger),
    sa.column("channel_id", sa.BigInteger),
    sa.column("guild_id", sa.BigInteger),
    sa.column("user_id", sa.BigInteger),
)


def _row(record: dict[str, Any]) -> dict[str, Any] | None:
    if record.get("vote") not in ("up", "down"):
        return None
    try:
        when = datetime.strptime(str(record.get("time", "")), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        when = datetime(1970, 1, 1)
    return {
        "voted_at": when.replace(tzinfo=UTC),
        "vote": record["vote"],
        "question": str(record.get("question") or ""),
        "answer": str(record.get("answer") or ""),
        "sources": str(record.get("sources") or ""),
        **{k: _int(record.get(k)) for k in ("message_id", "channel_id", "guild_id", "user_id")},
    }


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, int | str) and str(value).isdigit() else None


def upgrade() -> None:
    path = context.config.attributes.get("feedback_jsonl")
    if not path or not Path(path).is_file():
        return
    rows, skipped = [], 0
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            row = _row(json.loads(line))
        except (json.JSONDecodeError, AttributeError):
            row = None
        if row is None:
            skipped += 1
        else:
            rows.append(row)
    if rows:
        op.bulk_insert(_votes, rows)
    log.info("imported %d votes from %s (%d unreadable lines skipped)", len(rows), path, skipped)


def downgrade() -> None:
    pass  # the file is still there; the votes stay with the table dropped by 0001
