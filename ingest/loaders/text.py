"""Plain-text and Markdown articles: headline, date line, optional byline, body.

This is the shape scraped articles arrive in (see the seed article): the first line is the
headline, a date line and a byline may follow, section headings are interleaved with the
prose, and site furniture trails the body.
"""

from __future__ import annotations

import re
from datetime import datetime

import yaml

from ingest.boilerplate import is_heading, strip_boilerplate
from ingest.credits import AGENCIES, byline_authors, credited
from ingest.dates import date_in_line, parse_date
from ingest.errors import SourceError
from retrieval.schema import Article

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


def parse_text_article(text: str, source: str, url: str = "") -> Article:
    """Parse a plain-text article; the body keeps paragraphs separated by blank lines."""
    meta, text = _front_matter(text, source)
    paragraphs = _paragraphs(text)
    if not paragraphs:
        raise SourceError(source, "no text in the document")
    title = str(meta.get("title") or "").strip() or paragraphs.pop(0)
    published = parse_date(meta.get("date") or meta.get("published"))
    authors = _as_list(meta.get("authors") or meta.get("author"))
    # Date line and byline sit in the first few paragraphs after the headline.
    head = []
    for para in paragraphs[:4]:
        found = date_in_line(para)
        if found and published is None:
            published = found
            head.append(para)
        elif not authors and byline_authors(para):
            authors = byline_authors(para)
            head.append(para)
    body = [
        p
        for p in strip_boilerplate(paragraphs)
        if p not in head and not is_heading(p) and _clean_title(p) != _clean_title(title)
    ]
    if not body:
        raise SourceError(source, "no article text after removing headings and boilerplate")
    body_text = "\n\n".join(body)
    publisher = str(meta.get("publisher") or meta.get("source") or meta.get("site") or "")
    credit = credited(body_text)
    if credit:
        org, names, _, _ = credit
        publisher = publisher or _agency_name(org)
        authors = authors or names
    return Article(
        title=_clean_title(title),
        text=body_text,
        source=source,
        url=str(meta.get("url") or url),
        publisher=publisher,
        published=published if isinstance(published, datetime) else None,
        authors=authors,
    )


def _front_matter(text: str, source: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise SourceError(source, f"unparsable front matter ({exc.__class__.__name__})") from exc
    except ValueError as exc:  # "date: 2026-13-45" fails in YAML's own date constructor
        raise SourceError(source, f"unparsable front matter ({exc})") from exc
    if not isinstance(meta, dict):
        raise SourceError(source, "front matter is not a mapping")
    for key in ("title", "url", "publisher", "source", "site"):
        if isinstance(meta.get(key), list | dict):
            raise SourceError(source, f"front matter '{key}' must be text, not a list or mapping")
    for key in ("authors", "author"):
        value = meta.get(key)
        if value and not isinstance(value, str | list):
            raise SourceError(source, f"front matter '{key}' must be a name or a list of names")
    return meta, text[match.end() :]


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; single newlines inside a block are joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text)
    return [
        " ".join(line.strip() for line in b.splitlines() if line.strip())
        for b in blocks
        if b.strip()
    ]


def _as_list(value: object) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r",|\band\b", value) if v.strip()]
    return [str(v).strip() for v in value if str(v).strip()]  # type: ignore[union-attr]


def _agency_name(org: str) -> str:
    for name in AGENCIES:
        if name.lower() == org.lower():
            return name
    return org


def _clean_title(title: str) -> str:
    return re.sub(r"^#+\s*", "", title).strip()
