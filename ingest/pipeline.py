"""The ingest run: sources -> articles -> passages with attributions -> embeddings -> store.

Passages of several articles are embedded together (the encoder is fastest in full batches),
but each article is written whole, after all of its embeddings exist, so an interruption at
any point leaves every article either fully stored or absent from the registry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from tqdm import tqdm

from ingest.attribution import extract_attributions
from ingest.chunker import Chunker, sentence_spans
from ingest.errors import SourceError
from ingest.sources import LoadOptions, expand_inputs, load_source
from retrieval.embedder import Embedder
from retrieval.schema import Article, Passage
from retrieval.settings import Settings
from retrieval.store import PassageStore

log = logging.getLogger(__name__)
Status = Literal["added", "updated"]


@dataclass
class IngestReport:
    articles_added: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    passages: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
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


class Ingestor:
    """Turns articles into stored passages; reusable across runs (the model loads once)."""

    def __init__(
        self,
        store: PassageStore,
        embedder: Embedder,
        settings: Settings,
        flush_passages: int = 512,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.flush_passages = flush_passages
        self._chunker: Chunker | None = None

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
        options = options or LoadOptions(
            fetch_timeout=self.settings.fetch_timeout,
            fetch_max_bytes=self.settings.fetch_max_bytes,
            fetch_linked_pages=self.settings.fetch_linked_pages,
        )
        started = time.perf_counter()
        report = IngestReport()
        sources = list(expand_inputs(list(inputs)))
        pending: list[_Pending] = []
        seen_ids: set[str] = set()
        seen_hashes: set[str] = set()

        def fail(err: SourceError) -> None:
            report.failed.append({"source": err.source, "error": err.reason})
            if on_error:
                on_error(err)

        bar = tqdm(sources, unit="source", disable=not progress, desc="ingest", leave=False)
        try:
            for source in bar:
                if isinstance(source, SourceError):
                    fail(source)
                    continue
                for item in load_source(source, options):
                    if isinstance(item, SourceError):
                        fail(item)
                        continue
                    try:
                        prepared = self._prepare(item, seen_ids, seen_hashes)
                    except SourceError as err:
                        fail(err)
                        continue
                    if prepared is None:
                        report.articles_unchanged += 1
                        continue
                    pending.append(prepared)
                    if sum(len(p.passages) for p in pending) >= self.flush_passages:
                        self._flush(pending, report)
                        bar.set_postfix(passages=report.passages)
            self._flush(pending, report)
        finally:
            bar.close()
            report.seconds = time.perf_counter() - started
        return report

    def _prepare(
        self, article: Article, seen_ids: set[str], seen_hashes: set[str]
    ) -> _Pending | None:
        """None when the article is already stored (same id and text, or same text elsewhere)."""
        aid, digest = article.article_id, article.content_hash
        if aid in seen_ids or digest in seen_hashes:
            return None
        stored = self.store.stored_article(aid)
        if stored and stored.content_hash == digest:
            return None
        twin = self.store.article_with_content(digest)
        if twin and twin.article_id != aid:
            return None
        seen_ids.add(aid)
        seen_hashes.add(digest)
        passages, texts = self.passages_of(article)
        if not passages:
            raise SourceError(article.source, "no sentences to index")
        return _Pending(article, "updated" if stored else "added", passages, texts)

    def passages_of(self, article: Article) -> tuple[list[Passage], list[str]]:
        """The article's passages with their attributions, and the texts to embed for them."""
        sentences = sentence_spans(article.text)
        prefix = article.title if self.settings.embed_title else ""
        spans = self.chunker.run(article.text, prefix=prefix)
        attributions = extract_attributions(article.text, sentences)
        passages = [
            Passage(
                article_id=article.article_id,
                index=i,
                text=article.text[span.start : span.end],
                start=span.start,
                end=span.end,
                attributions=tuple(a for a in attributions if span.start <= a.start < span.end),
            )
            for i, span in enumerate(spans)
        ]
        texts = [f"{prefix}\n{p.text}" if prefix else p.text for p in passages]
        return passages, texts

    def _flush(self, pending: list[_Pending], report: IngestReport) -> None:
        if not pending:
            return
        texts = [t for p in pending for t in p.embed_texts]
        vectors = self.embedder.encode(texts)
        offset = 0
        for item in pending:
            n = len(item.passages)
            self.store.write_article(item.article, item.passages, vectors[offset : offset + n])
            offset += n
            report.passages += n
            log.info("stored %s (%d passages)", item.article.source, n)
            if item.status == "added":
                report.articles_added += 1
                report.added_titles.append(item.article.title)
            else:
                report.articles_updated += 1
        pending.clear()
