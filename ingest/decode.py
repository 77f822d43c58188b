"""Bytes to text: gzip, byte-order marks, legacy encodings, and refusing binary data.

Real inputs arrive gzip-compressed, in Latin-1 or windows-1251, or are not text at all; each
case either decodes faithfully or fails with a reason a user can act on.
"""

from __future__ import annotations

import gzip
import zlib

from charset_normalizer import from_bytes

from ingest.errors import SourceError

_GZIP_MAGIC = b"\x1f\x8b"
# Bytes that never occur in text files; a few of them mean the input is binary.
_CONTROL = bytes(range(0, 9)) + bytes(range(14, 32))


def maybe_gunzip(data: bytes, source: str) -> bytes:
    if not data.startswith(_GZIP_MAGIC):
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise SourceError(source, f"truncated or corrupt gzip data ({exc})") from exc


def decode_text(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode bytes that should be text, or raise SourceError saying why they are not."""
    data = maybe_gunzip(data, source)
    if not data.strip():
        raise SourceError(source, "empty input")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(data, codec, source)
    sample = data[:65536]
    if b"\x00" in sample or sum(sample.count(bytes([c])) for c in _CONTROL) > len(sample) // 100:
        raise SourceError(source, "binary data, not a text document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise SourceError(source, "not UTF-8, and no other text encoding fits it")
    return str(best)


def _strict(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(source, f"invalid {codec} text at byte {exc.start}") from exc
