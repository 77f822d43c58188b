"""The passage schema shared by ingest (which writes it) and retrieval (which reads it).

Chroma metadata values must be scalars or flat lists of one scalar type, so structured parts
(attributions) are stored twice: as JSON for display, and as flat string lists for filtering.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from courlan.clean import clean_query

SCHEMA_VERSION = 1
# How ingest analysed the text into passages and attributions. Bump it when those rules change
# (as 2 did: a reported statement stops where "but critics say ..." begins; 3 to 5: a
# thing tweeted or written, "Musk tweeted a poll ...", or an act announced, "Truss announces
# her resignation", is no statement): a stored article
# of an older analysis is analysed again the next time it is ingested, keeping the vectors of
# its unchanged passages, instead of being skipped as unchanged.
ANALYSIS_VERSION = 5


@dataclass(frozen=True)
class Attribution:
    """Someone reported in the text as saying, confirming, announcing or denying something."""

    speaker: str
    cue: str
    statement: str
    start: int = 0  # character offset of the attribution in the article text
    end: int = 0

    def as_dict(self) -> dict[str, str]:
        return {"speaker": self.speaker, "cue": self.cue, "statement": self.statement}


@dataclass
class Article:
    """One news article as extracted from a file, page, feed entry or JSON record."""

    title: str
    text: str
    source: str  # where it came from (path or URL), for error messages and provenance
    url: str = ""
    publisher: str = ""
    published: datetime | None = None
    authors: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Identity of the text itself: the same story under two URLs hashes the same."""
        return _digest(normalize_for_hash(self.title + "\n" + self.text))

    def __post_init__(self) -> None:
        self.url = clean_url(self.url)

    @property
    def article_id(self) -> str:
        """Identity of the article's location: a new text at the same URL replaces the old."""
        return "a" + _digest(url_identity(self.url) if self.url else self.source)[:20]


@dataclass(frozen=True)
class Passage:
    """A few consecutive sentences of an article, the unit that is embedded and retrieved."""

    article_id: str
    index: int
    text: str
    start: int
    end: int
    attributions: tuple[Attribution, ...] = ()
    # Model and exact text that were embedded (see embedding_key): an updated article reuses
    # the stored vectors of passages whose key did not change.
    embedding_key: str = ""

    @property
    def passage_id(self) -> str:
        return f"{self.article_id}-{self.index:05d}"


def clean_url(url: str) -> str:
    """The link as shown in citations, without tracking parameters (utm_*, feed "cid" tags):
    feeds and shared links carry them, and they are noise to a reader. The rest is kept as
    written (a path in "ü" stays readable)."""
    url = url.strip()
    if not _is_web(url):
        return url
    try:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(query=clean_query(parts.query)))
    except ValueError:  # a malformed URL is kept as given
        return url


def url_identity(url: str) -> str:
    """The key that says two links are the same article.

    One CNN story reaches a reader as ".../story/index.html", ".../story" and
    ".../story?cid=external-feeds_...": 27 of the RealTimeQA pages were stored twice that way.
    Normalised (courlan: case of scheme and host, percent-encoding, order of parameters,
    no tracking parameters), with no fragment (a "#:~:text=" highlight is the same page),
    trailing slash or directory index page.
    """
    url = url.strip()
    if _is_web(url):
        with suppress(ValueError):  # malformed: compared as given
            url = normalize_url(url)
    cleaned = url.split("#", 1)[0].rstrip("/")  # ".../index.html/" occurs too
    return _INDEX_PAGE.sub("", cleaned).rstrip("/")


_INDEX_PAGE = re.compile(r"/index\.html?$", re.IGNORECASE)
_BARE_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"}


def site_name(site: str) -> str | None:
    """The registered name of a link's or a bare host's site, lower-case: "https://rss.cnn.com/..."
    -> "cnn", "theweek.co.uk" -> "theweek"; None for a name that is no host ("The Japan Times").

    Not the first label: feeds live on "rss.", "feeds." and "news." hosts (news.google.com is
    "google"). Ingest matches it against title suffixes, questions against stored publishers.
    """
    site = site.strip()
    try:
        host = urlsplit(site).hostname if "://" in site else None
    except ValueError:  # "http://[bad": no host to read
        host = None
    if host is None and _BARE_HOST.fullmatch(site):
        host = site.lower()
    if not host:
        return None
    parts = host.split(".")
    labels = parts[:-1] or parts
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-1]


def _is_web(url: str) -> bool:
    """Only web links are cleaned: a file path or a bare source name is kept as given."""
    return url.lower().startswith(("http://", "https://"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embedding_key(model: str, embedded_text: str) -> str:
    """Same model and same text give the same vector: the key under which to reuse it."""
    return _digest(f"{model}\0{embedded_text}")[:32]


def normalize_for_hash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"\s+", " ", text).strip()


def speaker_key(speaker: str) -> str:
    """The word a speaker filter matches on: the last word of the name ("rubio")."""
    return speaker.casefold().split()[-1]


def speaker_keys(speaker: str) -> list[str]:
    """Lower-case forms a user may filter by: the full name and its last word ("rubio")."""
    name = re.sub(r"^(the|a|an)\s+", "", speaker.strip(), flags=re.I).casefold()
    keys = [name]
    words = name.split()
    if len(words) > 1:
        keys.append(words[-1])
    return keys


def iso_date(value: datetime | None) -> str:
    return value.date().isoformat() if value else ""


def timestamp(value: datetime | None) -> int:
    """Seconds since the epoch (UTC); 0 when unknown, so Chroma can range-filter on it."""
    if value is None:
        return 0
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def passage_metadata(article: Article, passage: Passage) -> dict[str, Any]:
    """Everything needed to cite a passage without another lookup."""
    speakers = list(dict.fromkeys(a.speaker for a in passage.attributions))
    keys = list(dict.fromkeys(k for s in speakers for k in speaker_keys(s)))
    meta: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "article_id": article.article_id,
        "content_hash": article.content_hash,
        "title": article.title,
        "publisher": article.publisher,
        "publisher_key": article.publisher.casefold(),
        "url": article.url,
        "source": article.source,
        "published": iso_date(article.published),
        "published_ts": timestamp(article.published),
        "authors_json": json.dumps(article.authors, ensure_ascii=False),
        "position": passage.index,
        "start": passage.start,
        "end": passage.end,
        "attributions_json": json.dumps(
            [a.as_dict() for a in passage.attributions], ensure_ascii=False
        ),
    }
    if passage.embedding_key:
        meta["embedding_key"] = passage.embedding_key
    # Chroma rejects empty lists, so list-valued keys are present only when non-empty.
    if article.authors:
        meta["authors"] = list(article.authors)
    if speakers:
        meta["speakers"] = speakers
        meta["speaker_keys"] = keys
    return meta


def article_record(article: Article, n_passages: int) -> dict[str, Any]:
    """The registry entry written after all of an article's passages: its commit marker."""
    return {
        "schema": SCHEMA_VERSION,
        "analysis": ANALYSIS_VERSION,
        "content_hash": article.content_hash,
        "title": article.title,
        "publisher": article.publisher,
        "url": article.url,
        "source": article.source,
        "published": iso_date(article.published),
        "published_ts": timestamp(article.published),
        "passages": n_passages,
    }


def attributions_from_metadata(meta: dict[str, Any]) -> list[dict[str, str]]:
    return json.loads(meta.get("attributions_json") or "[]")


def authors_from_metadata(meta: dict[str, Any]) -> list[str]:
    return json.loads(meta.get("authors_json") or "[]")
