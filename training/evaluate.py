"""Evaluation of a reader on examples, scored as the quiz scores a reply: the reader's reply
beside the plain top passage and top sentence, and the abstention floor's sweep."""

from __future__ import annotations

from collections import Counter

from retrieval.reading.scorer import ReaderModel, ReadResult, score_candidates, support
from training import data
from training.examples import Example, grade, sentence_recall


def read_example(ex: Example, model: ReaderModel) -> ReadResult | None:
    if not ex.reading:
        return None
    return score_candidates(ex.analysis, ex.reading, model)


def reply_text(result: ReadResult | None, count: int, strategy: str = "answer") -> str:
    if result is None or not result.ranked:
        return ""
    sentences = support(result, count, strategy)
    return " ".join([result.ranked[0].candidate.text, *(s.text for s in sentences)])


def rates(verdicts: list[str]) -> dict[str, float]:
    n = max(1, len(verdicts))
    counts = Counter(verdicts)
    return {k: round(counts[k] / n, 4) for k in ("right", "wrong", "other", "abstained")}


def evaluate(examples: list[Example], model: ReaderModel, support_count: int) -> dict:
    out: dict[str, dict] = {}
    replies = {
        "top passage": [ex.top_passage for ex in examples],
        "top sentence": [ex.sentences[0].text if ex.sentences else "" for ex in examples],
    }
    results = [read_example(ex, model) for ex in examples]
    replies["short answer"] = [reply_text(r, 0) for r in results]
    strategy = model.support_strategy
    replies["reader"] = [reply_text(r, support_count, strategy) for r in results]
    threshold = model.abstain_below
    for name, texts in replies.items():
        answerable = [
            data.verdict(t, ex.q) for t, ex in zip(texts, examples, strict=True) if ex.answerable
        ]
        unanswerable = [
            data.verdict(t, ex.q)
            for t, ex in zip(texts, examples, strict=True)
            if not ex.answerable
        ]
        out[name] = {"answerable": rates(answerable), "unanswerable": rates(unanswerable)}
    gated = []
    for r, t, ex in zip(results, replies["reader"], examples, strict=True):
        abstain = r is None or r.confidence < threshold
        gated.append((data.verdict(t, ex.q, abstained=abstain), ex.answerable))
    out["reader, abstaining"] = {
        "answerable": rates([v for v, a in gated if a]),
        "unanswerable": rates([v for v, a in gated if not a]),
    }
    out["questions"] = {
        "with results": len(examples),
        "answerable": sum(ex.answerable for ex in examples),
    }
    out["sentence recall"] = {f"@{k}": sentence_recall(examples, k) for k in (1, 5, 10, 24)}
    answerable = [ex for ex in examples if ex.answerable and ex.reading]
    out["candidate recall"] = round(
        sum(any(grade(c.key, ex.q) for c in ex.reading.candidates) for ex in answerable)
        / max(1, len(answerable)),
        4,
    )
    return out


def threshold_sweep(examples: list[Example], model: ReaderModel, count: int) -> list[dict]:
    """Validation figures for each confidence floor below which the reader abstains."""
    results = [read_example(ex, model) for ex in examples]
    texts = [reply_text(r, count, model.support_strategy) for r in results]
    sweep = []
    for floor in [round(0.02 * i, 2) for i in range(26)]:
        verdicts = [
            (data.verdict(t, ex.q, r is None or r.confidence < floor), ex.answerable)
            for r, t, ex in zip(results, texts, examples, strict=True)
        ]
        sweep.append(
            {
                "floor": floor,
                "answerable": rates([v for v, a in verdicts if a]),
                "unanswerable": rates([v for v, a in verdicts if not a]),
            }
        )
    return sweep


def choose_threshold(sweep: list[dict]) -> float:
    """The highest floor that keeps answerable-right within a point of answering everything
    and wrong answers at or under 8% of answerable and of unanswerable questions: abstain
    where it costs (almost) no right answer."""
    best = sweep[0]["answerable"]["right"]
    floor = 0.0
    for row in sweep:
        ok = all(row[side]["wrong"] <= 0.08 for side in ("answerable", "unanswerable"))
        if ok and row["answerable"]["right"] >= best - 0.01:
            floor = row["floor"]
    return floor
