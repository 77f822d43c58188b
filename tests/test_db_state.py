"""The bot's server state on a real SQLite file and a real PostgreSQL server.

The same tests run on both: migrations from an empty database and from the previous state
(votes in feedback.jsonl), the once-per-channel delivery claim, and settings.
"""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from bot.db import Database, DatabaseError, database_url
from bot.db.migrate import current_revision, head_revision, upgrade
from bot.db.subscriptions import BASELINE, PENDING, SENT, Subscriptions
from bot.db.votes import GuildPreferences, Votes, vote_record
from tests.conftest import news_bot


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield database_url("", tmp_path)
        return
    yield await fresh_postgres_database(request.getfixturevalue("postgres_url"))


async def fresh_postgres_database(server_url: str) -> str:
    """An empty database of its own on the test run's PostgreSQL server."""
    import asyncpg

    name = f"newsbot_{os.urandom(4).hex()}"
    plain = server_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(plain)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


OLD_VOTES = [
    {"time": "2026-01-05T10:00:00Z", "vote": "up", "question": "Who won?", "answer": "**A**",
     "message_id": 11, "channel_id": 2, "guild_id": 3, "user_id": 4},
    {"time": "2026-01-06T10:00:00Z", "vote": "down", "question": "How many?", "answer": "**9**",
     "message_id": 12, "channel_id": 2, "guild_id": 3, "user_id": 5},
]  # fmt: skip


async def test_migrates_an_empty_database_to_head(db_url, tmp_path):
    db = await Database.open(db_url, tmp_path / "no-such-feedback.jsonl")
    try:
        assert await current_revision(db_url) == head_revision()
        assert await Votes(db).recent() == []
    finally:
        await db.close()
    again = await Database.open(db_url)  # a second start migrates nothing and keeps data
    await again.close()


async def test_the_feedback_file_is_imported_once(db_url, tmp_path):
    log = tmp_path / "feedback.jsonl"
    lines = [json.dumps(v) for v in OLD_VOTES] + ["not json", ""]
    log.write_text("\n".join(lines), encoding="utf-8")
    db = await Database.open(db_url, log)
    await db.close()
    db = await Database.open(db_url, log)  # restarted: not imported a second time
    try:
        votes = await Votes(db).recent()
        assert [v.question for v in votes] == ["How many?", "Who won?"]
        down = await Votes(db).recent(vote="down", guild_id=3)
        assert vote_record(down[0]) == {**OLD_VOTES[1], "sources": ""}
    finally:
        await db.close()
    assert log.exists()  # left for whoever still reads it


async def test_upgrades_from_the_previous_schema_keeping_its_rows(db_url):
    await upgrade(db_url, target="0002")
    db = Database(db_url)  # the tables of revision 0002, without its successors
    try:
        subs = Subscriptions(db)
        sub = await subs.add(guild_id=1, channel_id=10, url="http://a/feed", publisher="A")
        card = json.dumps({"title": "Night market returns"})
        row = {"guild_id": 1, "channel_id": 10, "article_key": "a1", "status": PENDING}
        [claimed] = await subs.claim([{**row, "subscription_id": sub.id, "payload": card}])
        await subs.mark(claimed, SENT, message_id=4242)
    finally:
        await db.close()
    db = await Database.open(db_url)
    try:
        assert await current_revision(db_url) == head_revision()
        assert await Subscriptions(db).article_posted_as(4242) == "Night market returns"
        assert await Subscriptions(db).article_posted_as(4243) == ""
    finally:
        await db.close()


async def test_a_delivery_is_claimed_once_per_channel(db_url, tmp_path):
    db = await Database.open(db_url)
    subs = Subscriptions(db)
    try:
        first = await subs.add(guild_id=1, channel_id=10, url="http://a/feed", publisher="A")
        second = await subs.add(guild_id=1, channel_id=10, url="http://b/feed", publisher="B")
        assert await subs.add(guild_id=1, channel_id=10, url="http://a/feed") is None
        row = {"guild_id": 1, "channel_id": 10, "article_key": "a1", "status": PENDING}
        [claimed] = await subs.claim([{**row, "subscription_id": first.id, "content_hash": "h"}])
        # The same article from the second feed, the same text under another URL: no claim.
        assert await subs.claim([{**row, "subscription_id": second.id, "content_hash": "h"}]) == []
        assert await subs.claim([{**row, "article_key": "a2", "content_hash": "h"}]) == []
        # Another channel may have it.
        assert len(await subs.claim([{**row, "channel_id": 11, "content_hash": "h"}])) == 1
        assert [d.id for d in await subs.pending()] == [claimed, claimed + 1]
        await subs.mark(claimed, SENT, message_id=99)
        assert await subs.sent_last_hour(1) == 1
        await subs.claim([{**row, "article_key": "old", "status": BASELINE}])
        assert [d.status for d in await subs.deliveries_in(10)] == [SENT, BASELINE]
        assert await subs.publishers_followed(1) == ["A", "B"]
        assert await subs.disable(first.id, "gone") is True
        assert await subs.disable(first.id, "gone") is False  # told once
        removed = await subs.remove(1, second.id)
        assert removed is not None and await subs.count(1) == 1
        assert await subs.remove(2, first.id) is None  # another server's feed
    finally:
        await db.close()


async def test_answer_scope_setting(db_url):
    db = await Database.open(db_url)
    prefs = GuildPreferences(db)
    try:
        assert await prefs.answer_scope(5) == "all"
        await prefs.set_answer_scope(5, "followed")
        assert await prefs.answer_scope(5) == "followed"
        await prefs.set_answer_scope(5, "all")
        assert await prefs.answer_scope(5) == "all"
    finally:
        await db.close()


def test_sqlite_file_sits_beside_the_store(tmp_path):
    url = database_url("", tmp_path)
    assert url == f"sqlite+aiosqlite:///{tmp_path.resolve()}/newsbot.db"
    assert database_url("postgres://u:p@h/db", tmp_path) == "postgresql+asyncpg://u:p@h/db"
    assert database_url("sqlite:///x.db", tmp_path) == "sqlite+aiosqlite:///x.db"
    with pytest.raises(DatabaseError, match="sqlite:// or postgresql://"):
        database_url("mysql://h/db", tmp_path)


async def test_an_unusable_database_is_one_error(tmp_path):
    (tmp_path / "newsbot.db").write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(DatabaseError, match="cannot open the database"):
        await Database.open(database_url("", tmp_path))
    assert sqlite3.sqlite_version  # the stdlib driver under aiosqlite


def test_feedback_export_writes_json_lines(tmp_path):
    (tmp_path / "feedback.jsonl").write_text("\n".join(json.dumps(v) for v in OLD_VOTES))
    done = news_bot(tmp_path, "feedback", "--export", "--output", "votes.jsonl")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == "wrote 2 votes to votes.jsonl"
    lines = (tmp_path / "votes.jsonl").read_text().splitlines()
    assert [json.loads(line)["question"] for line in lines] == ["How many?", "Who won?"]
    down = news_bot(tmp_path, "feedback", "--export", "--down")
    assert [json.loads(line)["vote"] for line in down.stdout.splitlines()] == ["down"]


def test_feedback_export_with_a_wrong_database_url_is_one_line(tmp_path):
    done = news_bot(tmp_path, "feedback", "--export", DATABASE_URL="mysql://db.example.org/x")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "news-bot: error: DATABASE_URL must be sqlite:// or postgresql://, not mysql:// "
        "(check DATABASE_URL)"
    )
