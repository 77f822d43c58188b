"""From what the user typed (files, folders, URLs) to a stream of Articles and SourceErrors.

Each input is handled on its own: one that fails yields a SourceError and the stream goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ingest.decode import decode_text, maybe_gunzip
from ingest.errors import SourceError
from ingest.feedstate import FeedState, NotModified
from ingest.fetch import fetch, is_url
from ingest.loaders.feed import looks_like_feed, parse_feed
from ingest.loaders.html import parse_html_article
from ingest.loaders.jsonl import parse_jsonl
from ingest.loaders.markdown import parse_markdown_article
from ingest.loaders.text import parse_text_article
from ingest.quality import MIN_RECORD_WORDS, check_article
from retrieval.schema import Article
from retrieval.settings import Settings

FORMATS = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".feed": "feed",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}  # fmt: skip


@dataclass(frozen=True)
class LoadOptions:
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 10_000_000
    allow_private: bool = True  # the CLI's user owns the machine; the bot sets False
    fetch_linked_pages: bool = False
    # Polling (news-ingest --watch, the bot's feed loop): where ETag/Last-Modified and
    # backoff are remembered between runs; None = plain fetches, no memory.
    state_file: Path | None = None
    retry_seconds: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings, polling: bool = False, **over: Any) -> LoadOptions:
        """The options the settings ask for; `polling` adds the feed state (ETag, backoff)."""
        values: dict[str, Any] = {
            "fetch_timeout": settings.fetch_timeout,
            "fetch_max_bytes": settings.fetch_max_bytes,
            "fetch_linked_pages": settings.fetch_linked_pages,
        }
        if polling:
            values["state_file"] = settings.feed_state_file
            values["retry_seconds"] = settings.feed_retry_seconds
        return cls(**(values | over))


def format_of(name: str) -> str | None:
    """Format implied by a file or URL path's suffix (a trailing .gz is looked through)."""
    path = PurePosixPath(name.lower())
    if path.suffix == ".gz":
        path = path.with_suffix("")
    return FORMATS.get(path.suffix)


def expand_inputs(inputs: list[str]) -> Iterator[str | SourceError]:
    """URLs as they are; files; folders walked recursively for files of a known format."""
    for item in inputs:
        if is_url(item):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.parts[-1:])
                and format_of(p.name)
            )
            if not found:
                yield SourceError(
                    item, "folder holds no article files (.txt .md .html .xml .rss .atom .jsonl)"
                )
            yield from (str(p) for p in found)
        elif path.is_file():
            yield str(path)
        elif len(scheme := _scheme(item)) > 1:
            yield SourceError(item, f"unsupported URL scheme {scheme!r}")
        else:
            yield SourceError(item, "no such file or folder")


def _scheme(item: str) -> str:
    try:
        return urlsplit(item).scheme
    except ValueError:  # "ftp://[x"
        return item.split("://", 1)[0] if "://" in item else ""


def load_source(
    source: str, options: LoadOptions, state: FeedState | None = None
) -> Iterator[Article | SourceError | NotModified]:
    """Read one file or URL and yield its articles (a feed or JSONL file yields many).

    With a FeedState, a URL is fetched conditionally (NotModified when it has not changed),
    and its success or failure is recorded there.
    """
    try:
        if is_url(source):
            etag, last_modified = state.validators(source) if state else (None, None)
            got = fetch(
                source,
                timeout=options.fetch_timeout,
                max_bytes=options.fetch_max_bytes,
                allow_private=options.allow_private,
                etag=etag,
                last_modified=last_modified,
            )
            if got.not_modified:
                if state:
                    state.fetched(source, etag, last_modified)
                yield NotModified(source)
                return
            fmt = _format_of_content_type(got.content_type) or format_of(urlsplit(got.url).path)
            yield from load_bytes(got.data, source, fmt, got.url, got.charset, options)
            if state:
                state.fetched(source, got.etag, got.last_modified)
        else:
            try:
                data = Path(source).read_bytes()
            except OSError as exc:
                raise SourceError(source, f"cannot read file ({exc.strerror})") from exc
            yield from load_bytes(data, source, format_of(source), "", None, options)
    except SourceError as err:
        if state and is_url(source):
            delay = state.failed(source, err.reason)
            err = SourceError(err.source, f"{err.reason} (next try in {delay:.0f} s)")
        yield err


def load_bytes(
    data: bytes,
    source: str,
    fmt: str | None,
    url: str,
    charset: str | None,
    options: LoadOptions,
) -> Iterator[Article | SourceError]:
    data = maybe_gunzip(data, source)
    if fmt == "feed":
        # feedparser reads the XML declaration's encoding itself; give it the bytes.
        if not data.strip():
            raise SourceError(source, "empty input")
        yield from parse_feed(data, source, _page_fetcher(options))
        return
    text = decode_text(data, source, declared=charset)
    if fmt is None:
        fmt = "feed" if looks_like_feed(text) else "html" if text.lstrip()[:1] == "<" else "text"
        if fmt == "feed":
            yield from parse_feed(data, source, _page_fetcher(options))
            return
    if fmt == "jsonl":
        yield from _checked_records(parse_jsonl(text, source))
    elif fmt == "html":
        yield check_article(parse_html_article(text, source, url))
    elif fmt == "markdown":
        yield check_article(parse_markdown_article(text, source, url))
    else:
        yield check_article(parse_text_article(text, source, url))


def _checked_records(
    items: Iterator[Article | SourceError],
) -> Iterator[Article | SourceError]:
    """Each record's text must be prose too; a junk record fails alone, the rest load."""
    for item in items:
        if isinstance(item, SourceError):
            yield item
            continue
        try:
            yield check_article(item, min_words=MIN_RECORD_WORDS)
        except SourceError as err:
            yield err


def _format_of_content_type(ctype: str) -> str | None:
    if any(t in ctype for t in ("rss", "atom", "xml")) and "xhtml" not in ctype:
        return "feed"
    if "html" in ctype:
        return "html"
    if ctype in {"application/x-ndjson", "application/jsonl"}:
        return "jsonl"
    if ctype == "text/markdown":
        return "markdown"
    if ctype == "text/plain":
        return "text"
    return None


def _page_fetcher(options: LoadOptions):  # noqa: ANN202 - returns PageFetcher | None
    if not options.fetch_linked_pages:
        return None

    def fetch_page(link: str) -> Article:
        got = fetch(
            link,
            timeout=options.fetch_timeout,
            max_bytes=options.fetch_max_bytes,
            allow_private=options.allow_private,
        )
        text = decode_text(got.data, link, declared=got.charset)
        return check_article(parse_html_article(text, link, got.url))

    return fetch_page
