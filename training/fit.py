"""The seeded fits: the sentence model, the candidate-type tables, the candidate ranker and
the confidence model. Single-threaded and deterministic: the same data gives the same files."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import lightgbm as lgb
import numpy as np

from retrieval.reading.candidates import LABELS
from retrieval.reading.features import (
    CANDIDATE_FEATURES,
    CATEGORICAL,
    TypeFit,
    candidate_features,
    head_key,
)
from retrieval.reading.scorer import AveragedRanker, ReaderModel
from retrieval.reading.sentences import SENTENCE_FEATURES
from training import data
from training.evaluate import read_example, reply_text
from training.examples import Example, grade

SEED = 20251226


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


CANDIDATE_SEEDS = 3  # rankers averaged (AveragedRanker)


def fit_candidates(
    train: list[Example], fits: list[TypeFit], dropped: tuple[str, ...] = ()
) -> AveragedRanker:
    x, y, groups, keep = matrix(train, fits, dropped)
    names = [CANDIDATE_FEATURES[i] for i in keep]
    boosters = []
    for n in range(CANDIDATE_SEEDS):
        dataset = lgb.Dataset(
            x,
            y,
            group=groups,
            feature_name=names,
            categorical_feature=[c for c in CATEGORICAL if c in names],
        )
        params = {**CANDIDATE_PARAMS, "seed": SEED + n}
        boosters.append(lgb.train(params, dataset, num_boost_round=CANDIDATE_ROUNDS))
    return AveragedRanker(boosters)


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
            result = read_example(ex, model)
            if result is None or result.features is None:
                continue
            rows.append(result.features)
            reply = reply_text(result, count, str(params.get("support_strategy", "answer")))
            labels.append(int(data.verdict(reply, ex.q) == "right"))
    dataset = lgb.Dataset(np.asarray(rows), np.asarray(labels))
    return lgb.train(CONFIDENCE_PARAMS, dataset, num_boost_round=150)
