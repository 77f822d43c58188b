"""`news-ask`: answer a question (or a file of questions) from the ingested news.

The engine and everything it loads (Chroma, the embedder, spaCy, LightGBM) are imported
only once the arguments are read, so `--help` and a mistyped option answer at once.

Run as a command, it loads with Python's cyclic garbage collector off and ends without
unwinding the interpreter (see `main`): a fresh `news-ask` is mostly imports and model
loads, which make millions of objects and no garbage cycles worth collecting.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from retrieval.answer import Answer
    from retrieval.engine import NewsEngine
    from retrieval.question.query import Query

# What --since, --until and --as-of accept, shown in --help and in a date's error.
DATE_FORMS = '2026-01-05, "Jan 5 2026", "5 January", yesterday, today, monday, "3 days ago"'


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="news-ask",
        description="Answer a question from the ingested news, with citations.",
        epilog=f"DATE is what people type: {DATE_FORMS} (a weekday or a date without a year "
        "is the latest one before today).",
    )
    parser.add_argument("question", nargs="?", help="the question (omit with --batch)")
    parser.add_argument("--k", type=_positive, default=10, help="articles to retrieve (default 10)")
    parser.add_argument("--since", metavar="DATE", help="only articles from this date")
    parser.add_argument("--until", metavar="DATE", help="only articles up to this date")
    parser.add_argument("--source", help="only this publisher (case-insensitive substring)")
    parser.add_argument("--speaker", help="only passages where this person is quoted")
    parser.add_argument("--as-of", metavar="DATE", help="answer as of this date (default: now)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--batch", metavar="FILE", help="one question per line (text or JSON object); '-' for stdin"
    )
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    """`news-ask ... | head` closes the pipe early: stop quietly, as other Unix tools do.

    Without `argv` this is the command itself (its console script, `python -m`): the
    collector stays off while the engine loads, since scanning the freshly imported modules
    and models again and again finds nothing to free, and the process ends as soon as the
    answer is out. With `argv` (tests, other Python code) it returns like any function.
    """
    command = argv is None
    if command:
        gc.disable()
    try:
        status = _main(argv)
    except BrokenPipeError:
        # Python would report the failed flush of stdout again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 141  # 128 + SIGPIPE, what a shell reports for such a pipeline member
    if command:
        _exit_now(status)
    return status


def _exit_now(status: int) -> NoReturn:
    """End the process without unwinding the interpreter: freeing Chroma's client,
    onnxruntime's session, spaCy's pipeline and some 1,600 modules one object at a time is
    work the operating system does at once, and answering leaves nothing to write (the
    store is only read; a rebuilt BM25 index is saved before the search that built it)."""
    logging.shutdown()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = status or 141
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status)


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if bool((args.question or "").strip()) == bool(args.batch):
        parser.error("give a question, or --batch FILE")
    if bad := _read_dates(args):
        print(f"news-ask: error: {bad}", file=sys.stderr)
        return 2
    if empty := _empty_range(args.since, args.until, flag="--"):
        parser.error(empty)
    if args.batch and args.batch != "-" and not os.path.isfile(args.batch):
        parser.error(f"--batch {args.batch}: no such file")
    from retrieval.search.lean import preload_reader_libraries, stand_in

    stand_in()  # before anything imports spaCy or Chroma
    from retrieval.engine import EmptyStoreError, NewsEngine
    from retrieval.search.embedder import ModelLoadError
    from retrieval.search.store import PassageStore, StoreError
    from retrieval.settings import Settings, SettingsError

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets DEBUG on import
    try:
        settings = Settings.load()
        preload_reader_libraries(settings)
        # Asking only reads: before the first ingest no store is created on the way.
        engine = NewsEngine(settings, store=PassageStore(settings, read_only=True))
        if args.batch:
            return _batch(engine, args)
        answer = engine.ask(_query_from_args(args.question, args))
    except (StoreError, ModelLoadError, EmptyStoreError, SettingsError) as exc:
        print(f"news-ask: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(answer.as_json(), ensure_ascii=False))
    else:
        print(render_text(answer))
    return 0


def read_date(text: str) -> datetime:
    """A date as people type it: ISO, "Jan 5 2026", "yesterday", "monday", "3 days ago".

    ISO is read exactly; the rest by dateparser, preferring the past (a weekday or a date
    without a year means the latest one). Raises ValueError naming the text.
    """
    text = text.strip()
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    import dateparser  # loaded only when a date is not ISO (its language data takes 0.1 s)

    got = dateparser.parse(
        text,
        languages=["en"],
        settings={"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False},
    )
    if got is None:
        raise ValueError(f"{text!r} is not a date I can read (try {DATE_FORMS})")
    return got


def _read_dates(args: argparse.Namespace) -> str:
    """Replace the typed --since/--until/--as-of by dates; why one cannot be read, or ""."""
    for name in ("since", "until", "as_of"):
        typed = getattr(args, name)
        if typed is None:
            continue
        try:
            when = read_date(typed)
        except ValueError as exc:
            return f"--{name.replace('_', '-')} {exc}"
        setattr(args, name, when if name == "as_of" else when.date())
    return ""


def _empty_range(since: date | None, until: date | None, flag: str = "") -> str:
    """Why no article can match the dates ("" when some can)."""
    if since and until and since > until:
        return f"{flag}since {since} is after {flag}until {until}: no date is both"
    return ""


def _query_from_args(question: str, args: argparse.Namespace, **over: Any) -> Query:
    from retrieval.question.query import Query

    return Query(
        question=question,
        k=args.k,
        since=over.get("since", args.since),
        until=over.get("until", args.until),
        source=over.get("source", args.source),
        speaker=args.speaker,
        as_of=over.get("as_of", args.as_of),
    )


def _batch(engine: NewsEngine, args: argparse.Namespace) -> int:
    """Answer each non-empty line, in order; a bad line is that line's error only.

    Plain output is one block per line, headed by the line's number and question, so
    answers can be matched to questions; --json is one object per line.
    """
    # Bytes, decoded line by line: one line that is not UTF-8 is that line's error only.
    stream = sys.stdin.buffer if args.batch == "-" else open(args.batch, "rb")  # noqa: SIM115
    status = 0
    with stream:
        for n, (lineno, line, utf8) in enumerate(_batch_lines(stream)):
            question, answer, error = _answer_line(engine, lineno, line, utf8, args)
            status = 1 if error else status
            if not gc.isenabled():  # the command loads without it (see main): loaded now
                gc.freeze()
                gc.enable()
            if args.json:
                out = answer.as_json() if answer else {"question": line, "error": error}
                print(json.dumps(out, ensure_ascii=False), flush=True)
            else:
                block = render_text(answer) if answer else f"error: {error}"
                print(("\n" if n else "") + f"[line {lineno}] {question}\n{block}", flush=True)
    return status


def _batch_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, whether it was UTF-8) of each non-empty line."""
    for lineno, raw in enumerate(stream, start=1):
        try:
            line, utf8 = raw.decode("utf-8"), True
        except UnicodeDecodeError:
            line, utf8 = raw.decode("utf-8", errors="replace"), False
        line = line.lstrip("\ufeff").strip()
        if line:
            yield lineno, line, utf8


