"""The one error type ingest reports: a source and a reason, printed on one line."""

from __future__ import annotations


class SourceError(Exception):
    """An input that cannot be ingested; the run reports it and goes on with the rest."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = " ".join(reason.split())  # keep it on one line

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
