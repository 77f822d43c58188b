"""The learned reader: ranks sentences, then answer candidates, with models fitted by
`training/train_reader.py` and stored beside this file (loaded once per process)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.question.analysis import QuestionAnalysis
from retrieval.reading.candidates import Candidate, Reading, extract, gather, normal_form
from retrieval.reading.features import CANDIDATE_FEATURES, TypeFit, candidate_features
from retrieval.reading.passages import Passage
from retrieval.reading.sentences import Meaning, Sentence, score_lexical, split

if TYPE_CHECKING:
    import lightgbm

    from retrieval.reading.parse_store import ParseStore

MODEL_DIR = Path(__file__).resolve().parent / "model"


class ReaderModelError(RuntimeError):
    """The reader's model files are missing or unreadable."""


CONFIDENCE_FEATURES = (
    "top_score",
    "margin",
    "softmax",
    "candidates",
    "sentence_overlap",
    "passage_overlap",
    "passage_lexical",
    "sentence_score",
    "question_overlap",
    "fit_head",
    "wh",
    "question_names_read",
)


class AveragedRanker:
    """Candidate rankers fitted alike but for their random seed, their scores averaged: one
    fit's luck in sampling rows and features moves validation by points; the mean does not."""

    def __init__(self, boosters: list[lightgbm.Booster]) -> None:
        self.boosters = boosters

    def predict(self, rows: np.ndarray) -> np.ndarray:
        return np.mean([b.predict(rows) for b in self.boosters], axis=0)

    def save(self, directory: Path) -> None:
        for old in directory.glob("candidate*.txt"):
            old.unlink()
        for n, booster in enumerate(self.boosters):
            booster.save_model(str(directory / _candidate_file(n)))


def _candidate_file(n: int) -> str:
    return "candidate.txt" if n == 0 else f"candidate-{n}.txt"


@dataclass
class ReaderModel:
    sentence: lightgbm.Booster | None  # None: sentences ranked by BM25 alone
    candidate: AveragedRanker | None  # None: candidates ranked by their best sentence
    fit: TypeFit
    params: dict
    confidence: lightgbm.Booster | None = None  # None: the best candidate's softmax weight

    @property
    def passages_read(self) -> int:
        return int(self.params.get("passages_read", 10))

    @property
    def sentences_read(self) -> int:
        return int(self.params.get("sentences_read", 20))

    @property
    def support_sentences(self) -> int:
        return int(self.params.get("support_sentences", 1))

    @property
    def support_strategy(self) -> str:
        return str(self.params.get("support_strategy", "answer"))

    @property
    def abstain_below(self) -> float:
        return float(self.params.get("abstain_below", 0.0))


_lock = threading.Lock()
_loaded: dict[Path, ReaderModel] = {}


def load_model(directory: Path = MODEL_DIR) -> ReaderModel:
    """The reader's models, read once per process (the bot's threads share them)."""
    with _lock:
        if directory not in _loaded:
            _loaded[directory] = _read(directory)
        return _loaded[directory]


def _read(directory: Path) -> ReaderModel:
    import lightgbm  # imported on first use: not every command reads answers

    try:
        params = json.loads((directory / "reader.json").read_text(encoding="utf-8"))
        boosters = {
            name: lightgbm.Booster(model_file=str(directory / f"{name}.txt"))
            for name in ("sentence", "confidence")
        }
        count = 1 + len(list(directory.glob("candidate-*.txt")))
        ranker = AveragedRanker(
            [lightgbm.Booster(model_file=str(directory / _candidate_file(n))) for n in range(count)]
        )
    except (OSError, ValueError) as exc:
        raise ReaderModelError(f"the reader's model in {directory} cannot be read: {exc}") from exc
    fit = TypeFit(head=params.get("fit_head", {}), wh=params.get("fit_wh", {}))
    return ReaderModel(boosters["sentence"], ranker, fit, params, boosters["confidence"])


def rank_sentences(
    q: QuestionAnalysis,
    passages: list[Passage],
    as_of_ts: int,
    model: ReaderModel,
    meaning: Meaning | None = None,
) -> list[Sentence]:
    """Every sentence of the passages read, best first, with its rank and score set. Without
    `meaning`, how close each sentence is to the question in meaning reads as unknown (0)."""
    read_passages = passages[: model.passages_read]
    sentences = split(read_passages, as_of_ts)
    score_lexical(q, sentences, read_passages)
    if meaning is not None:
        meaning.score(sentences)
    if not sentences:
        return []
    if model.sentence is not None:
        scores = model.sentence.predict(np.asarray([s.features() for s in sentences]))
    else:
        scores = np.asarray([s.lexical for s in sentences])
    for sentence, score in zip(sentences, scores, strict=True):
        sentence.score = float(score)
    sentences.sort(key=lambda s: -s.score)
    for rank, sentence in enumerate(sentences):
        sentence.rank = rank
    return sentences


