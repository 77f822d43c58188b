"""Optional extractive-QA reader (`READER_MODEL`): where in a passage the answer sits.

The default answer picks sentences with the bi-encoder and cheap features; on RealTimeQA the
right sentence is among the top passages far more often than it is picked (README). A QA
model reads the question against each passage and points at a span, which says directly
which sentence answers. None is installable offline here, so this stage is off unless the
operator names one (any Hugging Face extractive-QA id or local path). transformers 5 removed
the question-answering pipeline, so the start/end logits are decoded here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from retrieval.embedder import ModelLoadError

MAX_ANSWER_TOKENS = 30


@dataclass(frozen=True)
class Span:
    """The reader's best answer in one passage: character offsets and a probability-like
    score in [0, 1] (softmax of start times softmax of end over the passage's tokens)."""

    start: int
    end: int
    score: float


class SpanReader:
    """Thread-safe: one model, inference under a lock (the bot calls from worker threads)."""

    def __init__(self, model_name: str, max_length: int = 384) -> None:
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model_name)
            self.model = AutoModelForQuestionAnswering.from_pretrained(model_name)
        except Exception as exc:  # OSError, ValueError, HTTP errors: all mean "cannot load"
            raise ModelLoadError(f"cannot load READER_MODEL {model_name!r}: {exc}") from exc
        self.model.eval()
        self.max_length = max_length
        self._lock = threading.Lock()

    def run(self, question: str, passages: list[str]) -> list[Span | None]:
        """The best span of each passage (None when the passage left no room for one)."""
        if not passages:
            return []
        import torch

        encoded = self.tokenizer(
            [question] * len(passages),
            passages,
            truncation="only_second",
            max_length=self.max_length,
            padding=True,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        offsets = encoded.pop("offset_mapping").numpy()
        with self._lock, torch.inference_mode():
            out = self.model(**encoded)
        starts = out.start_logits.float().numpy()
        ends = out.end_logits.float().numpy()
        return [
            _best_span(starts[i], ends[i], offsets[i], encoded.sequence_ids(i))
            for i in range(len(passages))
        ]


def _best_span(
    start_logits: np.ndarray,
    end_logits: np.ndarray,
    offsets: np.ndarray,
    sequence_ids: list[int | None],
) -> Span | None:
    context = np.array([sid == 1 for sid in sequence_ids])
    if not context.any():
        return None
    start_p = _softmax(np.where(context, start_logits, -np.inf))
    end_p = _softmax(np.where(context, end_logits, -np.inf))
    # Score of (s, e) = p(start=s) * p(end=e) for s <= e < s + MAX_ANSWER_TOKENS.
    pair = np.triu(np.outer(start_p, end_p))
    pair = np.tril(pair, MAX_ANSWER_TOKENS - 1)
    s, e = np.unravel_index(int(np.argmax(pair)), pair.shape)
    return Span(int(offsets[s][0]), int(offsets[e][1]), float(pair[s, e]))


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - np.max(logits))
    return shifted / shifted.sum()
