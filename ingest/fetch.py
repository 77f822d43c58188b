"""Downloading pages and feeds: size and time capped, with an optional private-address guard.

The guard matters when strangers choose the URL (the bot's /ingest command): it refuses
loopback, private, link-local and other non-public addresses at every redirect hop, and any
scheme but http(s).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.errors import SourceError

_MAX_REDIRECTS = 5
USER_AGENT = "newsbot/0.1 (+https://github.com/; news question answering)"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def is_url(text: str) -> bool:
    try:
        return urlsplit(text).scheme.lower() in {"http", "https"}
    except ValueError:  # "http://[bad" is meant as a link; fetching it says what is wrong
        return text.strip().lower().startswith(("http://", "https://"))


def check_public_url(url: str) -> None:
    """Raise SourceError unless url is http(s) and every address of its host is public."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise SourceError(url, f"malformed URL ({exc})") from exc
    if parts.scheme.lower() not in {"http", "https"}:
        raise SourceError(url, f"only http and https URLs are accepted, not {parts.scheme!r}")
    if not host:
        raise SourceError(url, "URL has no host")
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise SourceError(url, f"host {host} cannot be resolved ({exc.strerror})") from exc
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global or addr.is_multicast:
            raise SourceError(url, f"refused: {host} is a private or local address ({addr})")


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow_private: bool = True,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET url, following redirects by hand so each hop passes the address guard."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, headers=headers) as client:
            return _follow(client, url, max_bytes, allow_private, etag, last_modified)
    except httpx.InvalidURL as exc:
        raise SourceError(url, f"malformed URL ({exc})") from exc
    except httpx.TimeoutException as exc:
        raise SourceError(url, f"timed out after {timeout:g} s") from exc
    except httpx.HTTPError as exc:
        raise SourceError(url, f"download failed ({exc.__class__.__name__}: {exc})") from exc


def _follow(
    client: httpx.Client,
    url: str,
    max_bytes: int,
    allow_private: bool,
    etag: str | None,
    last_modified: str | None,
) -> Fetched:
    """Request url and each redirect target in turn, checking every hop before it is asked."""
    current = url
    for _ in range(_MAX_REDIRECTS + 1):
        if not allow_private:
            check_public_url(current)
        elif not is_url(current):
            raise SourceError(url, "only http and https URLs are accepted")
        with client.stream("GET", current) as resp:
            if resp.is_redirect and "location" in resp.headers:
                current = urljoin(current, resp.headers["location"])
                continue
            if resp.status_code == 304:
                return Fetched(current, b"", "", None, etag, last_modified, True)
            if resp.status_code >= 400:
                raise SourceError(url, f"HTTP {resp.status_code} {resp.reason_phrase}")
            return _received(resp, url, max_bytes)
    raise SourceError(url, f"more than {_MAX_REDIRECTS} redirects")


def _received(resp: httpx.Response, url: str, max_bytes: int) -> Fetched:
    """The response's body, refused as soon as it is known to exceed max_bytes."""
    length = resp.headers.get("content-length", "").strip()
    declared = int(length) if length.isdigit() else 0  # a bad header: count
    if declared > max_bytes:
        raise SourceError(url, f"larger than the {max_bytes:,}-byte limit")
    body = bytearray()
    for chunk in resp.iter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise SourceError(url, f"larger than the {max_bytes:,}-byte limit")
    ctype = resp.headers.get("content-type", "")
    return Fetched(
        url=str(resp.url),
        data=bytes(body),
        content_type=ctype.split(";")[0].strip().lower(),
        charset=resp.charset_encoding,
        etag=resp.headers.get("etag"),
        last_modified=resp.headers.get("last-modified"),
    )
