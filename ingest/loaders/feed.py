"""RSS and Atom feeds: every entry becomes an article.

The entry's own full text is used when the feed carries it (content:encoded, Atom content);
otherwise its summary, or, when fetching is allowed, the linked page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import feedparser

from ingest.errors import SourceError
from ingest.loaders.html import html_fragment_text
from ingest.quality import check_feed_entry
from ingest.titles import title_from_text, without_site_suffix
from retrieval.schema import Article

# A summary shorter than this is a teaser: fetch the page when allowed.
_TEASER_WORDS = 80

PageFetcher = Callable[[str], Article]


def looks_like_feed(text: str) -> bool:
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    return any(tag in head for tag in ("<rss", "<feed", "<rdf:rdf", "<channel"))


def parse_feed(
    data: bytes, source: str, fetch_page: PageFetcher | None = None
) -> Iterator[Article | SourceError]:
    """Yield one Article (or SourceError) per entry; raise SourceError if no feed is there."""
    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = "no feed entries"
        if parsed.bozo:
            reason = f"malformed feed ({_bozo_reason(parsed.bozo_exception)})"
        elif not parsed.version:
            reason = "not an RSS or Atom feed"
        raise SourceError(source, reason)
    channel = parsed.feed
    publisher = (channel.get("title") or "").strip()
    damage = f" (malformed feed: {_bozo_reason(parsed.bozo_exception)})" if parsed.bozo else ""
    for i, entry in enumerate(parsed.entries):
        where = f"{source}#{entry.get('id') or entry.get('link') or i}"
        try:
            yield _entry_article(entry, where, publisher, fetch_page)
        except SourceError as err:
            yield SourceError(err.source, err.reason + damage)


def _entry_article(
    entry: feedparser.FeedParserDict, where: str, publisher: str, fetch_page: PageFetcher | None
) -> Article:
    link = (entry.get("link") or "").strip()
    # Aggregators (Google News) name each entry's outlet in <source> and the title's suffix.
    outlet = (entry.get("source") or {}).get("title", "")
    title = without_site_suffix(
        " ".join(html_fragment_text(entry.get("title", "")).split()), publisher, outlet, link
    )
    full = max((c.get("value", "") for c in entry.get("content", [])), key=len, default="")
    text = html_fragment_text(full or entry.get("summary", "") or entry.get("description", ""))
    if fetch_page and link and len(text.split()) < _TEASER_WORDS:
        try:
            page = fetch_page(link)
            if len(page.text.split()) > len(text.split()):
                text = page.text
        except SourceError:
            pass  # keep the summary: the entry still says something
    if not text.strip() and not title:
        raise SourceError(where, "feed entry has neither title nor text")
    has_text = bool(text.strip())
    authors = [a.get("name", "").strip() for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry["author"].strip()]
    article = Article(
        title=title or title_from_text(text.split("\n")),
        text=text if has_text else title,  # a headline-and-link entry still reports something
        source=where,
        url=link,
        publisher=publisher,
        published=_entry_date(entry),
        authors=[a for a in authors if a],
    )
    return check_feed_entry(article, has_text)


def _entry_date(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        # Read the entry's own keys: feedparser's get("updated_parsed") falls back to
        # published_parsed with a DeprecationWarning (a fallback it will remove).
        value = dict.get(entry, key)
        if value:
            return datetime(*value[:6], tzinfo=UTC)
    return None


def _bozo_reason(exc: object) -> str:
    return f"{exc.__class__.__name__}: {exc}".splitlines()[0][:200] if exc else "unknown error"
