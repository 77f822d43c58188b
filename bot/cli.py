"""`news-bot`: placeholder until the Discord bot lands (issue #4)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("news-bot: the Discord bot is not built yet (issue #4); use news-ask meanwhile",
          file=sys.stderr)
    return 2
