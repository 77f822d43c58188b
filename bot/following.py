"""Feeds a server follows: checking a feed, polling it, and the article card that is posted.

Everything here that touches the network or the store is blocking and runs in a worker
thread (the cog calls it through `asyncio.to_thread`). A poll stores a feed's new articles
through the ordinary ingest run (conditional requests, backoff, deduplication), and only a
feed that changed is read again for the entries to post, so an unchanged feed costs one 304.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord

from bot.config import BotSettings
from bot.render import COLOUR_ANSWER, DESCRIPTION_LIMIT, escape, truncate
from ingest import LoadOptions, SourceError, ingest_sources
from ingest.sources import load_source
from retrieval.engine import NewsEngine
from retrieval.schema import Article

LEAD_CHARACTERS = 350
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”')\]]*\s+")


@dataclass
class FeedCheck:
    """What `/feeds add` learnt from one fetch: the feed's name and entries, or what failed."""

    url: str
    error: str = ""
    title: str = ""
    cards: list[dict[str, Any]] = field(default_factory=list)  # newest first


@dataclass
class PollResult:
    """One followed URL after a poll: its error, or the stored entries it now carries."""

    url: str
    error: str = ""
    changed: bool = False
    backing_off: bool = False  # failed lately and not due yet: neither success nor error
    added: int = 0
    cards: list[dict[str, Any]] = field(default_factory=list)


def fetch_options(settings: BotSettings, polling: bool) -> LoadOptions:
    """The /ingest command's limits (public addresses only, capped size and time); with
    `polling`, the conditional-request and backoff state of the followed feeds."""
    state = {"state_file": followed_state_file(settings)} if polling else {"state_file": None}
    return LoadOptions.from_settings(
        settings,
        polling=polling,
        fetch_timeout=min(settings.fetch_timeout, 20.0),
        fetch_max_bytes=min(settings.fetch_max_bytes, 5_000_000),
        allow_private=settings.feeds_allow_private,
        fetch_linked_pages=False,
        **state,
    )


def followed_state_file(settings: BotSettings) -> Path:
    """Kept apart from NEWS_FEEDS' state: the two pollers commit their state independently."""
    return settings.data_dir / "followed_feed_state.json"


def check_feed(url: str, settings: BotSettings) -> FeedCheck:
    """Fetch and parse `url` once (blocking): its title and entries, or one line why not."""
    check = FeedCheck(url)
    errors: list[str] = []
    articles: list[Article] = []
    for item in load_source(url, fetch_options(settings, polling=False)):
        if isinstance(item, SourceError):
            errors.append(item.reason)
        elif isinstance(item, Article):
            articles.append(item)
    if not articles:
        check.error = errors[0] if errors else "it has no articles I can read"
        return check
    check.title = articles[0].publisher or articles[0].title
    check.cards = newest_first([article_card(a) for a in articles])
    return check


def store_feed(url: str, engine: NewsEngine, settings: BotSettings) -> int:
    """Ingest what the feed holds now (blocking); the number of articles new to the store."""
    report = ingest_sources(
        [url], engine.store, engine.embedder, settings, fetch_options(settings, polling=True)
    )
    return report.articles_added


def poll_feed(url: str, engine: NewsEngine, settings: BotSettings) -> PollResult:
    """Store the feed's new articles (blocking); when it changed, the entries now stored."""
    result = PollResult(url)
    report = ingest_sources(
        [url], engine.store, engine.embedder, settings, fetch_options(settings, polling=True)
    )
    # The feed itself failed (fetch, parse); an entry refused on its own (source
    # "url#entry") is simply not stored, and the feed's other new entries still go out.
    failed = [f["error"] for f in report.failed if f["source"] == url]
    if failed:
        result.error = failed[0]
        return result
    if report.not_modified or report.backing_off:
        result.backing_off = bool(report.backing_off)
        return result
    result.changed, result.added = True, report.articles_added
    check = check_feed(url, settings)
    if check.error:
        result.error = check.error
        return result
    result.cards = stored_only(check.cards, engine)
    return result


def stored_only(cards: list[dict[str, Any]], engine: NewsEngine) -> list[dict[str, Any]]:
    """The entries the store holds (by link or by identical text): only those are posted,
    since a posted article must be one the bot can answer questions about."""
    store = engine.store
    by_id = store.stored_hashes([c["key"] for c in cards])
    by_text = store.articles_with_content([c["content_hash"] for c in cards])
    return [c for c in cards if c["key"] in by_id or c["content_hash"] in by_text]


def article_card(article: Article) -> dict[str, Any]:
    """What a post shows of an article, as plain data (kept with a pending delivery)."""
    return {
        "key": article.article_id,
        "content_hash": article.content_hash,
        "title": article.title,
        "url": article.url,
        "publisher": article.publisher,
        "published": article.published.isoformat() if article.published else "",
        "authors": list(article.authors),
        "lead": lead(article.text),
    }


def newest_first(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(cards, key=lambda c: c["published"] or "", reverse=True)


def lead(text: str) -> str:
    """The first sentences, up to about LEAD_CHARACTERS, cut at a sentence when possible."""
    text = " ".join(text.split())
    if len(text) <= LEAD_CHARACTERS:
        return text
    sentences, total = [], 0
    for sentence in _SENTENCE_END.split(text):
        if sentences and total + len(sentence) > LEAD_CHARACTERS:
            break
        sentences.append(sentence)
        total += len(sentence) + 1
    return truncate(" ".join(sentences), LEAD_CHARACTERS + 100)


def parse_filter(text: str) -> tuple[str, str]:
    """ "election, -opinion sport" -> include "election sport", exclude "opinion"."""
    words = [w.strip().lower() for w in re.split(r"[,\s]+", text or "") if w.strip()]
    include = [w for w in words if not w.startswith("-")]
    exclude = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
    return " ".join(include), " ".join(exclude)


def passes_filter(card: dict[str, Any], include: str, exclude: str) -> bool:
    """Whole-word match on the title and lead: any include word (if any), no exclude word."""
    words = set(re.findall(r"\w+", f"{card['title']} {card['lead']}".lower()))
    if exclude and words & set(exclude.split()):
        return False
    return not include or bool(words & set(include.split()))


def card_json(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


def article_embed(card: dict[str, Any]) -> discord.Embed:
    """The post: title linking to the article, its first sentences, outlet, date, authors."""
    linkable = str(card.get("url", "")).startswith(("http://", "https://"))
    embed = discord.Embed(
        title=truncate(card["title"] or "Untitled", 256),
        url=card["url"] if linkable and len(card["url"]) <= 2000 else None,
        description=truncate(escape(card.get("lead", "")), DESCRIPTION_LIMIT),
        colour=COLOUR_ANSWER,
    )
    if card.get("publisher"):
        embed.set_author(name=truncate(card["publisher"], 256))
    if card.get("authors"):
        embed.add_field(name="By", value=truncate(", ".join(card["authors"]), 1024))
    if card.get("published"):
        embed.add_field(name="Published", value=card["published"][:10])
    embed.set_footer(text="Ask me about it: reply to this post or use /ask")
    return embed