def _answer_line(
    engine: NewsEngine, lineno: int, line: str, utf8: bool, args: argparse.Namespace
) -> tuple[str, Answer | None, str]:
    """(the question, its answer or None, the error naming the line or "")."""
    question = _question_of(line)
    try:
        if not utf8:
            raise ValueError("not UTF-8 text")
        return question, engine.ask(_parse_batch_line(line, args)), ""
    except (ValueError, TypeError) as exc:
        return question, None, f"line {lineno}: {exc}"


def _question_of(line: str) -> str:
    """The question a line asks, for its heading: a JSON line's 'question', else the line."""
    if line.startswith("{"):
        try:
            record = json.loads(line)
        except ValueError:
            return line
        if isinstance(record, dict) and isinstance(record.get("question"), str):
            return record["question"]
    return line


def _parse_batch_line(line: str, args: argparse.Namespace) -> Query:
    text = line.strip()
    if not text.startswith("{"):
        return _query_from_args(text, args)
    record = json.loads(text)
    if not isinstance(record, dict) or not isinstance(record.get("question"), str):
        raise ValueError("a JSON line needs a string 'question'")
    over: dict[str, Any] = {}
    for key in ("since", "until"):
        if record.get(key):
            over[key] = _record_date(record, key).date()
    if record.get("as_of"):
        over["as_of"] = _record_date(record, "as_of")
    if record.get("source"):
        over["source"] = record["source"]
    if empty := _empty_range(over.get("since", args.since), over.get("until", args.until)):
        raise ValueError(empty)
    return _query_from_args(record["question"], args, **over)


def _record_date(record: dict[str, Any], key: str) -> datetime:
    try:
        return read_date(str(record[key]))
    except ValueError as exc:
        raise ValueError(f"'{key}': {exc}") from exc


def render_text(answer: Answer) -> str:
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Sources:")
        for n, hit in enumerate(answer.citations, start=1):
            lines.append(f"  [{n}] {_source_line(hit)}")
    elif answer.retrieved:
        lines.append("Closest articles:")
        for hit in answer.retrieved[:3]:
            lines.append(f"  - {_source_line(hit)}")
    return "\n".join(lines).rstrip()


def _source_line(hit: Any) -> str:
    """Title, authors, publisher, date and link: what the JSON citation says."""
    bits = [hit.title]
    if hit.authors:
        bits.append("by " + _names(hit.authors))
    if hit.publisher:
        bits.append(hit.publisher)
    if hit.published:
        bits.append(hit.published)
    line = " — ".join(bits)
    return f"{line} <{hit.url}>" if hit.url else line


def _names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


if __name__ == "__main__":
    raise SystemExit(main())
