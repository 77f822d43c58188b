"""The reader's input: retrieved passages in rank order (a sentence cites its passage by that
rank), with what the reader needs of each.

Both the engine (from its search hits) and the training script (from each question's own
search results) build these, so the learned models see the same thing in both places.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    text: str
    title: str
    article: str  # article identity: the title is read once per article
    published_ts: int = 0  # unix seconds, 0 when unknown
    # Who the passage says spoke, and how ("the Cuban government", "confirmed"): ingest's
    # attributions.
    speakers: tuple[tuple[str, str], ...] = ()
