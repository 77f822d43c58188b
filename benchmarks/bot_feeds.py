"""Followed feeds at community scale: 50 servers x 5 feeds, one new article each.

The bot runs against the simcord simulator (the real discord.py client, in process) with
the real engine and embedding model, feeds served over loopback HTTP, and its server state
in SQLite (or `--database-url` for PostgreSQL). Measured, for one poll of every followed
feed: wall time, articles posted (each must arrive exactly once), and the event loop's lag.

The lag is sampled from a separate thread: every 10 ms it schedules a callback on the
bot's loop, which reads how long after scheduling it ran, so what is measured is wall-clock
blocking of the loop, whatever the simulator's virtual clock does. The baseline is the
same poll when nothing changed (every feed answers 304). Run on demand, not in CI:

    .venv/bin/python -m benchmarks.bot_feeds [--servers 50] [--feeds 5] [--chroma-server]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, table

sys.path.insert(0, str(REPO))

LEAD = (
    "Officials in {place} said on Monday that the {what} would change how residents travel, "
    "shop and work over the coming years, after a long public debate in the council chamber."
)


class LoopLagProbe:
    """Wall-clock delay of the event loop, sampled from another thread (see module doc)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, every: float = 0.01) -> None:
        self.loop, self.every = loop, every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            ran = threading.Event()
            start = time.perf_counter()
            self.loop.call_soon_threadsafe(self._ran, start, ran)
            ran.wait()
            self._stop.wait(self.every)

    def _ran(self, scheduled: float, ran: threading.Event) -> None:
        """On the loop: the delay is read here, by the loop's thread, so the time this
        probe's own thread waits for the interpreter lock afterwards is not counted."""
        self.samples.append(time.perf_counter() - scheduled)
        ran.set()

    def __enter__(self) -> LoopLagProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> tuple[float, float, float]:
        """(p95, p99, worst) in milliseconds."""
        ordered = sorted(self.samples) or [0.0]
        p95, p99 = (ordered[min(len(ordered) - 1, int(len(ordered) * q))] for q in (0.95, 0.99))
        return p95 * 1000, p99 * 1000, ordered[-1] * 1000


def _rss(title: str, items: list[tuple[str, str, int]]) -> bytes:
    entries = "".join(
        f"<item><title>{headline}</title><link>https://{slug}.example.org/a</link>"
        f"<description>{LEAD.format(place=title, what=headline.lower())}</description>"
        f"<pubDate>Mon, {day:02d} Mar 2026 10:00:00 GMT</pubDate></item>"
        for headline, slug, day in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.org/</link><description>{title}</description>{entries}"
        "</channel></rss>"
    ).encode()


def _feed(n: int, new: bool) -> bytes:
    items = [(f"Town {n} opens its new library", f"library-{n}", 1)]
    if new:
        items.insert(0, (f"Town {n} votes on a new tram line", f"tram-{n}", 2))
    return _rss(f"Gazette {n}", items)


async def _measure(cog, probe_loop) -> dict[str, float]:  # noqa: ANN001 - FollowingCog
    posted_before = cog.deliverer.posted
    with LoopLagProbe(probe_loop) as probe:
        start = time.perf_counter()
        await cog.poll_once()
        await cog.deliverer.drain()
        seconds = time.perf_counter() - start
    p95, p99, worst = probe.summary()
    return {
        "seconds": seconds,
        "posted": cog.deliverer.posted - posted_before,
        "lag_p95_ms": p95,
        "lag_p99_ms": p99,
        "lag_max_ms": worst,
    }


