"""The scale benchmark's tables: each backend's figures beside the baseline backend's from
the same run (`benchmarks.scale`)."""

from __future__ import annotations

from benchmarks.common import table


def _beside(value: float, base: float | None, digits: int) -> str:
    """A figure with its ratio to the baseline's (none on the baseline's own row)."""
    text = f"{value:,.{digits}f}"
    return text if base is None else f"{text} ({value / base:.2f}x)"


def _against(rows: list[dict], baseline: str, setup: list[str], figures: list[str]) -> list:
    """Table rows: each backend's figures beside the baseline's for the same setup."""
    base = {tuple(r[k] for k in setup): r for r in rows if r["backend"] == baseline}
    cells = []
    for r in rows:
        b = {} if r["backend"] == baseline else base.get(tuple(r[k] for k in setup), {})
        digits = [2 if f == "answers_per_s" else 0 for f in figures]
        cells.append(
            [r["backend"], *(f"{r[k]:,}" if isinstance(r[k], int) else r[k] for k in setup)]
            + [_beside(r[f], b.get(f), d) for f, d in zip(figures, digits, strict=True)]
        )
    return cells


def report(results: list[dict], baseline: str) -> None:
    for r in results:
        if r["phase"] == "ingest":
            print(
                f"\nIngest (BBC into a store of {r['store_before']:,} passages): "
                f"{r['passages']:,} passages, pipeline {r['pipeline_rate']:.1f}/s vs raw encode "
                f"{r['raw_rate']:.1f}/s = ratio {r['pipeline_rate'] / r['raw_rate']:.3f}; "
                f"peak RSS {r['peak_rss_mb']:.0f} MB"
            )
    _print(
        [r for r in results if r["phase"] == "query"],
        f"Query latency (ms; ratios against {baseline} in this run)",
        baseline,
        ["mode", "passages"],
        {"search_p50": "retrieval p50", "search_p95": "retrieval p95"}
        | {"ask_p50": "answer p50", "ask_p95": "answer p95"},
    )
    bot = [r for r in results if r["phase"] == "bot"]
    _print(
        bot,
        f"Bot under concurrent /ask (ratios against {baseline} in this run)",
        baseline,
        ["passages", "questions"],
        {"answers_per_s": "answers/s", "max_lag_ms": "worst loop lag ms"}
        | {"peak_rss_mb": "peak RSS MB", "store_peak_rss_mb": "store process peak RSS MB"},
    )
    if bot:
        print("torch imported: " + ", ".join(f"{r['backend']} {r['torch_loaded']}" for r in bot))


def _print(rows: list[dict], title: str, baseline: str, keys: list[str], figures: dict) -> None:
    """One table of a phase's figures, each beside the baseline backend's."""
    if rows:
        print(f"\n{title}")
        cells = _against(rows, baseline, keys, list(figures))
        print(table(["backend", *keys, *figures.values()], cells))
