"""Training examples: each question read from its own search results, its sentences ranked
and parsed (parses cached: a sentence's parse never changes), its candidates graded."""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass, field
from pathlib import Path

import lightgbm as lgb
import numpy as np

from retrieval.question.analysis import QuestionAnalysis, analyse
from retrieval.reading.candidates import Reading, gather, parse_sentences
from retrieval.reading.sentences import Sentence, score_dense, score_lexical, split
from training import data
from training.contexts import PeriodIndex, as_of_ts, passages_for, with_speakers

CACHE = Path.home() / ".cache" / "newsbot-bench" / "reader"
PASSAGES_READ = 10
SENTENCES_READ = 24


@dataclass
class Example:
    q: data.Question
    analysis: QuestionAnalysis
    answerable: bool
    top_passage: str
    sentences: list[Sentence]
    labels: list[int] = field(default_factory=list)
    reading: Reading | None = None


def contains(text: str, answer: str) -> bool:
    return f" {data.clean(answer)} " in f" {data.clean(text)} "


def build(
    split_name: str,
    limit: int = 0,
    passages_read: int = PASSAGES_READ,
    index: PeriodIndex | None = None,
    one_article: bool = False,
) -> list[Example]:
    """The split's questions, each read from `passages_read` passages: its own search
    results (with `one_article`, only those of the first result's article), or (with
    `index`) a search of its period's news as of its date."""
    docs = data.corpus(split_name)
    out = []
    questions = [q for q in data.questions(split_name) if q.results]
    for q in questions[: limit or None]:
        analysis = analyse(q.text)
        if index is None:
            passages = passages_for(q, analysis, docs)
            if one_article and passages:
                passages = [p for p in passages if p.article == passages[0].article]
        else:
            passages = index.passages_for(q, analysis, passages_read)
        read = with_speakers(passages[:passages_read])
        sentences = split(read, as_of_ts(q))
        score_lexical(analysis, sentences, read)
        ex = Example(
            q,
            analysis,
            data.answerable(q, docs),
            passages[0].text if passages else "",
            sentences,
        )
        ex.labels = [int(contains(s.text, q.correct)) for s in sentences]
        out.append(ex)
    return out


def order_sentences(examples: list[Example], model: lgb.Booster | None) -> None:
    """Score, sort and rank each example's sentences (the engine's rank_sentences)."""
    for ex in examples:
        if not ex.sentences:
            continue
        if model is None:
            scores = np.asarray([s.lexical for s in ex.sentences])
        else:
            scores = model.predict(np.asarray([s.features() for s in ex.sentences]))
        for sentence, score in zip(ex.sentences, scores, strict=True):
            sentence.score = float(score)
        paired = sorted(zip(ex.sentences, ex.labels, strict=True), key=lambda p: -p[0].score)
        ex.sentences = [p[0] for p in paired]
        ex.labels = [p[1] for p in paired]
        for rank, sentence in enumerate(ex.sentences):
            sentence.rank = rank


def sentence_recall(examples: list[Example], k: int) -> float:
    hit = [any(ex.labels[:k]) for ex in examples if ex.answerable]
    return round(sum(hit) / max(1, len(hit)), 4)


# -- sentence work cached by text (a text's parse, or vector from one embedder, never changes) --
def _cached(cache_file: Path, texts: list[str], make, step: int, verb: str) -> dict:
    """The cache's values for `texts`, making (in batches of `step`) and saving those missing."""
    cache: dict = pickle.loads(cache_file.read_bytes()) if cache_file.exists() else {}
    wanted = list(dict.fromkeys(t for t in texts if t not in cache))
    t0 = time.perf_counter()
    for start in range(0, len(wanted), step):
        batch = wanted[start : start + step]
        cache.update(zip(batch, make(batch), strict=True))
        print(f"  {verb} {start + len(batch)}/{len(wanted)} ({time.perf_counter() - t0:.0f} s)")
    if wanted:
        CACHE.mkdir(parents=True, exist_ok=True)
        cache_file.write_bytes(pickle.dumps(cache))
    return cache


def attach_dense(examples: list[Example], embedder) -> None:
    """Each sentence's cosine to its question, with the embedder the engine reads with."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in embedder.identity)[:80]
    texts = [t for ex in examples for t in (ex.q.text, *(s.text for s in ex.sentences))]
    cache = _cached(
        CACHE / f"vectors-{slug}.pkl",
        texts,
        lambda batch: list(embedder.encode(batch).astype(np.float16)),
        4096,
        "embedded",
    )
    for ex in examples:
        if ex.sentences:
            vectors = np.stack([cache[s.text] for s in ex.sentences])
            score_dense(ex.sentences, cache[ex.q.text], vectors)


def parse_all(examples: list[Example], top: int) -> None:
    texts = [s.text for ex in examples for s in ex.sentences[:top]]
    cache = _cached(CACHE / "parsed-v4.pkl", texts, parse_sentences, 2000, "parsed")
    for ex in examples:
        top_sentences = ex.sentences[:top]
        ex.reading = gather(top_sentences, [cache[s.text] for s in top_sentences])


def grade(key: str, q: data.Question) -> int:
    """2: the candidate is the right choice; 1: it holds it (and no wrong one); else 0."""
    right = data.clean(q.correct)
    cleaned = data.clean(key)
    if cleaned == right or cleaned == data.clean(f"the {key}") and right.startswith("the "):
        return 2
    text = f" {cleaned} "
    if f" {right} " in text and not any(f" {data.clean(w)} " in text for w in q.wrong):
        return 1 if len(cleaned.split()) <= len(right.split()) + 3 else 0
    return 0
