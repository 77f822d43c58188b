"""The bot's embedded Chroma store, opened in a child process and reached through a pipe.

Why a process: the embedded store's bindings keep the interpreter lock for the whole of each
call, the waits for the disk included. A write is one SQLite commit with its disk syncs:
25 to 35 ms on the development machine for under 1 ms of CPU, over 100 ms when the disk is
busy, and a poll writes several per new article. The bot's event loop needs that lock for
every step, so each write stalled it as long. In the child those waits hold the child's
lock; the bot's calling thread waits on the pipe, which releases the bot's. (A Chroma server,
CHROMA_HOST, is reached over HTTP and needs none of this.)

The child is the only opener of the store's folder while the bot runs, as an embedded store
requires. It runs `python -m bot.store_process` (importing Chroma and the store, not the
bot) in a session of its own and ignores SIGTERM, so neither a Ctrl-C in the terminal nor a
service stop cuts a write short: it finishes the call in hand and exits when the bot closes
the pipe, or dies, since its end then reads end-of-file.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from retrieval.search.store import PassageStore, StoreError, open_client, store_location
from retrieval.settings import Settings

log = logging.getLogger(__name__)

# What PassageStore and the engine call on a collection; nothing else is carried.
COLLECTION_CALLS = frozenset(
    {"add", "count", "delete", "get", "modify", "query", "update", "upsert"}
)
CLIENT_CALLS = frozenset({"get_max_batch_size", "heartbeat"})
STOP_SECONDS = 60.0  # a write in hand finishes first; a hung store must not hang the exit


class StoreProcessError(ConnectionError):
    """The store's process has stopped (or never started), so the store cannot be reached.

    A ConnectionError, so the engine and ingest treat it as any unreachable store."""


def open_bot_store(settings: Settings) -> PassageStore:
    """The store the bot answers from and ingests into: a Chroma server's as ever, an
    embedded one through its own process (see the module's doc)."""
    if settings.server_mode:
        return PassageStore(settings)
    return PassageStore(settings, client=ProcessClient(settings))


def close_store(store: PassageStore) -> None:
    """Stop the store's process, if it has one; a no-op for any other store."""
    client = getattr(store, "client", None)
    if isinstance(client, ProcessClient):
        client.close()


class ProcessClient:
    """Stands in for a `chromadb.PersistentClient`: the calls PassageStore makes, carried to
    the child and answered from there. One call at a time, in the order made: the store's
    bindings took one at a time already (they held the interpreter lock throughout).

    A child that died is started again at the next call, its collections opened again, so
    the bot outlives a crash of the store's bindings; the call that met the crash fails as
    a store failure would, and the store's write order leaves nothing half-written.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._opened: dict[str, dict[str, Any]] = {}  # collection -> its options, to reopen
        self._closed = False
        self._start()
        atexit.register(self.close)

    @property
    def pid(self) -> int:
        return self._process.pid

    def get_or_create_collection(self, name: str, **kwargs: Any) -> RemoteCollection:
        self._call(None, "get_or_create_collection", (name,), kwargs)
        self._opened[name] = kwargs
        return RemoteCollection(self, name)

    def get_max_batch_size(self) -> int:
        return int(self._call(None, "get_max_batch_size", (), {}))

    def heartbeat(self) -> int:
        return int(self._call(None, "heartbeat", (), {}))

    def _start(self) -> None:
        ours, theirs = socket.socketpair()
        with theirs:  # closed here once the child has it, so its death reads as end-of-file
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bot.store_process", str(theirs.fileno())],
                pass_fds=[theirs.fileno()],
                start_new_session=True,
                env=_child_environment(),
            )
        self._conn = Connection(ours.detach())
        try:
            self._exchange(self.settings)  # the child says whether it could open the store
            for name, kwargs in self._opened.items():
                self._exchange((None, "get_or_create_collection", (name,), kwargs))
        except BaseException:
            self._stop()
            raise

    def _call(self, collection: str | None, method: str, args: tuple, kwargs: dict) -> Any:
        with self._lock:
            if self._closed:
                raise StoreProcessError(f"the store at {store_location(self.settings)} was closed")
            if self._conn.closed or self._process.poll() is not None:
                log.warning("%s; starting it again", self._gone())
                self._stop()
                self._start()
            return self._exchange((collection, method, args, kwargs))

    def _exchange(self, request: object) -> Any:
        """Send one request and read its answer, raising the child's error as its own."""
        try:
            self._conn.send(request)
            ok, value = self._conn.recv()
        except (EOFError, OSError, ValueError) as exc:  # the child is gone, or we closed
            raise StoreProcessError(self._gone()) from exc
        except BaseException:
            self._conn.close()  # an answer left unread would answer the next call
            raise
        if ok:
            return value
        raise value

    def _gone(self) -> str:
        code = self._process.poll()
        how = f"exit status {code}" if code is not None else "no answer"
        return f"the process holding {store_location(self.settings)} has stopped ({how})"

    def close(self) -> None:
        """Ask the child to exit once its call in hand is done, and wait for it."""
        atexit.unregister(self.close)
        with self._lock:
            self._closed = True
            self._stop()

    def _stop(self) -> None:
        if not self._conn.closed:
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._conn.close()
        try:
            self._process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            log.warning("the store's process did not stop within %d s; killing it", STOP_SECONDS)
            self._process.kill()
            self._process.wait(STOP_SECONDS)


class RemoteCollection:
    """One collection of the child's client, by name."""

    def __init__(self, client: ProcessClient, name: str) -> None:
        self._client = client
        self.name = name

    @property
    def metadata(self) -> dict[str, Any] | None:
        """Read from the child each time: `modify` changes it there."""
        return self._client._call(self.name, "metadata", (), {})

    def __getattr__(self, method: str) -> Any:
        if method not in COLLECTION_CALLS:
            raise AttributeError(method)

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._client._call(self.name, method, args, kwargs)

        call.__name__ = method
        return call


def _child_environment() -> dict[str, str]:
    """The bot's environment, with the folder holding this package first on the path, so
    `-m bot.store_process` finds the same code however the bot was started."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{path}" if path else root}


# -- the child -----------------------------------------------------------------------------
def serve(conn: Connection) -> None:
    """The child's whole life: open the store the bot's settings name, then answer calls
    until told to stop or the bot's end of the pipe closes."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        settings = conn.recv()
        client = open_client(settings)
    except BaseException as exc:  # noqa: BLE001 - carried to the bot, which raises it
        _reply(conn, False, exc)
        return
    _reply(conn, True, None)
    collections: dict[str, Any] = {}
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the bot is gone
        if request is None:
            return
        try:
            result = _answer(client, collections, *request)
        except Exception as exc:  # noqa: BLE001 - carried to the caller, which raises it
            _reply(conn, False, exc)
        else:
            _reply(conn, True, result)


def _answer(
    client: Any, collections: dict[str, Any], name: str | None, method: str, args: tuple, kw: dict
) -> Any:
    if name is None:
        if method == "get_or_create_collection":
            collections[args[0]] = client.get_or_create_collection(*args, **kw)
            return None
        if method not in CLIENT_CALLS:
            raise AttributeError(f"the store's process does not answer {method}")
        return getattr(client, method)(*args, **kw)
    collection = collections[name]
    if method == "metadata":
        return collection.metadata
    if method not in COLLECTION_CALLS:
        raise AttributeError(f"the store's process does not answer {method}")
    return getattr(collection, method)(*args, **kw)


def _reply(conn: Connection, ok: bool, value: Any) -> None:
    """Send an answer; an error that cannot cross the pipe goes as a StoreError naming it."""
    if not ok:
        try:
            pickle.loads(pickle.dumps(value))
        except Exception:  # noqa: BLE001 - any unpicklable error is carried by its text
            value = StoreError(f"{type(value).__name__}: {value}")
    with contextlib.suppress(OSError, ValueError):  # the bot is gone: the next recv ends it
        conn.send((ok, value))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1])))
