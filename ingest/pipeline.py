"""The ingest run: sources -> articles -> passages with attributions -> embeddings -> store.

Passages of several articles are embedded together (the encoder is fastest in full batches),
but each article is written whole, after all of its embeddings exist, so an interruption at
any point leaves every article either fully stored or absent from the registry.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from ingest.attribution import extract_attributions
from ingest.chunker import Chunker, sentence_spans
from ingest.errors import SourceError
from ingest.feedstate import FeedState, NotModified
from ingest.progress import IngestProgress
from ingest.reading_prep import ReadingPrep
from ingest.sources import LoadOptions, expand_inputs, load_source
from ingest.threads import ABORT_WAIT_SECONDS, DONE, BackgroundWriter, forward
from retrieval.reading.passages import Passage as ReadPassage
from retrieval.schema import Article, Passage, embedding_key
from retrieval.search.embedder import Embedder
from retrieval.search.store import PassageStore
from retrieval.settings import Settings

log = logging.getLogger(__name__)
Status = Literal["added", "updated"]


@dataclass
class IngestReport:
    articles_added: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    passages: int = 0
    # Passages of updated articles whose text was unchanged: their stored vectors were kept.
    embeddings_reused: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    not_modified: int = 0  # sources answered 304 to a conditional request
    backing_off: list[str] = field(default_factory=list)  # failing sources not tried this time
    seconds: float = 0.0
    added_titles: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data.pop("added_titles")
        data["seconds"] = round(self.seconds, 3)
        return data


@dataclass
class _Pending:
    article: Article
    status: Status
    passages: list[Passage]
    embed_texts: list[str]
    reused: dict[int, np.ndarray] = field(default_factory=dict)  # passage index -> vector


class Ingestor:
    """Turns articles into stored passages; reusable across runs (the model loads once)."""

    def __init__(
        self,
        store: PassageStore,
        embedder: Embedder,
        settings: Settings,
        flush_passages: int | None = None,
        lookup_batch: int = 16,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.flush_passages = flush_passages or settings.ingest_batch_passages
        self.lookup_batch = lookup_batch
        self._chunker: Chunker | None = None
        self.reading_prep = ReadingPrep(settings, embedder)

    @property
    def chunker(self) -> Chunker:
        if self._chunker is None:
            self._chunker = Chunker(
                self.embedder.count_tokens,
                max_tokens=self.embedder.max_tokens,
                target_tokens=self.settings.passage_tokens,
                overlap_sentences=self.settings.passage_overlap_sentences,
            )
        return self._chunker

    def run(
        self,
        inputs: Iterable[str],
        options: LoadOptions | None = None,
        progress: bool = False,
        on_error: Callable[[SourceError], None] | None = None,
    ) -> IngestReport:
        options = options or LoadOptions.from_settings(self.settings)
        started = time.perf_counter()
        report = IngestReport()
        sources = list(expand_inputs(list(inputs)))
        state = (
            FeedState(options.state_file, retry_base=options.retry_seconds)
            if options.state_file
            else None
        )
        messages: queue.Queue[object] = queue.Queue(maxsize=4)
        stop = threading.Event()
        # Reading, splitting and parsing run in a thread while the main thread embeds what
        # that thread handed over last: the encoder (torch or onnxruntime) releases the GIL,
        # so neither waits for the other, and embedding starts with the first articles
        # rather than once a whole write's worth is ready.
        producer = threading.Thread(
            target=forward,
            args=(self._produce(sources, options, state), messages, stop),
            name="ingest-prepare",
            daemon=True,
        )
        bar = IngestProgress(len(sources), enabled=progress)
        producer.start()
        # And writing runs in a third thread: Chroma indexes one batch while the next is
        # embedded (at 100k passages a write of 512 takes over a second).
        writer = BackgroundWriter(lambda batch, vectors: self._write(batch, vectors, report, bar))
        embedded = _WriteBuffer(writer, self.flush_passages)
        try:
            while (message := messages.get()) is not DONE:
                if isinstance(message, BaseException):
                    raise message
                self._handle(message, report, embedded, bar, on_error)  # type: ignore[arg-type]
            embedded.flush()
        except BaseException:
            writer.close(abort=True)  # the batch being written completes; queued ones don't
            raise
        else:
            writer.close()
        finally:
            stop.set()
            # Let the parser thread leave its current document before the caller (or the
            # interpreter, on SIGTERM) goes on: a daemon thread still inside a native
            # tokenizer while Python shuts down can crash the process (seen once in CI: exit
            # -11 instead of 130 after SIGTERM).
            producer.join(ABORT_WAIT_SECONDS)
            if not producer.is_alive():  # a producer still parsing keeps the file open
                self.reading_prep.close()
            bar.close()
            report.seconds = time.perf_counter() - started
        if state:
            state.commit()  # only now: everything fetched is stored
        return report

    def _handle(
        self,
        message: tuple[str, Any],
        report: IngestReport,
        embedded: _WriteBuffer,
        bar: IngestProgress,
        on_error: Callable[[SourceError], None] | None,
    ) -> None:
        """Act on one message of the parser thread (see _produce)."""
        kind, payload = message
        if kind in ("error", "refused"):
            report.failed.append({"source": payload.source, "error": payload.reason})
            if on_error:
                on_error(payload)
            if kind == "refused":
                bar.skipped(1)
        elif kind == "unchanged":
            report.articles_unchanged += payload
            bar.skipped(payload)
        elif kind == "not_modified":
            report.not_modified += 1
        elif kind == "backing_off":
            report.backing_off.append(payload)
        elif kind == "source":
            bar.source_read(payload)
        elif kind == "embed" and payload:
            embedded.add(payload, self._embed(payload))

    def _produce(
        self, sources: list[str | SourceError], options: LoadOptions, state: FeedState | None
    ) -> Iterator[tuple[str, Any]]:
        """Messages for the main thread: errors, counts, and the articles of each lookup
        batch that need storing, with their passages, ready to embed."""
        incoming: list[Article] = []
        seen_ids: set[str] = set()
        seen_hashes: set[str] = set()

        def prepare_incoming() -> Iterator[tuple[str, Any]]:
            ready, unchanged = self._prepare(incoming, seen_ids, seen_hashes)
            incoming.clear()
            yield "unchanged", unchanged
            for item in ready:
                if isinstance(item, SourceError):
                    yield "refused", item  # an article read but not stored
            pending = [item for item in ready if isinstance(item, _Pending)]
            self._parse_ahead(pending)
            yield "embed", pending

        loaded = 0  # articles read from the sources so far, for the progress estimate
        for source in sources:
            for kind, item in _read_source(source, options, state):
                if kind != "article":
                    yield kind, item
                    continue
                incoming.append(item)
                loaded += 1
                if len(incoming) >= self.lookup_batch:
                    yield from prepare_incoming()
            yield "source", loaded
        yield from prepare_incoming()

    def _prepare(
        self,
        articles: list[Article],
        seen_ids: set[str],
        seen_hashes: set[str],
    ) -> tuple[list[_Pending | SourceError], int]:
        """Passages for the articles that need writing; already-stored ones are counted.

        An article is already stored when its id holds the same text, or when the same text
        is stored under another URL (syndicated copies are kept once). Lookups are batched:
        one registry query per batch instead of two per article.
        """
        stored = self.store.stored_hashes([a.article_id for a in articles])
        twins = self.store.articles_with_content([a.content_hash for a in articles])
        out: list[_Pending | SourceError] = []
        unchanged = 0
        for article in articles:
            aid, digest = article.article_id, article.content_hash
            twin = twins.get(digest)
            repeated = aid in seen_ids or digest in seen_hashes
            # Seen even when already stored: a later record of this run with the same link
            # but another text must not replace it (the next run would swap them back).
            seen_ids.add(aid)
            seen_hashes.add(digest)
            if repeated or stored.get(aid) == digest or (twin is not None and twin != aid):
                unchanged += 1
                continue
            passages, texts = self.passages_of(article)
            if not passages:
                out.append(SourceError(article.source, "no sentences to index"))
                continue
            out.append(_Pending(article, "updated" if aid in stored else "added", passages, texts))
        self._reuse_vectors([p for p in out if isinstance(p, _Pending) and p.status == "updated"])
        return out, unchanged

    def _parse_ahead(self, pending: list[_Pending]) -> None:
        """Parse and embed the new passages' sentences once, so questions look them up; here,
        in the preparing thread, while the main thread embeds the passages: done after a
        write's worth of embeddings (a small ingest is one such batch), it would only start
        once embedding had finished."""
        self.reading_prep.prefill(
            [
                ReadPassage(p.text, item.article.title, item.article.article_id)
                for item in pending
                for p in item.passages
            ]
        )

    def _reuse_vectors(self, updated: list[_Pending]) -> None:
        """An updated article (a live page, a corrected story) mostly keeps its passages:
        take their stored vectors instead of embedding them again."""
        vectors = self.store.stored_vectors([p.article.article_id for p in updated])
        for item in updated:
            item.reused = {
                i: vectors[p.embedding_key]
                for i, p in enumerate(item.passages)
                if p.embedding_key in vectors
            }

    def passages_of(self, article: Article) -> tuple[list[Passage], list[str]]:
        """The article's passages with their attributions, and the texts to embed for them."""
        sentences = sentence_spans(article.text)
        prefix = article.title if self.settings.embed_title else ""
        spans = self.chunker.run(article.text, prefix=prefix, sentences=sentences)
        attributions = extract_attributions(article.text, sentences)
        passages: list[Passage] = []
        texts: list[str] = []
        for i, span in enumerate(spans):
            body = article.text[span.start : span.end]
            embedded = f"{prefix}\n{body}" if prefix else body
            texts.append(embedded)
            passages.append(
                Passage(
                    article_id=article.article_id,
                    index=i,
                    text=body,
                    start=span.start,
                    end=span.end,
                    attributions=tuple(a for a in attributions if span.start <= a.start < span.end),
                    embedding_key=embedding_key(self.embedder.label, embedded),
                )
            )
        return passages, texts

    def _embed(self, pending: list[_Pending]) -> np.ndarray:
        """Embed every pending passage without a reusable vector, all at once (the encoder
        is fastest in full batches)."""
        todo = [t for p in pending for i, t in enumerate(p.embed_texts) if i not in p.reused]
        fresh = iter(self.embedder.encode(todo) if todo else [])
        return np.stack(
            [
                p.reused[i] if i in p.reused else next(fresh)
                for p in pending
                for i in range(len(p.embed_texts))
            ]
        )

    def _write(
        self,
        pending: list[_Pending],
        vectors: np.ndarray,
        report: IngestReport,
        bar: IngestProgress,
    ) -> None:
        """Write the articles of one embedded batch, then count them as stored."""
        batch = []
        offset = 0
        for item in pending:
            n = len(item.passages)
            batch.append((item.article, item.passages, vectors[offset : offset + n]))
            offset += n
        self.store.write_articles(batch)
        for item in pending:
            report.passages += len(item.passages)
            report.embeddings_reused += len(item.reused)
            log.info("stored %s (%d passages)", item.article.source, len(item.passages))
            if item.status == "added":
                report.articles_added += 1
                report.added_titles.append(item.article.title)
            else:
                report.articles_updated += 1
        bar.stored(len(pending), sum(len(item.passages) for item in pending))


