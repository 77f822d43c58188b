"""The ingest progress bar: articles as they are stored, with a rate and the time left.

Reading and splitting run ahead of embedding, so a bar over sources read reaches 100% long
before anything is stored. This bar advances only when an article is stored (or found
unchanged, or refused), and shows the passages written. Its total is the number of articles
the inputs hold: exact once every source has been read, estimated before that from the
articles of the sources read so far (so the time left is shown from early on).
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from tqdm import tqdm


class IngestProgress:
    """Thread-safe: articles are stored by the writer thread, counted by the main one."""

    def __init__(self, sources: int, enabled: bool, file: TextIO | None = None) -> None:
        out = file or sys.stderr
        terminal = out.isatty()
        self._sources = sources
        self._read = 0
        self._passages = 0
        self._lock = threading.Lock()
        self._bar = tqdm(
            total=None,
            unit="article",
            desc="ingest",
            file=out,
            disable=not enabled,
            # In a terminal the summary line replaces the bar; in a log the last state stays,
            # and is written less often.
            leave=not terminal,
            mininterval=0.2 if terminal else 2.0,
            dynamic_ncols=terminal,
            postfix={"passages": 0, "sources": f"0/{sources}"},
        )

    def source_read(self, articles_so_far: int) -> None:
        """One more source read; `articles_so_far` is what all read sources hold."""
        with self._lock:
            self._read += 1
            if self._read >= self._sources:
                self._bar.total = articles_so_far
            elif articles_so_far:
                estimate = round(articles_so_far * self._sources / self._read)
                self._bar.total = max(estimate, self._bar.n)
            self._show()

    def stored(self, articles: int, passages: int) -> None:
        """Articles written to the store, with their passages."""
        with self._lock:
            self._passages += passages
            self._show()  # before the count moves, so no state shows articles without passages
            self._bar.update(articles)

    def skipped(self, articles: int) -> None:
        """Articles done without writing: already stored unchanged, or refused."""
        if articles:
            with self._lock:
                self._bar.update(articles)

    def close(self) -> None:
        with self._lock:
            self._bar.close()

    def _show(self) -> None:
        self._bar.set_postfix(
            passages=self._passages, sources=f"{self._read}/{self._sources}", refresh=False
        )
