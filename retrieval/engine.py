"""The engine: one object, built once, that the CLI, the bot and the benchmarks all query.

search = dense (Chroma) + lexical (BM25) candidates, fused by reciprocal rank, reranked,
near-duplicates collapsed. ask = search + an extractive, cited answer (or an abstention).
Queries are thread-safe: the bot runs them in worker threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from retrieval.answer.compose import abstention, compose
from retrieval.answer.digest import asks_for_the_news, compose_digest, period
from retrieval.answer.generate import ChatGenerator, GenerationError
from retrieval.answer.result import Answer
from retrieval.answer.statements import compose_statement
from retrieval.question import small_talk
from retrieval.question.analysis import analyse
from retrieval.question.query import Query, day_end_ts, day_start_ts, names_outlet
from retrieval.question.spelling import respell
from retrieval.question.truecase import truecase, typed_without_case
from retrieval.reading.parse_store import parse_store_for
from retrieval.reading.passages import Passage
from retrieval.reading.scorer import load_model, read
from retrieval.reading.sentence_vectors import sentence_vectors_for
from retrieval.reading.sentences import Meaning
from retrieval.schema import speaker_key
from retrieval.search.embedder import Embedder
from retrieval.search.filters import PassageFilter
from retrieval.search.fusion import collapse_duplicates, dense_search, rrf
from retrieval.search.hits import Hit
from retrieval.search.identity import check_compatible
from retrieval.search.lexical import LexicalIndex
from retrieval.search.rerank import CrossEncoderReranker, FeatureReranker
from retrieval.search.store import (
    PassageStore,
    StoreError,
    StoreStats,
    is_store_failure,
    storage_hint,
)
from retrieval.settings import Settings

log = logging.getLogger(__name__)
GENERATION_PASSAGES = 5
# Questions and answer sentences embedded lately (~1.5 KB each): a story asked about again, by
# a follow-up or another member, reuses its sentences' vectors instead of re-embedding them.
VECTOR_CACHE_SIZE = 8192


class EmptyStoreError(RuntimeError):
    """Nothing has been ingested yet."""


class NewsEngine:
    def __init__(
        self,
        settings: Settings | None = None,
        store: PassageStore | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.store = store or PassageStore(self.settings)
        self.embedder = embedder or Embedder(
            self.settings.embedding_model,
            self.settings.embed_batch_size,
            self.settings.embedder_backend,
        )
        # Another model's vectors would answer nonsense: refuse the store now, in one line.
        check_compatible(self.store, self.embedder)
        directory = (
            None
            if self.settings.server_mode
            else self.settings.data_dir / "lexical" / self.settings.chroma_collection
        )
        self.lexical = LexicalIndex(self.store, directory)
        # Sentences parsed at ingest, read back instead of parsed again (in memory only
        # when the store is a server's).
        self.parses = parse_store_for(self.settings)
        self.sentence_vectors = sentence_vectors_for(self.settings, self.embedder.identity)
        self.reranker = FeatureReranker()
        self.cross_encoder = (
            CrossEncoderReranker(self.settings.reranker_model)
            if self.settings.reranker_model
            else None
        )
        self._cache_lock = threading.Lock()
        self._vector_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.generator = (
            ChatGenerator(
                self.settings.llm_base_url,
                self.settings.llm_model,
                self.settings.llm_api_key,
                self.settings.llm_timeout,
            )
            if self.settings.llm_base_url
            else None
        )

    # -- retrieval ---------------------------------------------------------------------------
    def embed_query(self, text: str) -> np.ndarray:
        """Cached: one answer embeds its question once (search, fallback search, sentences)."""
        return self.embed_cached([text])[0]

    def embed_cached(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts`, embedding in one batch only those not embedded lately: an
        answer's searches (and a search retried without a filter) embed its question once."""
        if not texts:
            return self.embed_texts(texts)  # (0, dim), as the embedder gives it
        found: dict[str, np.ndarray] = {}
        missing: list[str] = []
        with self._cache_lock:
            for text in dict.fromkeys(texts):
                vector = self._vector_cache.get(text)
                if vector is None:
                    missing.append(text)
                else:
                    self._vector_cache.move_to_end(text)
                    found[text] = vector
        if missing:
            vectors = self.embed_texts(missing)
            vectors.flags.writeable = False
            new = dict(zip(missing, vectors, strict=True))
            found.update(new)
            with self._cache_lock:
                self._vector_cache.update(new)
                while len(self._vector_cache) > VECTOR_CACHE_SIZE:
                    self._vector_cache.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def forget_vectors(self) -> None:
        """Drop the cached vectors, so the next question is embedded as if first asked."""
        with self._cache_lock:
            self._vector_cache.clear()

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        """The embedder serialises batches itself, so ingest and questions interleave."""
        return self.embedder.encode(texts)

    def search(self, query: Query, timings: dict[str, float] | None = None) -> list[Hit]:
        """Ranked passages for the query, near-duplicates collapsed (best first)."""
        with self._store_guard():
            return self._search_phrased(self.phrased(query), timings)

    @contextmanager
    def _store_guard(self) -> Iterator[None]:
        """A storage failure (server down, disk trouble) becomes one clear StoreError; the
        next call tries again, so the engine recovers by itself when the store is back."""
        try:
            yield
        except StoreError:
            raise
        except Exception as exc:
            if not is_store_failure(exc):
                raise
            log.warning("store failure: %s: %s", type(exc).__name__, exc)
            raise StoreError(
                f"search is unavailable: {self.store.location} failed"
                f"{storage_hint(self.settings)} ({type(exc).__name__}: {exc})"
            ) from exc

    def count_passages(self) -> int:
        with self._store_guard():
            return self.store.count_passages()

    def stats(self, latest: int = 5) -> StoreStats:
        """What the store holds (for /sources), with storage failures as StoreError."""
        with self._store_guard():
            return self.store.stats(latest=latest)

    def _search_phrased(self, query: Query, timings: dict[str, float] | None) -> list[Hit]:
        """Search with the filters read from the wording (`phrased`), each dropped in turn
        when it leaves nothing."""
        timings = timings if timings is not None else {}
        hits = self._search(query, timings)
        if not hits and query.speaker_from_phrasing:
            # The speaker guessed from the wording may not be tagged; search without it.
            hits = self._search(replace(query, speaker=None), timings)
        if not hits and query.outlet_from_phrasing:
            hits = self._search(replace(query, outlet_from_phrasing=None), timings)
        return hits

    def _search(self, query: Query, timings: dict[str, float]) -> list[Hit]:
        s = self.settings
        n = s.search_candidates
        passage_filter = self._filter(query)
        t0 = time.perf_counter()
        q_emb = self.embed_query(query.search_text)
        timings["embed_ms"] = _ms(t0)
        ranked: list[list[str]] = []
        dense: dict[str, float] = {}
        if s.search_dense:
            t0 = time.perf_counter()
            dense = dense_search(self.store.passages, q_emb, n, passage_filter)
            ranked.append(list(dense))
            timings["dense_ms"] = _ms(t0)
        lexical: dict[str, float] = {}
        if s.search_lexical:
            t0 = time.perf_counter()
            lexical = self.lexical.search(query.search_text, n, passage_filter)
            ranked.append(list(lexical))
            timings["lexical_ms"] = _ms(t0)
        fused = rrf(ranked)
        candidates = list(fused)[: 2 * n]
        if not candidates:
            return []
        t0 = time.perf_counter()
        got = self.store.passages.get(
            ids=candidates, include=["documents", "metadatas", "embeddings"]
        )
        by_id = {
            pid: (doc, meta, emb)
            for pid, doc, meta, emb in zip(
                got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
            )
        }
        top_lex = max(lexical.values(), default=0.0) or 1.0
        top_rrf = max(fused.values(), default=0.0) or 1.0
        hits = []
        for pid in candidates:
            if pid not in by_id:
                continue
            doc, meta, emb = by_id[pid]
            emb = np.asarray(emb, dtype=np.float32)
            hits.append(
                Hit(
                    passage_id=pid,
                    text=doc,
                    meta=meta,
                    dense=dense.get(pid, float(emb @ q_emb)),
                    lexical=lexical.get(pid, 0.0) / top_lex,
                    rrf=fused[pid] / top_rrf,
                    embedding=emb,
                )
            )
        if s.search_rerank:
            hits = self.reranker.run(query, hits)
            if self.cross_encoder:
                hits = self.cross_encoder.run(query, hits[:n])
        else:
            for hit in hits:
                hit.score = hit.rrf if len(ranked) > 1 else (hit.dense or hit.lexical)
            hits.sort(key=lambda h: -h.score)
        hits = collapse_duplicates(hits)
        timings["rank_ms"] = _ms(t0)
        return hits

    def _filter(self, query: Query) -> PassageFilter:
        max_ts = day_end_ts(query.until) if query.until else None
        if query.as_of is not None:
            # News "as of" a date cannot include what was published after it.
            limit = int(query.as_of_utc.timestamp()) + 86400
            max_ts = limit if max_ts is None else min(max_ts, limit)
        publishers = None
        if query.source:
            publishers = tuple(self.publishers_matching(query.source) or [query.source])
        elif query.outlet_from_phrasing:
            publishers = tuple(self.publishers_named(query.outlet_from_phrasing)) or None
        if query.publishers is not None:
            allowed = set(query.publishers)
            publishers = tuple(p for p in publishers or query.publishers if p in allowed)
        return PassageFilter(
            min_ts=day_start_ts(query.since) if query.since else None,
            max_ts=max_ts,
            publishers=publishers,
            speaker_key=speaker_key(query.speaker) if query.speaker else None,
        )

    def publishers_matching(self, name: str) -> list[str]:
        """Stored publisher names containing `name`, from the BM25 index's in-memory metadata
        (reading the whole article registry per query does not scale)."""
        wanted = name.casefold()
        return sorted(p for p in self.lexical.current().publisher_names if wanted in p.casefold())

    def phrased(self, query: Query) -> Query:
        """The query with the filters its wording gives; an outlet only when it names a stored
        publisher ("according to the White House" is a source of the news, not an outlet)."""
        query = query.with_phrasing()
        if query.outlet_from_phrasing and not self.publishers_named(query.outlet_from_phrasing):
            return replace(query, outlet_from_phrasing=None)
        return query

    def publishers_named(self, phrase: str) -> list[str]:
        """Stored publishers that a question's "according to <phrase>" names (names_outlet)."""
        stored = self.lexical.current().publisher_names
        return sorted(p for p in stored if p and names_outlet(phrase, p))

    # -- answers -----------------------------------------------------------------------------
    def ask(self, query: Query, min_confidence: float | None = None) -> Answer:
        """The answer; `min_confidence` overrides the reader's abstention floor (-1: never)."""
        with self._store_guard():
            return self._ask(query, min_confidence)

    def _ask(self, query: Query, min_confidence: float | None) -> Answer:
        chat = small_talk.reply_to(query.question)
        if chat is not None:  # "hello", "thanks!", "what can you do?": nothing to search
            return Answer(query.question, chat, True, mode="small talk")
        if self.store.count_passages() == 0:
            raise EmptyStoreError(
                "the news store is empty: ingest some articles first (news-ingest PATH...)"
            )
        timings: dict[str, float] = {}
        started = time.perf_counter()
        if asks_for_the_news(query.question):  # "What happened yesterday?": that day's headlines
            start, end, days = period(query)
            dated = replace(query, since=start, until=end)
            answer = compose_digest(dated, self._search_phrased(self.phrased(dated), timings), days)
            timings["total_ms"] = _ms(started)
            answer.timings_ms = timings
            return answer
        phrased = self.phrased(query)  # once: the search and the answer read the same filters
        hits = self._search_phrased(phrased, timings)
        # Misspelt words mended, and a question typed without case read as the news writes it,
        # both from the words of the passages found.
        respelt = respell(query.question, hits, not typed_without_case(query.question))
        cased = truecase(respelt, hits)
        if cased != query.question:
            recased = self.phrased(replace(query, question=cased))
            if respelt != query.question or (recased.speaker, recased.outlet_from_phrasing) != (
                phrased.speaker,
                phrased.outlet_from_phrasing,
            ):
                hits = self._search_phrased(recased, timings)  # "what did rubio say ..."
            phrased = recased
        t0 = time.perf_counter()
        if phrased.speaker:  # "What did X say ...": X's own statements, as attributed
            others = [n for n in analyse(phrased.question).names if n not in phrased.speaker]
            answer = compose_statement(phrased.question, phrased.speaker, others, hits, query.k)
        else:
            answer = self._read(phrased, hits, min_confidence)
        answer.question = query.question  # as asked, not as recased
        timings["answer_ms"] = _ms(t0)
        if self.generator and not answer.abstained:
            t0 = time.perf_counter()
            try:
                generated = self.generator.run(query.search_text, hits[:GENERATION_PASSAGES])
                lead = f"**{answer.short_answer}** — " if answer.short_answer else ""
                answer.text, answer.citations, answer.mode = (
                    lead + generated.text,
                    generated.cited,
                    "generative",
                )
                for item in answer.support:  # numbered for the extractive citations
                    item.pop("n", None)
            except GenerationError as exc:
                log.warning("generative answer failed, using the extractive one: %s", exc)
            timings["generate_ms"] = _ms(t0)
        timings["total_ms"] = _ms(started)
        answer.timings_ms = timings
        return answer

    def _read(self, query: Query, hits: list[Hit], min_confidence: float | None) -> Answer:
        """The learned reader's answer: the question analysed once, its passages read."""
        model = load_model()
        floor = min_confidence
        if floor is None:
            floor = self.settings.answer_min_confidence
        if floor is None:
            floor = model.abstain_below
        analysis = analyse(query.question)
        passages = [
            Passage(
                h.text,
                h.title,
                h.article_id,
                h.published_ts,
                tuple((a.get("speaker", ""), a.get("cue", "")) for a in h.attributions),
            )
            for h in hits
        ]
        as_of = int(query.as_of_utc.timestamp()) + (86400 if query.as_of else 0)
        # Recency is read against the newest news held: months after the last article was
        # ingested, that article is still the latest word, not a stale one.
        newest = self.lexical.newest_published(as_of)
        if newest:
            as_of = min(as_of, newest + 86400)
        meaning = Meaning(
            self.embed_query(query.search_text),
            lambda texts: self.sentence_vectors.of(texts, self.embed_texts),
        )
        result = read(analysis, passages, as_of, model, self.parses, meaning)
        if not result.ranked or result.confidence < floor:
            return abstention(query.question, hits, query.k, result.confidence)
        return compose(
            query.question, hits, result, model.support_sentences, query.k, model.support_strategy
        )


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 2)
