"""Fit the reader's two models from RealTimeQA and write them with their evaluation.

    python -m training.train_reader            # ~15 min on 2 cores (spaCy parses cached)

Train: 2023-2024 questions; validation: 2025 (settings chosen there); sanity: 2022 (reported,
nothing chosen on it). Each question is read from its own search results (no store needed).
Writes retrieval/reading/model/{sentence,candidate}.txt and reader.json, and
training/evaluation.json. Seeded and single-threaded fits: the same data gives the same files.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import lightgbm as lgb
import numpy as np

from retrieval.question.analysis import QuestionAnalysis, analyse
from retrieval.reading.candidates import LABELS, Parsed, Reading, gather, parse_sentences
from retrieval.reading.features import (
    CANDIDATE_FEATURES,
    CATEGORICAL,
    TypeFit,
    candidate_features,
    head_key,
)
from retrieval.reading.scorer import MODEL_DIR, ReaderModel, ReadResult, score_candidates, support
from retrieval.reading.sentences import SENTENCE_FEATURES, Sentence, score_lexical, split
from training import data
from training.contexts import as_of_ts, load_cache, passages_for, save_cache

SEED = 20251226
CACHE = Path.home() / ".cache" / "newsbot-bench" / "reader"
EVALUATION = Path(__file__).resolve().parent / "evaluation.json"
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


def build(split_name: str, limit: int = 0) -> list[Example]:
    docs = data.corpus(split_name)
    out = []
    questions = [q for q in data.questions(split_name) if q.results]
    for q in questions[: limit or None]:
        analysis = analyse(q.text)
        passages = passages_for(q, analysis, docs)
        sentences = split(passages[:PASSAGES_READ], as_of_ts(q))
        score_lexical(analysis, sentences, passages[:PASSAGES_READ])
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


# -- sentences -------------------------------------------------------------------------------
SENTENCE_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "seed": SEED,
    "deterministic": True,
    "num_threads": 1,
    "verbose": -1,
}
SENTENCE_ROUNDS = 200


def fit_sentences(train: list[Example]) -> lgb.Booster:
    rows = [s.features() for ex in train for s in ex.sentences]
    labels = [y for ex in train for y in ex.labels]
    dataset = lgb.Dataset(
        np.asarray(rows), np.asarray(labels), feature_name=list(SENTENCE_FEATURES)
    )
    return lgb.train(SENTENCE_PARAMS, dataset, num_boost_round=SENTENCE_ROUNDS)


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


# -- parsing (cached: the parse of a sentence never changes) ---------------------------------
def parse_all(examples: list[Example], top: int) -> None:
    cache_file = CACHE / "parsed-v2.pkl"
    cache: dict[str, Parsed] = {}
    if cache_file.exists():
        cache = pickle.loads(cache_file.read_bytes())
    wanted = list(
        dict.fromkeys(s.text for ex in examples for s in ex.sentences[:top] if s.text not in cache)
    )
    t0 = time.perf_counter()
    for start in range(0, len(wanted), 2000):
        batch = wanted[start : start + 2000]
        cache.update(zip(batch, parse_sentences(batch), strict=True))
        print(f"  parsed {start + len(batch)}/{len(wanted)} ({time.perf_counter() - t0:.0f} s)")
    if wanted:
        CACHE.mkdir(parents=True, exist_ok=True)
        cache_file.write_bytes(pickle.dumps(cache))
    for ex in examples:
        top_sentences = ex.sentences[:top]
        ex.reading = gather(top_sentences, [cache[s.text] for s in top_sentences])


# -- candidate types: fitted, smoothed tables --------------------------------------------------
def fit_types(examples: list[Example], smoothing: float = 5.0) -> TypeFit:
    by_wh: dict[str, Counter] = defaultdict(Counter)
    by_head: dict[str, Counter] = defaultdict(Counter)
    head_wh: dict[str, Counter] = defaultdict(Counter)
    for ex in examples:
        for cand in ex.reading.candidates if ex.reading else []:
            if grade(cand.key, ex.q) > 0:
                by_wh[ex.analysis.wh][cand.label] += 1
                if ex.analysis.head:
                    head = head_key(ex.analysis.head)
                    by_head[head][cand.label] += 1
                    head_wh[head][ex.analysis.wh] += 1
    wh_table = {}
    for wh, counts in by_wh.items():
        total = sum(counts.values()) + len(LABELS) * 0.5
        wh_table[wh] = {lab: math.log((counts[lab] + 0.5) / total) for lab in LABELS}
    head_table = {}
    for head, counts in by_head.items():
        if sum(counts.values()) < 3:
            continue
        wh = head_wh[head].most_common(1)[0][0]
        prior = {lab: math.exp(wh_table[wh][lab]) for lab in LABELS}
        total = sum(counts.values()) + smoothing
        head_table[head] = {
            lab: math.log((counts[lab] + smoothing * prior[lab]) / total) for lab in LABELS
        }
    return TypeFit(head=head_table, wh=wh_table)


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


# -- candidates --------------------------------------------------------------------------------
CANDIDATE_PARAMS = {
    "objective": "lambdarank",
    "metric": "ndcg",
    "eval_at": [1],
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 30,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambdarank_truncation_level": 10,
    "seed": SEED,
    "deterministic": True,
    "num_threads": 1,
    "verbose": -1,
}
CANDIDATE_ROUNDS = 300


def matrix(examples: list[Example], fits: list[TypeFit], dropped: tuple[str, ...] = ()):
    rows, labels, groups = [], [], []
    keep = [i for i, name in enumerate(CANDIDATE_FEATURES) if name not in dropped]
    for n, ex in enumerate(examples):
        if not ex.reading or not ex.reading.candidates:
            continue
        f = candidate_features(ex.analysis, ex.reading, fits[n % len(fits)])
        rows.append(f[:, keep])
        labels.extend(grade(c.key, ex.q) for c in ex.reading.candidates)
        groups.append(len(ex.reading.candidates))
    return np.vstack(rows), np.asarray(labels), groups, keep


def fit_candidates(
    train: list[Example], fits: list[TypeFit], dropped: tuple[str, ...] = ()
) -> lgb.Booster:
    x, y, groups, keep = matrix(train, fits, dropped)
    names = [CANDIDATE_FEATURES[i] for i in keep]
    dataset = lgb.Dataset(
        x,
        y,
        group=groups,
        feature_name=names,
        categorical_feature=[c for c in CATEGORICAL if c in names],
    )
    return lgb.train(CANDIDATE_PARAMS, dataset, num_boost_round=CANDIDATE_ROUNDS)


# -- evaluation --------------------------------------------------------------------------------
def read_example(ex: Example, model: ReaderModel, names: list[str]) -> ReadResult | None:
    if not ex.reading:
        return None
    return score_candidates(ex.analysis, ex.reading, model)


def reply_text(result: ReadResult | None, count: int) -> str:
    if result is None or not result.ranked:
        return ""
    sentences = support(result, count)
    return " ".join([result.ranked[0].candidate.text, *(s.text for s in sentences)])


def rates(verdicts: list[str]) -> dict[str, float]:
    n = max(1, len(verdicts))
    counts = Counter(verdicts)
    return {k: round(counts[k] / n, 4) for k in ("right", "wrong", "other", "abstained")}


def evaluate(examples: list[Example], model: ReaderModel, support_count: int) -> dict:
    names = model.params["candidate_features"]
    out: dict[str, dict] = {}
    replies = {
        "top passage": [ex.top_passage for ex in examples],
        "top sentence": [ex.sentences[0].text if ex.sentences else "" for ex in examples],
    }
    results = [read_example(ex, model, names) for ex in examples]
    replies["short answer"] = [reply_text(r, 0) for r in results]
    replies["reader"] = [reply_text(r, support_count) for r in results]
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


# -- ablations: each group of candidate features left out, refitted, read on validation ---------
ABLATION_GROUPS = {
    "candidate type": ("label", "fit_head", "fit_wh", "entity_share"),
    "question kind": ("wh",),
    "sentence ranks": ("best_sentence_rank", "recip_sentence_ranks", "best_sentence_score"),
    "passage ranks": ("best_passage_rank", "recip_passage_ranks"),
    "passage match": ("passage_lexical", "passage_overlap"),
    "governed by a question word": ("governed_by_question",),
    "frequency": ("mentions", "sentences", "passages"),
    "title": ("in_title",),
    "question overlap": ("question_overlap",),
    "asked-for noun beside it": ("head_near",),
    "distance to question terms": ("key_distance", "keys_in_sentence", "best_lexical"),
    "shape": ("tokens", "has_digit", "capitalised"),
    "nesting": ("inside_longer", "contains_others"),
    "position": ("first_position",),
    "recency": ("age_days",),
    "subject": ("subject_share",),
}


def model_with(
    sentence: lgb.Booster,
    train: list[Example],
    folds: list[TypeFit],
    fit: TypeFit,
    params: dict,
    dropped: tuple[str, ...] = (),
) -> ReaderModel:
    booster = fit_candidates(train, folds, dropped)
    names = [n for n in CANDIDATE_FEATURES if n not in dropped]
    return ReaderModel(sentence, booster, fit, {**params, "candidate_features": names})


def threshold_sweep(examples: list[Example], model: ReaderModel, count: int) -> list[dict]:
    """Validation figures for each confidence floor below which the reader abstains."""
    results = [read_example(ex, model, []) for ex in examples]
    texts = [reply_text(r, count) for r in results]
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


# -- confidence: how likely a reply is right, learned from out-of-fold readings ---------------
CONFIDENCE_PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 7,
    "min_data_in_leaf": 50,
    "seed": SEED,
    "deterministic": True,
    "num_threads": 1,
    "verbose": -1,
}


def fit_confidence(
    sentence: lgb.Booster, train: list[Example], folds: list[TypeFit], params: dict, count: int
) -> lgb.Booster:
    halves = [train[0::2], train[1::2]]
    rows, labels = [], []
    for held, (fitted_on, fit) in enumerate(((halves[1], folds[1]), (halves[0], folds[0]))):
        booster = fit_candidates(fitted_on, [fit])
        model = ReaderModel(
            sentence, booster, fit, {**params, "candidate_features": list(CANDIDATE_FEATURES)}
        )
        for ex in halves[held]:
            result = read_example(ex, model, [])
            if result is None or result.features is None:
                continue
            rows.append(result.features)
            labels.append(int(data.verdict(reply_text(result, count), ex.q) == "right"))
    dataset = lgb.Dataset(np.asarray(rows), np.asarray(labels))
    return lgb.train(CONFIDENCE_PARAMS, dataset, num_boost_round=150)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="first N questions per split")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--dry-run", action="store_true", help="do not write the model")
    args = parser.parse_args()
    started = time.perf_counter()
    load_cache(CACHE / "passages.pkl")
    examples = {s: build(s, args.limit) for s in data.SPLITS}
    save_cache(CACHE / "passages.pkl")
    print(f"contexts built ({time.perf_counter() - started:.0f} s)", flush=True)
    report: dict = {"seed": SEED, "splits": {}}
    for s in data.SPLITS:
        order_sentences(examples[s], None)
        report["splits"][s] = {
            "sentence recall, BM25 alone": {
                f"@{k}": sentence_recall(examples[s], k) for k in (1, 5, 10, 24)
            }
        }
    sentence = fit_sentences(examples["train"])
    for s in data.SPLITS:
        order_sentences(examples[s], sentence)
    parse_all([ex for s in data.SPLITS for ex in examples[s]], SENTENCES_READ)
    print(f"sentences parsed ({time.perf_counter() - started:.0f} s)", flush=True)
    train = examples["train"]
    fit = fit_types(train)
    folds = [fit_types(train[1::2]), fit_types(train[0::2])]  # out of fold for train rows
    params = {"passages_read": PASSAGES_READ, "sentences_read": SENTENCES_READ}
    model = model_with(sentence, train, folds, fit, params)
    validation = examples["validation"]
    by_count = {
        c: evaluate(validation, model, c)["reader"]["answerable"]["right"] for c in (0, 1, 2)
    }
    count = max(by_count, key=lambda c: (by_count[c], -c))
    model.params["support_sentences"] = count
    model.confidence = fit_confidence(sentence, train, folds, model.params, count)
    sweep = threshold_sweep(validation, model, count)
    model.params["abstain_below"] = choose_threshold(sweep)
    report["abstention sweep (validation)"] = sweep
    report["support sentences, validation right by count"] = by_count
    report["settings"] = {k: v for k, v in model.params.items() if k != "candidate_features"}
    for s in data.SPLITS:
        report["splits"][s].update(evaluate(examples[s], model, count))
    print(json.dumps(report["splits"]["validation"], indent=1), flush=True)
    if not args.no_ablation:
        base = report["splits"]["validation"]["reader"]["answerable"]["right"]
        report["ablations (validation answerable right)"] = {"all features": base}
        for group, dropped in ABLATION_GROUPS.items():
            ablated = model_with(sentence, train, folds, fit, model.params, dropped)
            right = evaluate(validation, ablated, count)["reader"]["answerable"]["right"]
            report["ablations (validation answerable right)"][f"without {group}"] = right
            print(f"  without {group}: {right} (all: {base})", flush=True)
    report["seconds"] = round(time.perf_counter() - started)
    if args.dry_run:
        return
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    model.sentence.save_model(str(MODEL_DIR / "sentence.txt"))
    model.candidate.save_model(str(MODEL_DIR / "candidate.txt"))
    model.confidence.save_model(str(MODEL_DIR / "confidence.txt"))
    stored = {**model.params, "fit_head": fit.head, "fit_wh": fit.wh}
    (MODEL_DIR / "reader.json").write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
    EVALUATION.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {MODEL_DIR} and {EVALUATION} ({report['seconds']} s)")


if __name__ == "__main__":
    main()
