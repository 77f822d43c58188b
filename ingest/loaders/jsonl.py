"""JSON Lines bulk import: one `{title, text, url, published, authors, source}` per line.

The text is taken as already extracted (scrapers and datasets emit it), but it still passes
the furniture filter: scraped pages keep their newsletter promotions and ad widgets.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

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
        authors = record.get("authors") or []
        if isinstance(authors, str):
            authors = [a.strip() for a in authors.split(",") if a.strip()]
        paragraphs = strip_boilerplate(_paragraphs(body))
        if not paragraphs:
            yield SourceError(where, "no article text left after removing boilerplate")
            continue
        url = str(record.get("url") or "").strip()
        publisher = str(record.get("source") or record.get("publisher") or "").strip()
        title = str(record.get("title") or "").strip()
        title = without_site_suffix(title, publisher, url) or title_from_text(paragraphs)
        yield Article(
            title=title,
            text="\n\n".join(paragraphs),
            source=where,
            url=url,
            publisher=publisher,
            published=parse_date(record.get("published")),
            authors=[str(a) for a in authors],
        )


def _paragraphs(body: str) -> list[str]:
    paras = [" ".join(p.split()) for p in body.replace("\r", "").split("\n")]
    return [p for p in paras if p]
