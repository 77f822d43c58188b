"""Article text to passages: whole sentences, bounded in model tokens, with a small overlap.

Sentence boundaries come from syntok (abbreviations, initials and quotes handled; about six
times faster than pysbd here, which matters because ingest must keep up with the encoder).
Sizes are measured with the embedding model's own tokenizer, so no passage is ever cut by the
model's `max_seq_length`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.text import Span, sentence_spans

__all__ = ["Chunker", "Span", "sentence_spans"]

TokenCounter = Callable[[list[str]], list[int]]
_SPECIAL_TOKENS = 2  # [CLS] and [SEP], counted once per embedded text


class Chunker:
    """Packs sentences greedily up to `target_tokens`, never past `max_tokens` with the title."""

    def __init__(
        self,
        count_tokens: TokenCounter,
        max_tokens: int,
        target_tokens: int = 160,
        overlap_sentences: int = 1,
    ) -> None:
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        self.target_tokens = min(target_tokens, max_tokens)
        self.overlap = overlap_sentences

    def run(self, text: str, prefix: str = "", sentences: list[Span] | None = None) -> list[Span]:
        """Passage spans over `text`; `prefix` (the title) is embedded with every passage."""
        sentences = sentence_spans(text) if sentences is None else sentences
        if not sentences:
            return []
        prefix_tokens = self.count_tokens([prefix])[0] if prefix else _SPECIAL_TOKENS
        hard = self.max_tokens - prefix_tokens  # room left for the passage's own tokens
        target = max(min(self.target_tokens - prefix_tokens, hard), 16)
        counts = [
            c - _SPECIAL_TOKENS
            for c in self.count_tokens([text[s.start : s.end] for s in sentences])
        ]
        units: list[tuple[Span, int]] = []
        for span, n in zip(sentences, counts, strict=True):
            units.extend(self._split_long(text, span, n, hard))
        return self._pack(units, target)

    def _pack(self, units: list[tuple[Span, int]], target: int) -> list[Span]:
        passages: list[Span] = []
        i = 0
        while i < len(units):
            j, total = i, units[i][1]
            while j + 1 < len(units) and total + units[j + 1][1] + 1 <= target:
                j += 1
                total += units[j][1] + 1  # +1: the space or newline joining two sentences
            passages.append(Span(units[i][0].start, units[j][0].end))
            if j + 1 >= len(units):
                break
            step = j - i + 1
            i = j + 1 - self.overlap if step > self.overlap else j + 1
        return passages

    def _split_long(self, text: str, span: Span, n: int, hard: int) -> list[tuple[Span, int]]:
        """A sentence longer than the model's window is cut at word boundaries, never lost."""
        if n <= hard:
            return [(span, n)]
        words = [
            (m.start() + span.start, m.end() + span.start)
            for m in re.finditer(r"\S+", text[span.start : span.end])
        ]
        pieces: list[tuple[Span, int]] = []
        lo = 0
        while lo < len(words):
            hi = min(len(words), lo + max(1, int(len(words) * hard / n * 0.9)))
            while True:
                piece = Span(words[lo][0], words[hi - 1][1])
                tokens = self.count_tokens([text[piece.start : piece.end]])[0] - _SPECIAL_TOKENS
                if tokens <= hard or hi - lo == 1:
                    break
                hi = lo + max(1, (hi - lo) * 3 // 4)
            pieces.append((piece, tokens))
            lo = hi
        return pieces
