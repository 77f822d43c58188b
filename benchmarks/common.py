"""Helpers shared by the benchmark scripts: locating ../shared/data and printing tables."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("NEWSBOT_SHARED_DATA", REPO.parent / "shared" / "data"))


def shared(path: str) -> Path:
    target = SHARED_DATA / path
    if not target.exists():
        sys.exit(f"evaluation data missing: {target} (expected ../shared/data beside the repo)")
    return target


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A Markdown table, so results paste straight into the README."""
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "| " + " | ".join("-" * w for w in widths) + " |"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in cells
    ]
    return "\n".join([line, rule, *body])
