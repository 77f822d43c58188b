"""Junk that decodes is refused like undecodable input: one line each, nothing stored."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import warnings

import pytest

from ingest import ingest_sources
from ingest.errors import SourceError
from ingest.loaders.feed import parse_feed
from ingest.quality import check_article
from ingest.sources import LoadOptions, load_bytes
from retrieval.schema import Article

TRUNCATED_HTML = b"<html><body><p>caf\xe9 \xff\xfe broken"
CUT_OFF_FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>x</title>'
)


def _bad_inputs(folder) -> list[str]:
    """The five inputs of the product's example: none holds an article."""
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.html").write_bytes(random.Random(7).randbytes(4096))
    (folder / "truncated.html").write_bytes(TRUNCATED_HTML)
    (folder / "cut.rss").write_bytes(CUT_OFF_FEED)
    return [str(folder / n) for n in ("empty.txt", "noise.html", "truncated.html", "cut.rss")] + [
        str(folder / "missing.txt")
    ]


def _ingest(args: list[str], tmp_path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHROMA_PATH=str(tmp_path / "chroma"), CHROMA_COLLECTION="bad_input")
    env.pop("CHROMA_HOST", None)
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_only_the_seed_is_stored_and_each_bad_input_is_named_once(tmp_path, seed_path):
    bad = _bad_inputs(tmp_path)
    done = _ingest([str(seed_path), *bad], tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == len(bad), done.stderr
    for path in bad:
        naming = [line for line in lines if path in line]
        assert len(naming) == 1, (path, done.stderr)
    assert "1 added" in done.stdout and "5 failed" in done.stdout
    stats = json.loads(_ingest(["--stats", "--json"], tmp_path).stdout)
    assert stats["articles"] == 1 and stats["latest"] == "2026-01-07"


def test_a_page_turned_to_junk_leaves_the_stored_article_alone(tmp_path, store, embedder, settings):
    page = tmp_path / "story.html"
    body = "".join(
        f"<p>The harbour council met on Friday and agreed plan number {i} for the barrier.</p>"
        for i in range(6)
    )
    page.write_text(f"<html><head><title>Barrier plan</title></head><body>{body}</body></html>")
    first = ingest_sources([str(page)], store, embedder, settings)
    assert first.articles_added == 1
    before = store.passages.get(include=["documents", "metadatas"])
    page.write_bytes(TRUNCATED_HTML)
    again = ingest_sources([str(page)], store, embedder, settings)
    assert again.articles_added == again.articles_updated == 0
    assert again.failed == [
        {"source": str(page), "error": "too little text to be an article (2 words; 12 needed)"}
    ]
    assert store.passages.get(include=["documents", "metadatas"]) == before


def _article(title: str, text: str) -> Article:
    return Article(title=title, text=text, source="page.html")


@pytest.mark.parametrize(
    ("title", "text", "says"),
    [
        ("Storm", "Roads \ufffd\ufffd\ufffd closed " + "\ufffd" * 20 + " today" * 12, "garbled"),
        ("Storm", "Roads closed \x01\x02\x03\x04 " + "again " * 12, "garbled"),
        ("Storm", "x y z 12 14 2026", "too little text"),
        ("Storm", "¤¦§¨©ª«¬®¯°±²³ ab cd " * 12, "mostly symbols"),
        ("A headline that is long enough to hold every word " * 3, "Roads closed " * 6, "title"),
    ],
)
def test_junk_text_is_refused_with_its_reason(title, text, says):
    with pytest.raises(SourceError, match=says) as caught:
        check_article(_article(title, text))
    assert str(caught.value).startswith("page.html: ")


def test_a_short_report_in_another_script_is_prose():
    text = "先日、不正に改造したスマートフォンを販売したとして、二十代の男性が逮捕されました。"
    assert check_article(_article("逮捕", text)).text == text


def test_a_feed_entry_needs_a_title_and_a_link_or_text():
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        b"<item><title>Ferry strike ends</title><link>https://w.example/1</link></item>"
        b"<item><title>Only a title</title></item>"
        b"<item><description>Crews return to work on Monday after a deal.</description></item>"
        b"</channel></rss>"
    )
    got = list(parse_feed(feed, "wire.rss"))
    assert [a.title if isinstance(a, Article) else a.reason for a in got] == [
        "Ferry strike ends",
        "feed entry has a title but neither link nor text (cut-off feed?)",
        "Crews return to work on Monday after a deal.",
    ]


def test_a_junk_record_fails_alone():
    lines = [
        {"title": "Park floods", "text": "Roads washed out."},
        {"title": "Park floods again", "text": "\ufffd\ufffd\ufffd \ufffd\ufffd ok"},
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    got = list(load_bytes(data, "bulk.jsonl", "jsonl", "", None, LoadOptions()))
    assert isinstance(got[0], Article)
    assert isinstance(got[1], SourceError) and got[1].source == "bulk.jsonl:2"


def test_no_real_page_is_refused():
    """The thresholds hold on every page of ../shared/data/extraction (the benchmark)."""
    pytest.importorskip("trafilatura")
    from benchmarks import ingest_quality
    from tests.conftest import shared

    shared("extraction/scrapinghub_article_extraction_benchmark")
    assert ingest_quality.main() == 0


def test_an_unreadable_entry_date_is_no_date_and_no_warning():
    """feedparser's `updated_parsed` falls back to `published_parsed` with a
    DeprecationWarning; the entry's own keys are read instead."""
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        b"<item><title>Ferry strike ends</title><link>https://w.example/1</link>"
        b"<pubDate>the day after the storm</pubDate></item></channel></rss>"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (article,) = parse_feed(feed, "wire.rss")
    assert isinstance(article, Article) and article.published is None
