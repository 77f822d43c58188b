"""JSON Lines bulk import: one `{title, text, url, published, authors, source}` per line.

The text is taken as already extracted (scrapers and datasets emit it), but it still passes
the furniture filter: scraped pages keep their newsletter promotions and ad widgets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from ingest.boilerplate import strip_boilerplate
from ingest.dates import parse_date
from ingest.errors import SourceError
from ingest.titles import title_from_text, without_site_suffix
from retrieval.schema import Article


def parse_jsonl(text: str, source: str) -> Iterator[Article | SourceError]:
    """A bad line is reported on its own (`file:line: reason`); the other lines still load."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SourceError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield SourceError(where, "a record must be a JSON object")
            continue
        body = record.get("text")
        if not isinstance(body, str) or not body.strip():
            yield SourceError(where, "record has no 'text'")
            continue
        wrong = _wrong_field(record)
        if wrong:
            yield SourceError(where, wrong)
            continue
        authors = record.get("authors") or []
        if isinstance(authors, str):
            authors = [a.strip() for a in authors.split(",") if a.strip()]
        paragraphs = strip_boilerplate(_paragraphs(body))
        if not paragraphs:
            yield SourceError(where, "no article text left after removing boilerplate")
            continue
        # Every field is a string or absent by now (`_wrong_field`).
        url = (record.get("url") or "").strip()
        publisher = (record.get("source") or record.get("publisher") or "").strip()
        title = (record.get("title") or "").strip()
        title = without_site_suffix(title, publisher, url) or title_from_text(paragraphs)
        yield Article(
            title=title,
            text="\n\n".join(paragraphs),
            source=where,
            url=url,
            publisher=publisher,
            published=_unix_time(record.get("published")) or parse_date(record.get("published")),
            authors=list(authors),
        )


def _paragraphs(body: str) -> list[str]:
    paras = [" ".join(p.split()) for p in body.replace("\r", "").split("\n")]
    return [p for p in paras if p]


def _wrong_field(record: dict) -> str:
    """Why a field cannot be read as what it names ("" when all can): a number for authors
    or a list for a title is a mistake of whoever wrote the file, and guessing at it would
    put "5" or "['C']" in a citation."""
    for key in ("title", "url", "source", "publisher"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return f"'{key}' must be a string, not {type(value).__name__}"
    published = record.get("published")
    if published is not None and not isinstance(published, str) and _unix_time(published) is None:
        return f"'published' must be a date or a Unix time, not {published!r}"[:120]
    authors = record.get("authors")
    if authors is None or isinstance(authors, str):
        return ""
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        return "'authors' must be a list of names or one string"
    return ""


def _unix_time(value: object) -> datetime | None:
    """Datasets often give the date as seconds since 1970."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):  # inf, nan, far beyond any news
        return None
