"""Values worked out once per sentence text, kept beside the store so questions need not redo them.

A sentence's parse, or its vector from one embedder, never changes, so both are kept by the
sentence's text: in memory, and in a SQLite file when the store lives on this machine. The file
is a cache: deleting it costs speed, never an answer, and a file stamped by another maker (a
parser version, an embedder) starts afresh.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
MEMORY = 4096  # values kept in memory besides the file (and the only copy with no file)


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


class TextCache(Generic[T]):
    """Values by sentence text, stored as `table (key, column)` under the stamp `stamp`."""

    what = "values"  # named in the one-line warnings

    def __init__(
        self,
        path: Path | None,
        *,
        table: str,
        column: str,
        stamp: str,
        encode: Callable[[T], object],
        decode: Callable[[object], T],
    ) -> None:
        self.path = path
        self._table, self._column, self._stamp = table, column, stamp
        self._encode, self._decode = encode, decode
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, T] = OrderedDict()
        self._db: sqlite3.Connection | None = None

    def _connection(self, create: bool) -> sqlite3.Connection | None:
        """The file, opened on first use: a question over an empty store, or a read-only
        command, leaves nothing behind. Called with the lock held."""
        if self._db is not None or self.path is None or not (create or self.path.exists()):
            return self._db
        try:
            self._db = self._open(self.path)
        except (OSError, sqlite3.Error) as exc:  # unwritable or not a database: memory only
            self._give_up_file(exc)
        return self._db

    def _give_up_file(self, exc: Exception) -> None:
        """Keep values in memory only from now on. Said at info level, as a failed write is:
        the cache costs speed, never an answer, and a full or read-only disk is reported by
        what needed it (ingest's one line)."""
        log.info("sentence %s not kept in %s: %s", self.what, self.path, exc)
        self.path = None

    def _open(self, path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False)
        for table in (
            "meta (name TEXT PRIMARY KEY, value TEXT)",
            f"{self._table} (key TEXT PRIMARY KEY, {self._column})",
        ):
            db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
        row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        if row is None or row[0] != self._stamp:
            db.execute(f"DELETE FROM {self._table}")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (self._stamp,))
        db.commit()
        return db

    def get(self, texts: Iterable[str]) -> dict[str, T]:
        """The values held for these texts (those not held are left out)."""
        found: dict[str, T] = {}
        wanted: dict[str, str] = {}
        with self._lock:
            for text in texts:
                if text in self._memory:
                    self._memory.move_to_end(text)
                    found[text] = self._memory[text]
                else:
                    wanted[text_key(text)] = text
            if wanted and self._connection(create=False) is not None:
                for key, raw in self._rows(list(wanted)):
                    found[wanted[key]] = self._decode(raw)
        return found

    def _rows(self, keys: list[str]) -> list[tuple[str, object]]:
        assert self._db is not None
        rows: list[tuple[str, object]] = []
        try:
            for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows += self._db.execute(
                    f"SELECT key, {self._column} FROM {self._table} WHERE key IN ({marks})",
                    chunk,
                ).fetchall()
        except sqlite3.OperationalError as exc:  # locked by a long write elsewhere: redo
            log.warning("sentence %s unreadable from %s: %s", self.what, self.path, exc)
        return rows

    def put(self, values: dict[str, T]) -> None:
        if not values:
            return
        with self._lock:
            for text, value in values.items():
                self._memory[text] = value
                self._memory.move_to_end(text)
            while len(self._memory) > MEMORY:
                self._memory.popitem(last=False)
            if self._connection(create=True) is None:
                return
            assert self._db is not None
            try:
                self._db.executemany(
                    f"INSERT OR REPLACE INTO {self._table} VALUES (?, ?)",
                    [(text_key(t), self._encode(v)) for t, v in values.items()],
                )
                self._db.commit()
            except sqlite3.OperationalError as exc:  # full or locked: kept in memory this time
                self._db.rollback()
                log.info("sentence %s not kept in %s: %s", self.what, self.path, exc)

    def fill(
        self, texts: list[str], make: Callable[[list[str]], list[T]], known: dict | None = None
    ) -> dict[str, T]:
        """Make and keep the values of the texts not in `known` (looked up when not given);
        returns the values made."""
        held = self.get(texts) if known is None else known
        wanted = list(dict.fromkeys(t for t in texts if t not in held))
        fresh = dict(zip(wanted, make(wanted), strict=True)) if wanted else {}
        self.put(fresh)
        return fresh

    def values(self, texts: list[str], make: Callable[[list[str]], list[T]]) -> list[T]:
        """The value of each text: looked up, and made (and kept) where not held."""
        known = self.get(texts)
        known.update(self.fill(texts, make, known))
        return [known[t] for t in texts]

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
