"""Sentence parses kept beside the store, so a question reads its sentences without parsing them.

Parsing the sentences read is most of an answer's time on two cores, and a sentence's parse
never changes: ingest parses each new passage's sentences once (`prefill`) and the reader looks
them up by their text, parsing (and keeping) only what it has not seen.
"""

from __future__ import annotations

import json
from pathlib import Path

from retrieval.reading.candidates import Parsed, parse_sentences
from retrieval.reading.nlp import MODEL
from retrieval.reading.passages import Passage
from retrieval.reading.sentences import split
from retrieval.reading.text_cache import TextCache
from retrieval.settings import Settings

# What a stored parse was made by: the parse's shape (Parsed and the spans kept) and the model.
# Changing either makes stored parses stale, so the version is part of the file's identity.
FORMAT = "parsed-v4"
FILE = "sentence-parses.sqlite3"  # in the store's directory, beside the lexical index


def _encode(parsed: Parsed) -> str:
    return json.dumps([parsed.words, parsed.spans], ensure_ascii=False, separators=(",", ":"))


def _decode(raw: object) -> Parsed:
    words, spans = json.loads(str(raw))
    return Parsed(tuple(words), tuple(tuple(span) for span in spans))


class ParseStore(TextCache[Parsed]):
    """Parses by sentence text: in memory, and in a SQLite file when given one."""

    what = "parses"

    def __init__(self, path: Path | None) -> None:
        super().__init__(
            path,
            table="parses",
            column="parsed",
            stamp=f"{FORMAT} {MODEL}",
            encode=_encode,
            decode=_decode,
        )

    def parsed(self, texts: list[str]) -> list[Parsed]:
        """The parse of each text: looked up, and parsed (and kept) where not held."""
        return self.values(texts, parse_sentences)

    def prefill(self, passages: list[Passage]) -> int:
        """Parse the sentences a question could read from these passages (as the reader
        splits them, titles included); returns how many were new."""
        texts = [s.text for s in split(passages, 0)]
        return len(self.fill(texts, parse_sentences))


def parse_store_for(settings: Settings) -> ParseStore:
    """The store's parses: a file beside an embedded store; memory only for a server's."""
    return ParseStore(None if settings.server_mode else settings.data_dir / FILE)
