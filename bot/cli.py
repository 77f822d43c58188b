"""`news-bot`: run the Discord bot until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

import discord

from bot.app import create_bot
from bot.config import BotSettings
from retrieval.embedder import ModelLoadError
from retrieval.settings import SettingsError
from retrieval.store import StoreError


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
    parser.add_argument("--verbose", "-v", action="store_true", help="debug logging")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = BotSettings.load()
    except SettingsError as exc:
        print(f"news-bot: error: {exc}", file=sys.stderr)
        return 2
    token = settings.discord_token.get_secret_value().strip()
    if not token:
        print(
            "news-bot: error: DISCORD_TOKEN is not set. Create a bot at "
            "https://discord.com/developers/applications, copy its token into .env "
            "(see .env.example) and run news-bot again.",
            file=sys.stderr,
        )
        return 2
    try:
        asyncio.run(_run(settings, token, args.sync))
    except discord.LoginFailure:
        print(
            "news-bot: error: Discord rejected DISCORD_TOKEN (wrong or reset token); "
            "copy the current token from the developer portal into .env.",
            file=sys.stderr,
        )
        return 2
    except discord.PrivilegedIntentsRequired:
        print(
            "news-bot: error: DISCORD_MESSAGE_CONTENT=true needs the Message Content intent: "
            "enable it in the developer portal (Bot > Privileged Gateway Intents) or set it "
            "to false.",
            file=sys.stderr,
        )
        return 2
    except (StoreError, ModelLoadError) as exc:
        print(f"news-bot: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


async def _run(settings: BotSettings, token: str, sync: bool) -> None:
    bot = create_bot(settings=settings, sync=sync)
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
