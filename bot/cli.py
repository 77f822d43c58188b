"""`news-bot`: run the Discord bot until Ctrl-C or SIGTERM.

A failure to start (no token, a rejected token, Discord or the Chroma server unreachable) is
one line saying what failed and what to check; the traceback only with --verbose.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
import traceback

import aiohttp
import discord

from bot import feedback_export
from bot.app import create_bot
from bot.config import BotSettings
from bot.db import DatabaseError
from bot.store_process import close_store, open_bot_store
from retrieval.search.embedder import ModelLoadError
from retrieval.search.lean import preload_reader_libraries
from retrieval.search.store import PassageStore, StoreError
from retrieval.settings import SettingsError

# Raised by the network layer when Discord cannot be reached or stops answering.
_UNREACHABLE = (
    aiohttp.ClientError,
    OSError,
    asyncio.TimeoutError,
    discord.GatewayNotFound,
    discord.ConnectionClosed,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="news-bot", description="Answer news questions on Discord (settings: .env)."
    )
    parser.add_argument(
        "--sync",
        action="store_true",
        help="register the slash commands with Discord at start (after adding or changing "
        "commands; takes up to an hour to show everywhere)",
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="debug logging, and tracebacks of failures"
    )
    commands = parser.add_subparsers(dest="command", metavar="{feedback}")
    feedback_export.add_arguments(
        commands.add_parser("feedback", help="the votes on answers: feedback --export")
    )
    return parser


class _NoVoiceWarnings(logging.Filter):
    """discord.py warns at every start that voice libraries are missing; this bot is text
    only, and the warning reads like a fault to a first-time user."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "voice will NOT be supported" not in record.getMessage()


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    noisy_loggers = ("httpx", "chromadb", "sentence_transformers", "transformers", "bm25s")
    for noisy in (*noisy_loggers, "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if not verbose:
        # The bot's own log says when it is logged in; discord.py's steps before that
        # ("logging in using static token") only add lines above a failure's one line.
        logging.getLogger("discord").setLevel(logging.WARNING)
        logging.getLogger("discord.client").addFilter(_NoVoiceWarnings())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    try:
        settings = BotSettings.load()
    except SettingsError as exc:
        print(f"news-bot: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "feedback":
        return feedback_export.run(args, settings)
    token = settings.discord_token.get_secret_value().strip()
    if not token:
        print(
            "news-bot: error: DISCORD_TOKEN is not set. Create a bot at "
            "https://discord.com/developers/applications, copy its token into .env "
            "(see .env.example) and run news-bot again.",
            file=sys.stderr,
        )
        return 2
    # As for news-ask: with the ONNX embedder nothing the bot runs calls torch or
    # scikit-learn, which spaCy's and LightGBM's imports would otherwise load (memory).
    preload_reader_libraries(settings)
    try:
        # The store first: a Chroma server that is down fails now, not after logging in.
        store = open_bot_store(settings)
        try:
            asyncio.run(_run(settings, token, args.sync, store))
        finally:
            close_store(store)
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        if args.verbose:
            traceback.print_exc()
        print(f"news-bot: error: {startup_failure(exc, settings)}", file=sys.stderr)
        return 2
    return 0


def startup_failure(exc: BaseException, settings: BotSettings) -> str:
    """One line: what failed, and what the operator can check or change."""
    if isinstance(exc, discord.LoginFailure):
        return (
            "Discord rejected DISCORD_TOKEN (wrong or reset token); copy the current token "
            "from the developer portal into .env."
        )
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return (
            "DISCORD_MESSAGE_CONTENT=true needs the Message Content intent: enable it in the "
            "developer portal (Bot > Privileged Gateway Intents) or set it to false."
        )
    if isinstance(exc, DatabaseError):
        return f"{exc} (check DATABASE_URL)"
    if isinstance(exc, StoreError | ModelLoadError):
        hint = " (check CHROMA_HOST and CHROMA_PORT)" if settings.server_mode else ""
        return f"{exc}{hint}"
    if isinstance(exc, (*_UNREACHABLE, discord.HTTPException)):
        where = settings.discord_api_base or "Discord"
        return (
            f"cannot reach {where} ({_short(exc)}); check the network connection, "
            "DISCORD_API_BASE (empty for Discord itself) and DISCORD_TOKEN."
        )
    return f"unexpected {_short(exc)} (run news-bot --verbose for the traceback)"


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "no details"
    return f"{type(exc).__name__}: {text}"[:200]


async def _run(settings: BotSettings, token: str, sync: bool, store: PassageStore) -> None:
    bot = create_bot(settings=settings, sync=sync, store=store)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def stop() -> None:
        logging.getLogger("bot").info("shutting down")
        stopping.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    async with bot:
        runner = asyncio.create_task(bot.start(token))
        waiter = asyncio.create_task(stopping.wait())
        done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if runner in done:
            waiter.cancel()
            runner.result()  # re-raise a login failure
            return
        await bot.close()  # closes the gateway cleanly; the runner then ends
        await asyncio.gather(runner, return_exceptions=True)


if __name__ == "__main__":
    raise SystemExit(main())
