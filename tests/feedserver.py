"""A local HTTP server for feed tests: real files, real ETag / Last-Modified / 304 handling.

Serves an in-memory map of path -> bytes (tests change it to publish a new item) and logs
every request with the status it got, so tests can see conditional requests at work.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)
        self.modified: dict[str, float] = {}
        self.log: list[tuple[str, int]] = []
        self.base = ""

    def publish(self, path: str, data: bytes, when: float) -> None:
        self.files[path] = data
        self.modified[path] = when

    def statuses(self, path: str) -> list[int]:
        return [status for p, status in self.log if p == path]


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            data = server.files.get(self.path)
            if data is None:
                self._reply(404, b"not found", {})
                return
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            modified = formatdate(server.modified.get(self.path, 1_700_000_000), usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self._reply(304, b"", {"ETag": etag})
                return
            headers = {
                "Content-Type": "application/rss+xml",
                "ETag": etag,
                "Last-Modified": modified,
            }
            self._reply(200, data, headers)

        def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            server.log.append((self.path, status))
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve_feeds(files: dict[str, bytes]) -> Iterator[FeedServer]:
    feeds = FeedServer(files)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(feeds))
    feeds.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield feeds
    finally:
        httpd.shutdown()
        httpd.server_close()
