"""What a poller remembers about each URL it fetches again and again (feeds on a schedule).

Two things, kept in one small JSON file so they survive restarts:
- the validators of the last successful fetch (ETag, Last-Modified), sent back as a
  conditional request, so a feed that has not changed costs one 304 and no parsing;
- failures, for exponential backoff: a failing feed is retried later and later (up to an
  hour), while the other feeds go on as usual.

Validators are only committed after the run has stored the articles: if a run dies after the
fetch but before the write, the next run must not be told "304, nothing new".
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 60.0
RETRY_MAX_SECONDS = 3600.0


@dataclass(frozen=True)
class NotModified:
    """A conditional request answered 304: the source has nothing new."""

    source: str


@dataclass
class FeedRecord:
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_attempt: float = 0.0  # epoch seconds; 0 = due now
    last_error: str = ""


class FeedState:
    """Per-URL validators and backoff, persisted to `path` (thread-safe)."""

    def __init__(
        self,
        path: Path,
        retry_base: float = RETRY_BASE_SECONDS,
        retry_max: float = RETRY_MAX_SECONDS,
    ) -> None:
        self.path = path
        self.retry_base = retry_base
        self.retry_max = retry_max
        self._lock = threading.Lock()
        self._records: dict[str, FeedRecord] = self._load()
        self._pending: dict[str, tuple[str | None, str | None]] = {}

    def _load(self) -> dict[str, FeedRecord]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {url: FeedRecord(**rec) for url, rec in raw.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError) as exc:
            log.warning("feed state %s unreadable (%s); starting afresh", self.path, exc)
            return {}

    def record(self, url: str) -> FeedRecord:
        with self._lock:
            return FeedRecord(**asdict(self._records.get(url, FeedRecord())))

    def validators(self, url: str) -> tuple[str | None, str | None]:
        rec = self.record(url)
        return rec.etag, rec.last_modified

    def due(self, url: str, now: float | None = None) -> bool:
        return self.record(url).next_attempt <= (time.time() if now is None else now)

    def fetched(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """A successful fetch; its validators take effect at `commit`, after the writes."""
        with self._lock:
            self._pending[url] = (etag, last_modified)

    def failed(self, url: str, reason: str, now: float | None = None) -> float:
        """Count a failure; returns the seconds until the URL is tried again."""
        now = time.time() if now is None else now
        with self._lock:
            self._pending.pop(url, None)
            rec = self._records.setdefault(url, FeedRecord())
            rec.failures += 1
            delay = min(self.retry_base * 2 ** (rec.failures - 1), self.retry_max)
            rec.next_attempt = now + delay
            rec.last_error = reason
        return delay

    def commit(self) -> None:
        """The run's articles are stored: remember validators, clear failures, save."""
        with self._lock:
            for url, (etag, last_modified) in self._pending.items():
                rec = self._records.setdefault(url, FeedRecord())
                rec.etag, rec.last_modified = etag, last_modified
                rec.failures, rec.next_attempt, rec.last_error = 0, 0.0, ""
            self._pending.clear()
            data = {url: asdict(rec) for url, rec in self._records.items()}
        self._save(data)

    def _save(self, data: dict[str, dict[str, object]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".feedstate-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1, sort_keys=True)
        os.replace(tmp, self.path)  # atomic: a crash leaves the old file or the new one