async def _run(
    servers: int,
    feeds: int,
    database_url: str,
    root: Path,
    chroma: dict | None = None,
    in_process: bool = False,
) -> list[dict]:
    import simcord

    from bot.app import build_engine, create_bot
    from bot.config import BotSettings
    from bot.following import fetch_options
    from bot.store_process import close_store
    from ingest import ingest_sources
    from retrieval.engine import NewsEngine
    from tests.feedserver import serve_feeds

    count = servers * feeds
    files = {f"/feed-{n}.xml": _feed(n, new=False) for n in range(count)}
    with serve_feeds(files) as server:
        settings = BotSettings(
            _env_file=None,
            chroma_path=root / "chroma",
            chroma_collection="bench",
            database_url=database_url,
            feeds_allow_private=True,
            feed_posts_per_hour=10_000,
            feeds_per_server=feeds,
            feed_poll_minutes=24 * 60,  # polled by hand below, not by the loop
            **(chroma or {}),
        )
        # The engine as the bot builds it (an embedded store in its own process), or, for
        # comparison, with the embedded store opened in the bot's process as before.
        engine = NewsEngine(settings) if in_process else build_engine(settings)
        urls = [f"{server.base}/feed-{n}.xml" for n in range(count)]
        options = fetch_options(settings, polling=True)
        print(f"storing the {count} feeds' first articles ...", file=sys.stderr)
        ingest_sources(urls, engine.store, engine.embedder, settings, options)
        bot = create_bot(engine=engine, settings=settings)
        try:
            return await _poll_three_times(
                simcord.run(bot, shard_count=1, settle_timeout=1800), bot, server, urls, servers
            )
        finally:
            close_store(engine.store)


async def _poll_three_times(
    simulator: Any, bot: Any, server: Any, urls: list[str], servers: int
) -> list[dict]:
    """Baseline poll (304s), the poll that finds one new article per feed, and one more."""
    from bot.db.subscriptions import BASELINE
    from bot.following import check_feed

    settings, count = bot.settings, len(urls)
    feeds = count // servers
    async with simulator as env:
        cog = bot.get_cog("Following")
        channels = []
        for s in range(servers):
            guild = env.create_guild(f"server {s}")
            channels.append(guild.create_text_channel("news"))
            for f in range(feeds):
                n = s * feeds + f
                check = check_feed(urls[n], settings)
                sub = await bot.subscriptions.add(
                    guild_id=guild.id, channel_id=channels[-1].id, url=urls[n],
                    title=check.title, publisher=check.title,
                )  # fmt: skip
                await cog._claim(sub, check.cards, BASELINE)
        loop = asyncio.get_running_loop()
        baseline = {"run": "poll, nothing new (304s)", **await _measure(cog, loop)}
        for n in range(count):
            server.publish(f"/feed-{n}.xml", _feed(n, new=True), 1_800_000_000)
        loaded = {"run": f"poll, {count} new articles", **await _measure(cog, loop)}
        again = {"run": "poll again, nothing new", **await _measure(cog, loop)}
        per_channel = [len([m for m in c.history() if m.author.bot]) for c in channels]
        loaded["each once"] = per_channel == [feeds] * servers
        # Stored once each and seen by the engine: the first and the new article of each.
        loaded["stored"] = bot.engine.store.count_articles() == 2 * count
    return [baseline, loaded, again]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=50)
    parser.add_argument("--feeds", type=int, default=5, help="feeds per server")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp folder")
    parser.add_argument(
        "--chroma-server",
        action="store_true",
        help="store in a Chroma server (chroma run) instead of the embedded store",
    )
    parser.add_argument(
        "--in-process-store",
        action="store_true",
        help="open the embedded store in the bot's process, as before it had a process of its "
        "own (for comparison)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        root = Path(tmp)
        with contextlib.ExitStack() as stack:
            chroma = None
            if args.chroma_server:
                from tests.chroma_server import chroma_server

                server = stack.enter_context(chroma_server(root / "chroma-server"))
                chroma = {"chroma_host": "127.0.0.1", "chroma_port": server.port}
            rows = asyncio.run(
                _run(
                    args.servers,
                    args.feeds,
                    args.database_url,
                    root,
                    chroma,
                    in_process=args.in_process_store,
                )
            )
    headers = ["run", "seconds", "posted", "lag p95 ms", "lag p99 ms", "lag max ms"]
    print(
        table(
            headers,
            [
                [
                    r["run"],
                    f"{r['seconds']:.1f}",
                    r["posted"],
                    f"{r['lag_p95_ms']:.1f}",
                    f"{r['lag_p99_ms']:.1f}",
                    f"{r['lag_max_ms']:.1f}",
                ]
                for r in rows
            ],  # fmt: skip
        )
    )
    print(f"every channel got each of its feeds' new articles exactly once: {rows[1]['each once']}")
    print(f"the store holds each article once, the new ones included: {rows[1]['stored']}")


if __name__ == "__main__":
    main()
