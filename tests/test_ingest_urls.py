"""URLs: pages and feeds fetched over HTTP (a loopback server), mixed with files on one run."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest import LoadOptions, ingest_sources
from ingest.errors import SourceError
from ingest.fetch import check_public_url, fetch
from tests.conftest import REPO


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site():
    handler = functools.partial(_Quiet, directory=str(REPO / "samples"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_page_and_feed_urls_mixed_with_a_file(site, seed_path, store, embedder, settings):
    inputs = [
        f"{site}/brightwater-solar.html",
        f"{site}/lakeside-feed.rss",
        str(seed_path),
        f"{site}/missing.html",
    ]
    report = ingest_sources(inputs, store, embedder, settings)
    assert report.articles_added == 4  # page + two feed entries + seed file
    assert report.failed == [{"source": f"{site}/missing.html", "error": "HTTP 404 File not found"}]
    records = {r["title"]: r for r in store.registry_records()}
    page = records["Brightwater farm cooperative switches on solar array"]
    assert page["url"] == "https://example.org/riverside/brightwater-solar"  # canonical link
    assert page["publisher"] == "The Riverside Courier (fictional)"
    assert page["published"] == "2026-01-28"
    assert (
        records["Lakeside marathon draws record field"]["publisher"] == "Lakeside Daily (fictional)"
    )


def test_size_cap_and_private_address_guard(site):
    with pytest.raises(SourceError, match="byte limit"):
        fetch(f"{site}/brightwater-solar.html", timeout=5, max_bytes=100)
    with pytest.raises(SourceError, match="private or local address"):
        fetch(f"{site}/brightwater-solar.html", timeout=5, max_bytes=10**6, allow_private=False)
    for url in ("file:///etc/passwd", "ftp://example.org/x", "http://169.254.169.254/latest"):
        with pytest.raises(SourceError):
            check_public_url(url)


def test_bot_style_options_refuse_loopback(site, store, embedder, settings):
    report = ingest_sources(
        [f"{site}/brightwater-solar.html"],
        store,
        embedder,
        settings,
        LoadOptions(allow_private=False),
    )
    assert report.articles_added == 0 and "private or local" in report.failed[0]["error"]
