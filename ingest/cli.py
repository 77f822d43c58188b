"""`news-ingest`: add articles to the store, or show what it holds (`--stats`)."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import time

from ingest import LoadOptions, SourceError, ingest_sources
from retrieval.search.embedder import Embedder, ModelLoadError
from retrieval.search.store import PassageStore, StoreError
from retrieval.settings import Settings, SettingsError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="news-ingest",
        description="Ingest news articles (files, folders, URLs, RSS/Atom feeds, JSON Lines) "
        "into the passage store.",
    )
    parser.add_argument("inputs", nargs="*", help="files, folders (recursive) and http(s) URLs")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="no progress bar, even in a terminal"
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar (articles and passages stored, rate, time left) also when "
        "stderr is not a terminal, e.g. in a log; in a terminal it is shown anyway",
    )
    parser.add_argument("--stats", action="store_true", help="show what the store holds")
    parser.add_argument(
        "--reembed",
        action="store_true",
        help="embed every stored passage again with the configured embedder (after changing "
        "EMBEDDING_MODEL or EMBEDDER_BACKEND); an interrupted run resumes where it stopped",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="log each stored article")
    parser.add_argument(
        "--fetch-links",
        action="store_true",
        help="for feed entries that carry only a summary, download the linked page",
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="poll the inputs (default: NEWS_FEEDS) every FEED_POLL_MINUTES until stopped, "
        "with conditional requests and backoff for failing feeds",
    )
    parser.add_argument(
        "--interval",
        type=_minutes,
        help="minutes between polls with --watch (default: setting)",
    )
    return parser


def _minutes(text: str) -> float:
    value = float(text)
    if not value > 0:  # also NaN
        raise argparse.ArgumentTypeError(f"must be more than 0 minutes, not {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # A kill (SIGTERM) stops like Ctrl-C: the article being written is redone next run.
    signal.signal(signal.SIGTERM, _interrupt)
    if not (args.inputs or args.stats or args.watch or args.reembed):
        build_parser().print_usage(sys.stderr)
        print("news-ingest: error: give files, folders or URLs, or --stats", file=sys.stderr)
        return 2
    try:
        settings = Settings.load()
        if args.stats and not args.watch:
            # Only reads: a store that does not exist yet is shown empty, not created.
            return _print_stats(PassageStore(settings, read_only=True), args.json)
        store = PassageStore(settings)
        if args.reembed:
            return _reembed(store, settings, args.json)
        if args.watch:
            return _watch(args, settings, store)
        embedder = Embedder(
            settings.embedding_model, settings.embed_batch_size, settings.embedder_backend
        )
        options = LoadOptions.from_settings(
            settings, fetch_linked_pages=args.fetch_links or settings.fetch_linked_pages
        )

        def report_error(err: SourceError) -> None:
            print(f"error: {err}", file=sys.stderr, flush=True)

        report = ingest_sources(
            args.inputs,
            store,
            embedder,
            settings,
            options,
            progress=not args.quiet and (args.progress or (sys.stderr.isatty() and not args.json)),
            on_error=report_error,
        )
    except (StoreError, ModelLoadError, SettingsError) as exc:
        print(f"news-ingest: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "news-ingest: interrupted; run it again to finish (nothing is half-stored)",
            file=sys.stderr,
        )
        return 130
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        print(
            f"{report.articles_added} added, {report.articles_updated} updated, "
            f"{report.articles_unchanged} unchanged, {len(report.failed)} failed; "
            f"{report.passages} passages written in {report.seconds:.1f} s"
            + (
                f" ({report.embeddings_reused} kept their stored embeddings)"
                if report.embeddings_reused
                else ""
            )
        )
    return 1 if report.failed else 0


def _watch(args: argparse.Namespace, settings: Settings, store: PassageStore) -> int:
    """Poll until stopped; each poll is an ordinary ingest run, so a kill loses nothing."""
    inputs = args.inputs or settings.feed_urls
    if not inputs:
        print("news-ingest: error: --watch needs inputs or NEWS_FEEDS", file=sys.stderr)
        return 2
    interval = 60 * (args.interval if args.interval is not None else settings.feed_poll_minutes)
    embedder = Embedder(
        settings.embedding_model, settings.embed_batch_size, settings.embedder_backend
    )
    options = LoadOptions.from_settings(
        settings, polling=True, fetch_linked_pages=args.fetch_links or settings.fetch_linked_pages
    )
    while True:
        report = ingest_sources(
            inputs,
            store,
            embedder,
            settings,
            options,
            on_error=lambda err: print(f"error: {err}", file=sys.stderr, flush=True),
        )
        line = (
            f"{time.strftime('%Y-%m-%d %H:%M:%S')} {report.articles_added} added, "
            f"{report.articles_updated} updated, {report.not_modified} not modified, "
            f"{len(report.failed)} failed, {len(report.backing_off)} backing off"
        )
        print(json.dumps(report.as_json()) if args.json else line, flush=True)
        time.sleep(interval)


def _reembed(store: PassageStore, settings: Settings, as_json: bool) -> int:
    """Re-embed the store page by page; Ctrl-C loses at most the page being written."""
    from retrieval.search.identity import reembed

    embedder = Embedder(
        settings.embedding_model, settings.embed_batch_size, settings.embedder_backend
    )
    report = reembed(store, embedder, settings)
    if as_json:
        print(json.dumps({"passages": report.passages, "reembedded": report.reembedded}))
    else:
        print(
            f"{report.reembedded} of {report.passages} passages embedded again "
            f"with {embedder.identity}"
        )
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _print_stats(store: PassageStore, as_json: bool) -> int:
    stats = store.stats()
    if as_json:
        print(
            json.dumps(
                {
                    "articles": stats.articles,
                    "passages": stats.passages,
                    "publishers": stats.publishers,
                    "earliest": stats.earliest,
                    "latest": stats.latest,
                },
                ensure_ascii=False,
            )
        )
        return 0
    print(f"articles:   {stats.articles}")
    print(f"passages:   {stats.passages}")
    print(f"date range: {stats.earliest or '?'} .. {stats.latest or '?'}")
    print(f"publishers: {len(stats.publishers)}")
    for name, count in list(stats.publishers.items())[:15]:
        print(f"  {count:6d}  {name}")
    return 0
