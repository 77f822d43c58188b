"""The passages a training question is read from, cut as ingest cuts them (boilerplate
removed), in one of two ways:

- `own`: the question's own search results, ranked by BM25 against the question. Every
  passage is on the question's subject.
- `period`: a search of every document of the question's period published by its date (BM25
  over all their passages), as a store search finds them: older reports of the same story
  and passages on other subjects come in beside the question's own results. The engine reads
  a store search's passages, so the models learn what such weaker matches look like.

BM25 alone finds the answer in its first ten passages about as often as the engine's hybrid
search over a store of the same documents. Training needs no store either way (a store of two
years of news would take hours to embed).
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import bm25s
import numpy as np

from ingest.attribution import extract_attributions
from ingest.boilerplate import strip_boilerplate
from ingest.chunker import Chunker
from retrieval.question.analysis import QuestionAnalysis
from retrieval.reading.passages import Passage
from retrieval.text import terms
from training.data import Question


def _count(texts: list[str]) -> list[int]:
    return [int(len(t.split()) * 1.33) + 2 for t in texts]


_CHUNKER = Chunker(_count, max_tokens=256, target_tokens=160, overlap_sentences=1)


def _timestamp(published: str | None) -> int:
    if not published:
        return 0
    try:
        day = datetime.strptime(published[:10].replace("/", "-"), "%Y-%m-%d")
    except ValueError:
        return 0
    return int(day.replace(tzinfo=UTC).timestamp())


def _passages_of(url: str, title: str, text: str, published: str | None) -> tuple[Passage, ...]:
    paragraphs = strip_boilerplate([p.strip() for p in text.split("\n") if p.strip()])
    body = "\n".join(paragraphs)
    ts = _timestamp(published)
    return tuple(
        Passage(body[s.start : s.end], title, url, ts) for s in _CHUNKER.run(body, prefix=title)
    )


def load_cache(path: Path) -> None:
    """Passages cut in an earlier run (cutting 20k articles with syntok takes minutes)."""
    if path.exists():
        _CUT.update(pickle.loads(path.read_bytes()))


def save_cache(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(_CUT))


_CUT: dict[str, tuple[Passage, ...]] = {}


def _cut(d: dict) -> tuple[Passage, ...]:
    if d["url"] not in _CUT:
        _CUT[d["url"]] = _passages_of(d["url"], d["title"], d["text"], d["published"])
    return _CUT[d["url"]]


def with_speakers(passages: list[Passage]) -> list[Passage]:
    """The passages with who they say spoke, as ingest records it for stored passages."""
    out = []
    for p in passages:
        found = tuple((a.speaker, a.cue) for a in extract_attributions(p.text))
        out.append(replace(p, speakers=found))
    return out


def passages_for(q: Question, analysis: QuestionAnalysis, docs: dict[str, dict]) -> list[Passage]:
    """The question's result passages, best BM25 match first (title words count too)."""
    pool: list[Passage] = []
    for url in q.results:
        d = docs.get(url)
        if d and d["text"].strip():
            pool.extend(_cut(d))
    if not pool or not analysis.key_terms:
        return pool
    tokens = [terms(f"{p.title}\n{p.text}") or ["_"] for p in pool]
    bm25 = bm25s.BM25()
    bm25.index(tokens, show_progress=False)
    scores = bm25.get_scores(list(analysis.key_terms))
    order = np.argsort(-scores, kind="stable")
    return [pool[i] for i in order]


class PeriodIndex:
    """BM25 over every passage of a period's documents, searched as of a question's date."""

    def __init__(self, documents: list[dict]) -> None:
        self.pool = [p for d in documents if d["text"].strip() for p in _cut(d)]
        self.published = np.asarray([p.published_ts for p in self.pool])
        self.bm25 = bm25s.BM25()
        self.bm25.index(
            [terms(f"{p.title}\n{p.text}") or ["_"] for p in self.pool], show_progress=False
        )

    def passages_for(self, q: Question, analysis: QuestionAnalysis, depth: int) -> list[Passage]:
        """The `depth` best BM25 matches published by the question's date, best first."""
        if not analysis.key_terms or not self.pool:
            return []
        scores = self.bm25.get_scores(list(analysis.key_terms))
        scores[self.published > as_of_ts(q)] = -1.0
        order = np.argsort(-scores, kind="stable")[:depth]
        return [self.pool[i] for i in order if scores[i] > 0]


def as_of_ts(q: Question) -> int:
    return int(q.as_of.replace(tzinfo=UTC).timestamp()) + 86400