@dataclass
class Scored:
    candidate: Candidate
    score: float

    @property
    def sentence(self) -> int:
        """Index (= rank) of the best sentence that mentions it."""
        return min(m.sentence for m in self.candidate.mentions)


@dataclass
class ReadResult:
    reading: Reading
    ranked: list[Scored]  # best first
    confidence: float  # how likely the reply holds the answer (the confidence model's)
    features: list[float] | None = None  # what the confidence was read from


def score_candidates(q: QuestionAnalysis, reading: Reading, model: ReaderModel) -> ReadResult:
    if not reading.candidates:
        return ReadResult(reading, [], 0.0)
    features = candidate_features(q, reading, model.fit)
    if model.candidate is not None:
        names = model.params.get("candidate_features") or CANDIDATE_FEATURES
        used = features[:, [CANDIDATE_FEATURES.index(n) for n in names]]
        scores = np.asarray(model.candidate.predict(used), dtype=np.float64)
    else:
        scores = -features[:, CANDIDATE_FEATURES.index("best_sentence_rank")]
    order = np.argsort(-scores, kind="stable")
    ranked = [Scored(reading.candidates[i], float(scores[i])) for i in order]
    weights = np.exp(scores - scores.max())
    softmax = float(weights.max() / weights.sum())
    best = reading.sentences[ranked[0].sentence]
    top = features[order[0]]
    evidence = [
        float(scores[order[0]]),
        float(scores[order[0]] - scores[order[1]]) if len(order) > 1 else 10.0,
        softmax,
        float(len(ranked)),
        best.overlap,
        best.passage_overlap,
        best.passage_lexical,
        best.score,
        float(top[CANDIDATE_FEATURES.index("question_overlap")]),
        float(top[CANDIDATE_FEATURES.index("fit_head")]),
        float(q.wh_index),
        names_read(q, reading),
    ]
    confidence = softmax
    if model.confidence is not None:
        confidence = float(model.confidence.predict(np.asarray([evidence]))[0])
    return ReadResult(reading, ranked, confidence, evidence)


def names_read(q: QuestionAnalysis, reading: Reading) -> float:
    """The share of the names in the question ("the 2030 World Cup") that the sentences read
    state; -1 when it names none. News that never names what is asked about cannot answer."""
    names = {normal_form(n) for n in q.names} - {""}
    if not names:
        return -1.0
    text = " " + " ".join(normal_form(s.text) for s in reading.sentences) + " "
    return sum(f" {n} " in text for n in names) / len(names)


def read(
    q: QuestionAnalysis,
    passages: list[Passage],
    as_of_ts: int,
    model: ReaderModel,
    parses: ParseStore | None = None,
    meaning: Meaning | None = None,
) -> ReadResult:
    """The reader's answer candidates for the question, from the passages as of a moment;
    sentence parses come from `parses` where it holds them (parsed at ingest)."""
    top = rank_sentences(q, passages, as_of_ts, model, meaning)[: model.sentences_read]
    texts = [s.text for s in top]
    reading = extract(top) if parses is None else gather(top, parses.parsed(texts))
    return score_candidates(q, reading, model)


SUPPORT_STRATEGIES = ("answer", "question", "runner-up")


def support(result: ReadResult, count: int, strategy: str = "answer") -> list[Sentence]:
    """The sentences shown under the answer, the first always the best one that mentions it.
    The next one, by `strategy` (chosen in training on validation):
    "answer": another that mentions it (from another passage when one does);
    "question": the best sentence read, what the question matches most closely;
    "runner-up": the best sentence of the next candidate, the reading the reader nearly chose.
    """
    if not result.ranked:
        return result.reading.sentences[:count]
    sentences = result.reading.sentences
    holding = sorted({m.sentence for m in result.ranked[0].candidate.mentions})
    chosen = [holding[0]]
    if strategy == "question":
        order = list(range(len(sentences)))
    elif strategy == "runner-up":
        order = [other.sentence for other in result.ranked[1:]]
    else:
        others = [i for i in holding[1:] if sentences[i].passage != sentences[holding[0]].passage]
        order = [*others, *holding[1:]]
    for i in [*order, *range(len(sentences))]:
        if len(chosen) >= count:
            break
        if i not in chosen:
            chosen.append(i)
    return [sentences[i] for i in chosen[:count]]
