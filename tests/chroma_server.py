"""A real Chroma server for tests: `chroma run` (shipped by the chromadb package) on a free
loopback port, over a temporary folder, stopped (and restarted) by its process id."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def _chroma_command() -> str:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else (shutil.which("chroma") or "chroma")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ChromaServer:
    path: Path
    port: int
    log: Path
    proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 60) -> None:
        with self.log.open("ab") as log:  # the server writes to its own copy of the file
            self.proc = subprocess.Popen(
                [_chroma_command(), "run", "--host", "127.0.0.1", "--port", str(self.port)]
                + ["--path", str(self.path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma run exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(
                    f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1
                ).is_success:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"chroma run did not answer within {timeout} s")

    def stop(self) -> None:
        """Stop the server by its process id (SIGTERM, then SIGKILL)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(self.pid, signal.SIGKILL)
            self.proc.wait(timeout=20)


@contextmanager
def chroma_server(path: Path) -> Iterator[ChromaServer]:
    path.mkdir(parents=True, exist_ok=True)
    server = ChromaServer(path=path / "data", port=free_port(), log=path / "chroma.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
