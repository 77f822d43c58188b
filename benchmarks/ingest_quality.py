"""The junk-text gate against real pages: none may be refused, broken inputs must be.

    python -m benchmarks.ingest_quality

Reads every page of ../shared/data/extraction (181 Scrapinghub pages, the 59 pages of the
trafilatura news subset) the way `news-ingest` does, measures what ingest.quality looks at
(words, junk and letter shares, body against title) and prints the extremes next to the
thresholds. Then it feeds broken inputs (a cut-off page, a cut-off feed, mis-decoded and
random bytes) through the same loader. Exit status 1 when a real page is refused by the gate
or a broken input is stored, so the thresholds can be re-checked after any change.
"""

from __future__ import annotations

import gzip
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from benchmarks.common import shared, table
from ingest import quality
from ingest.decode import decode_text
from ingest.errors import SourceError
from ingest.loaders.html import parse_html_article
from ingest.sources import LoadOptions, load_bytes

BROKEN = {
    "cut-off page": (b"<html><body><p>caf\xe9 \xff\xfe broken", "html"),
    "cut-off feed": (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>x</title>',
        "feed",
    ),
    "title only": (b"<html><title>Breaking</title><body>Breaking</body></html>", "html"),
    "random bytes": (os.urandom(4096), "html"),
    "latin-1 noise": (bytes(range(0xA0, 0x100)) * 8, "text"),
    "one word": (b"Headline\n\nSoon.\n", "text"),
}


def real_pages() -> Iterator[tuple[str, bytes]]:
    """(name, raw bytes) of every real page in the extraction data."""
    folder = shared("extraction/scrapinghub_article_extraction_benchmark")
    for path in sorted((folder / "html").glob("*.html.gz")):
        yield f"scrapinghub/{path.name[:12]}", gzip.decompress(path.read_bytes())
    subset = shared("extraction/trafilatura_eval_en_news_subset")
    for line in (subset / "selected_files.txt").read_text(encoding="utf-8").split():
        yield f"trafilatura/{Path(line).name}", (subset / line).read_bytes()


def _load(name: str, data: bytes, fmt: str) -> list[object]:
    """What ingest makes of these bytes: articles and errors, none raised."""
    try:
        return list(load_bytes(data, name, fmt, "", None, LoadOptions()))
    except SourceError as err:
        return [err]


def main() -> int:
    stats: list[tuple[str, quality.ProseStats]] = []
    refused_by_gate: list[str] = []
    not_extracted = 0
    for name, raw in real_pages():
        try:
            article = parse_html_article(decode_text(raw, name), name)
        except SourceError:
            not_extracted += 1
            continue
        stats.append((name, quality.measure(article.title, article.text)))
        try:
            quality.check_article(article)
        except SourceError as err:
            refused_by_gate.append(str(err))
    print(_extremes(stats, not_extracted, refused_by_gate))
    stored = [label for label, (data, fmt) in BROKEN.items() if _stored(label, data, fmt)]
    for label in stored:
        print(f"STORED (should be refused): {label}")
    for line in refused_by_gate:
        print(f"REFUSED (a real page): {line}")
    return 1 if refused_by_gate or stored else 0


def _stored(label: str, data: bytes, fmt: str) -> bool:
    items = _load(label, data, fmt)
    for item in items:
        print(f"  {label}: {item if isinstance(item, SourceError) else 'stored'}")
    return any(not isinstance(item, SourceError) for item in items)


def _extremes(
    stats: list[tuple[str, quality.ProseStats]], not_extracted: int, refused: list[str]
) -> str:
    def worst(key, reverse: bool = False) -> tuple[str, quality.ProseStats]:  # noqa: ANN001
        return sorted(stats, key=lambda s: key(s[1]), reverse=reverse)[0]

    rows = []
    min_letters = quality.MIN_LETTER_SHARE
    for label, key, reverse, limit in (
        ("fewest words", lambda s: s.words, False, f">= {quality.MIN_PAGE_WORDS}"),
        ("largest junk share", lambda s: s.junk_share, True, f"<= {quality.MAX_JUNK_SHARE}"),
        ("smallest letter share", lambda s: s.letter_share, False, f">= {min_letters}"),
        ("smallest body / title", lambda s: s.body_chars / max(s.title_chars, 1), False, "> 1"),
    ):
        name, s = worst(key, reverse)
        rows.append([label, f"{key(s):.4g}", limit, name])
    head = (
        f"{len(stats)} real pages stored, {not_extracted} without extractable text "
        f"(refused before the gate), {len(refused)} refused by the gate"
    )
    return head + "\n\n" + table(["measure", "worst real page", "threshold", "page"], rows)


if __name__ == "__main__":
    sys.exit(main())
