"""`news-bot feedback --export`: every vote as JSON lines, for review outside Discord.

Reads the bot's database (migrating it first, like the bot does at start, so an old
feedback.jsonl is included) and writes one object per vote, newest first, to a file or to
standard output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bot.config import BotSettings
from bot.db import Database, DatabaseError
from bot.db.votes import Votes, vote_record


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--export", action="store_true", help="write the votes as JSON lines (newest first)"
    )
    parser.add_argument(
        "--down", action="store_true", help="only thumbs-down votes (what went wrong)"
    )
    parser.add_argument(
        "--output", "-o", type=Path, help="file to write (default: standard output)"
    )


def run(args: argparse.Namespace, settings: BotSettings) -> int:
    if not args.export:
        print("news-bot feedback: say what to do: --export", file=sys.stderr)
        return 2
    try:
        lines = asyncio.run(_records(settings, "down" if args.down else None))
    except DatabaseError as exc:
        print(f"news-bot: error: {exc} (check DATABASE_URL)", file=sys.stderr)
        return 2
    text = "".join(line + "\n" for line in lines)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {len(lines)} votes to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


async def _records(settings: BotSettings, vote: str | None) -> list[str]:
    db = await Database.open(settings.database_address, settings.feedback_path)
    try:
        votes = await Votes(db).recent(vote=vote)
    finally:
        await db.close()
    return [json.dumps(vote_record(v), ensure_ascii=False) for v in votes]
