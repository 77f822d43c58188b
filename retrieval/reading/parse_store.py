"""Sentence parses kept beside the store, so a question reads its sentences without parsing them.

Parsing the sentences read is most of an answer's time on two cores, and a sentence's parse
never changes: ingest parses each new passage's sentences once (`prefill`) and the reader looks
them up by their text, parsing (and keeping) only what it has not seen. The file is a cache:
deleting it costs speed, never an answer, and a different parser version starts it afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from retrieval.reading.candidates import Parsed, parse_sentences
from retrieval.reading.nlp import MODEL
from retrieval.reading.passages import Passage
from retrieval.reading.sentences import split
from retrieval.settings import Settings

log = logging.getLogger(__name__)

# What a stored parse was made by: the parse's shape (Parsed and the spans kept) and the model.
# Changing either makes stored parses stale, so the version is part of the file's identity.
FORMAT = "parsed-v4"
FILE = "sentence-parses.sqlite3"  # in the store's directory, beside the lexical index
MEMORY = 4096  # parses kept in memory besides the file (and the only copy with no file)


def _key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _encode(parsed: Parsed) -> str:
    return json.dumps([parsed.words, parsed.spans], ensure_ascii=False, separators=(",", ":"))


def _decode(raw: str) -> Parsed:
    words, spans = json.loads(raw)
    return Parsed(tuple(words), tuple(tuple(span) for span in spans))


class ParseStore:
    """Parses by sentence text: in memory, and in a SQLite file when given one."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._memory: OrderedDict[str, Parsed] = OrderedDict()
        self._db: sqlite3.Connection | None = None

    def _connection(self, create: bool) -> sqlite3.Connection | None:
        """The file, opened on first use: a question over an empty store, or a read-only
        command, leaves nothing behind. Called with the lock held."""
        if self._db is not None or self.path is None or not (create or self.path.exists()):
            return self._db
        try:
            self._db = self._open(self.path)
        except (OSError, sqlite3.Error) as exc:  # unwritable or not a database: memory only
            log.warning("sentence parses not kept in %s: %s", self.path, exc)
            self.path = None
        return self._db

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, check_same_thread=False)
        for table in (
            "meta (name TEXT PRIMARY KEY, value TEXT)",
            "parses (key TEXT PRIMARY KEY, parsed TEXT)",
        ):
            db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
        stamp = f"{FORMAT} {MODEL}"
        row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        if row is None or row[0] != stamp:
            db.execute("DELETE FROM parses")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (stamp,))
        db.commit()
        return db

    def get(self, texts: Iterable[str]) -> dict[str, Parsed]:
        """The parses held for these texts (those not held are left out)."""
        found: dict[str, Parsed] = {}
        wanted: dict[str, str] = {}
        with self._lock:
            for text in texts:
                if text in self._memory:
                    self._memory.move_to_end(text)
                    found[text] = self._memory[text]
                else:
                    wanted[_key(text)] = text
            if wanted and self._connection(create=False) is not None:
                for key, raw in self._rows(list(wanted)):
                    found[wanted[key]] = _decode(raw)
        return found

    def _rows(self, keys: list[str]) -> list[tuple[str, str]]:
        assert self._db is not None
        rows: list[tuple[str, str]] = []
        try:
            for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows += self._db.execute(
                    f"SELECT key, parsed FROM parses WHERE key IN ({marks})", chunk
                ).fetchall()
        except sqlite3.OperationalError as exc:  # locked by a long write elsewhere: parse
            log.warning("sentence parses unreadable from %s, parsing anew: %s", self.path, exc)
        return rows

    def put(self, parses: dict[str, Parsed]) -> None:
        if not parses:
            return
        with self._lock:
            for text, parsed in parses.items():
                self._memory[text] = parsed
                self._memory.move_to_end(text)
            while len(self._memory) > MEMORY:
                self._memory.popitem(last=False)
            if self._connection(create=True) is None:
                return
            assert self._db is not None
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO parses VALUES (?, ?)",
                    [(_key(t), _encode(p)) for t, p in parses.items()],
                )
                self._db.commit()
            except sqlite3.OperationalError as exc:  # a cache: kept in memory, not on disk
                self._db.rollback()
                log.warning("sentence parses not kept in %s: %s", self.path, exc)

    def parsed(self, texts: list[str]) -> list[Parsed]:
        """The parse of each text: looked up, and parsed (and kept) where not held."""
        known = self.get(texts)
        known.update(self._parse_missing(texts, known))
        return [known[t] for t in texts]

    def prefill(self, passages: list[Passage]) -> int:
        """Parse the sentences a question could read from these passages (as the reader
        splits them, titles included); returns how many were new."""
        texts = [s.text for s in split(passages, 0)]
        return len(self._parse_missing(texts, self.get(texts)))

    def _parse_missing(self, texts: list[str], known: dict[str, Parsed]) -> dict[str, Parsed]:
        """Parse and keep the texts not in `known`; returns their parses."""
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        fresh = dict(zip(missing, parse_sentences(missing), strict=True)) if missing else {}
        self.put(fresh)
        return fresh

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


def parse_store_for(settings: Settings) -> ParseStore:
    """The store's parses: a file beside an embedded store; memory only for a server's."""
    return ParseStore(None if settings.server_mode else settings.data_dir / FILE)