class _WriteBuffer:
    """Embedded articles, handed to the writer a write's worth at a time (Chroma indexes
    large writes far faster than many small ones); the rest by `flush` at the end."""

    def __init__(self, writer: BackgroundWriter, flush_passages: int) -> None:
        self.writer = writer
        self.flush_passages = flush_passages
        self.pending: list[_Pending] = []
        self.vectors: list[np.ndarray] = []
        self.passages = 0

    def add(self, pending: list[_Pending], vectors: np.ndarray) -> None:
        self.pending.extend(pending)
        self.vectors.append(vectors)
        self.passages += sum(len(item.passages) for item in pending)
        if self.passages >= self.flush_passages:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.writer.submit(self.pending, np.concatenate(self.vectors))
        self.pending, self.vectors, self.passages = [], [], 0


def _read_source(
    source: str | SourceError, options: LoadOptions, state: FeedState | None
) -> Iterator[tuple[str, Any]]:
    """One input's articles, and messages for what it could not give: ("article", Article),
    ("error", SourceError), ("backing_off", url), ("not_modified", url)."""
    if isinstance(source, SourceError):
        yield "error", source
        return
    if state and not state.due(source):
        yield "backing_off", source
        return
    for item in load_source(source, options, state):
        if isinstance(item, SourceError):
            yield "error", item
        elif isinstance(item, NotModified):
            yield "not_modified", item.source
        else:
            yield "article", item
