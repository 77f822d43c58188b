"""The threads of an ingest run: the parser's hand-over and the background writer.

Parsing, embedding and writing overlap (see ingest.pipeline); these keep each hand-over
bounded, so memory stays flat, and make sure a failure or a stop in one thread reaches the
main thread instead of leaving it waiting.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

import numpy as np

Batch = TypeVar("Batch")
DONE = object()  # the last message of the parser thread
ABORT_WAIT_SECONDS = 30.0


def forward(
    produced: Iterator[object], messages: queue.Queue[object], stop: threading.Event
) -> None:
    """Hand the parser thread's messages to the main thread until told to stop; an error
    is handed over too (the main thread re-raises it), and DONE ends the stream."""

    def send(message: object) -> None:
        while not stop.is_set():
            try:
                messages.put(message, timeout=0.2)
                return
            except queue.Full:
                continue

    try:
        for message in produced:
            send(message)
            if stop.is_set():
                return
    except BaseException as exc:  # handed to the main thread, which re-raises it
        send(exc)
    send(DONE)


class BackgroundWriter(Generic[Batch]):
    """Writes embedded batches one at a time, in order, in its own thread.

    At most one batch waits while another is written, so memory stays bounded; a write
    error is re-raised in the caller at its next submit or at close.
    """

    def __init__(self, write: Callable[[list[Batch], np.ndarray], None]) -> None:
        self._write = write
        self._queue: queue.Queue[tuple[list[Batch], np.ndarray] | None] = queue.Queue(1)
        self._error: BaseException | None = None
        self._abort = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ingest-write", daemon=True)
        self._thread.start()

    def submit(self, pending: list[Batch], vectors: np.ndarray) -> None:
        self._raise()
        self._queue.put((list(pending), vectors))

    def close(self, abort: bool = False) -> None:
        """Wait for the writes; when aborting, only briefly for the one in flight (a store
        that has stopped answering, e.g. on a full disk, must not hang the caller)."""
        if abort:
            self._abort.set()
            with contextlib.suppress(queue.Full):
                self._queue.put(None, timeout=ABORT_WAIT_SECONDS)
            self._thread.join(ABORT_WAIT_SECONDS)
            return
        self._queue.put(None)
        self._thread.join()
        self._raise()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None or self._abort.is_set():
                continue  # drain without writing
            try:
                self._write(*item)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error
