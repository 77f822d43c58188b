"""Fit the reader's models from RealTimeQA and write them with their evaluation.

    python -m training.train_reader            # ~15-25 min on 2 cores from scratch

Train: 2023-2024 questions; validation: 2025 (settings chosen there); sanity: 2022 (reported,
nothing chosen on it). Each question is read from its own search results (no store needed);
`--contexts` also reads training questions from a BM25 search of their period's news, and
from their first result's article alone.
Writes retrieval/reading/model/{sentence,candidate,confidence}.txt and reader.json, and
training/evaluation.json (every split's figures, the abstention sweep and the ablations).
Seeded and single-threaded fits: the same data gives the same files.
"""

from __future__ import annotations

import argparse
import json
import time
from functools import cache
from pathlib import Path

import lightgbm as lgb

from retrieval.reading.scorer import MODEL_DIR, SUPPORT_STRATEGIES
from training import data
from training.contexts import PeriodIndex, load_cache, save_cache
from training.evaluate import choose_threshold, evaluate, threshold_sweep
from training.examples import (
    CACHE,
    PASSAGES_READ,
    SENTENCES_READ,
    attach_dense,
    build,
    order_sentences,
    parse_all,
    sentence_recall,
)
from training.fit import SEED, fit_confidence, fit_sentences, fit_types, model_with


@cache
def embedder():
    """The engine's default embedder, made once: sentence vectors must be the ones it reads."""
    from retrieval.search.embedder import Embedder

    return Embedder()


EVALUATION = Path(__file__).resolve().parent / "evaluation.json"
# What training questions are read from (training/contexts.py). The stored model: their own
# search results (docs/evaluation.md has what the others gave).
CONTEXTS = ("own", "period", "both", "all")


@cache
def period_index(split: str) -> PeriodIndex:
    started = time.perf_counter()
    index = PeriodIndex(data.period_documents(split))
    print(f"{split}: {len(index.pool)} passages indexed ({time.perf_counter() - started:.0f} s)")
    return index


def contexts_of(split: str, limit: int, contexts: str, depth: int = PASSAGES_READ) -> list:
    """A split's examples. Validation and 2022 are read from each question's own search
    results, where settings are chosen and figures compared across fits. Training questions
    are read from their own results (`own`), from a search of their period's news as of
    their date (`period`), from both, or from those two and their first result's article
    alone (`all`): a focused reading, one with older and off-subject passages mixed in as a
    store search returns them, and one as a store holding a single article gives it."""
    if contexts == "own" or split != "train":
        return build(split, limit, depth)
    period = build(split, limit, depth, period_index(split))
    if contexts == "period":
        return period
    readings = [build(split, limit, depth), period]
    if contexts == "all":
        readings.append(build(split, limit, depth, one_article=True))
    # A question's readings get the same parity, so they fall in the same half of every
    # two-fold split (an out-of-fold fit never sees the question's other readings).
    out = []
    for start in range(0, len(period), 2):
        for reading in readings:
            out += reading[start : start + 2]
    return out


# -- ablations: each group of candidate features left out, refitted, read on validation ---------
ABLATION_GROUPS = {
    "candidate type": ("label", "fit_head", "fit_wh", "entity_share"),
    "question kind": ("wh",),
    "sentence ranks": ("best_sentence_rank", "recip_sentence_ranks", "best_sentence_score"),
    "passage ranks": ("best_passage_rank", "recip_passage_ranks"),
    "passage match": ("passage_lexical", "passage_overlap"),
    "governed by a question word": ("governed_by_question", "modifies_question_word"),
    "fills the role asked about": ("fills_question_role",),
    "speaker and cue": ("speaker", "speaker_of_question_cue"),
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


# Features left out of the candidate model: whether a candidate is in a title. Left out
# alone it gained 0.8 points on validation (a title still counts through the rank and place
# of the sentences naming the candidate). The groups whose single ablation looked free stay:
# left out together they cost several points (their effects overlap), and without its
# report's age the model lost five; training/evaluation.json has the ablations.
DROPPED: tuple[str, ...] = ("in_title",)


def choose_support(validation: list, model) -> tuple[int, str, dict]:
    """How many sentences follow the short answer (at most two) and how the second is
    chosen: the most answerable-right on validation with wrong replies at or under 8%."""
    figures: dict[str, dict] = {}
    best = (0, "answer", -1.0)
    for count in (0, 1, 2):
        for strategy in SUPPORT_STRATEGIES if count == 2 else ("answer",):
            model.params.update(support_sentences=count, support_strategy=strategy)
            right, safe = _right_if_safe(validation, model, count, figures, f"{count} ({strategy})")
            if safe and right > best[2]:
                best = (count, strategy, right)
    return best[0], best[1], figures


def _right_if_safe(
    examples: list, model, count: int, figures: dict, name: str
) -> tuple[float, bool]:
    """The reply's answerable-right on `examples`, recorded in `figures` under `name` with
    its wrong rate, and whether wrong replies stay at or under 8% of answerable and of
    unanswerable questions: the bound every setting chosen on validation keeps."""
    reply = evaluate(examples, model, count)["reader"]
    right, wrong = reply["answerable"]["right"], reply["answerable"]["wrong"]
    figures[name] = {"right": right, "wrong": wrong}
    return right, wrong <= 0.08 and reply["unanswerable"]["wrong"] <= 0.08


READ_DEPTHS = (PASSAGES_READ, 15, 20)  # passages a question reads: chosen on validation


def choose_depth(by_depth: dict[int, list], model) -> tuple[int, dict]:
    """How many of the top passages a question reads: the most answerable-right on
    validation (wrong at or under 8%; a tie goes to fewer, which is faster). The models are
    fitted on the first ten; a deeper read only widens where the sentences are taken from."""
    figures: dict[str, dict] = {}
    best = (PASSAGES_READ, -1.0)
    for depth, validation in by_depth.items():
        right, safe = _right_if_safe(validation, model, 2, figures, str(depth))
        if safe and right > best[1]:
            best = (depth, right)
    return best[0], figures


def read_deeper(split: str, depth: int, limit: int, sentence: lgb.Booster) -> list:
    """A split's examples with `depth` passages read, ranked and parsed as the engine would."""
    examples = build(split, limit, depth)  # validation and 2022: their own results
    attach_dense(examples, embedder())
    order_sentences(examples, sentence)
    parse_all(examples, SENTENCES_READ)
    return examples


def order_out_of_fold(examples: dict[str, list]) -> lgb.Booster:
    """Rank each training question's sentences with a sentence model fitted on the other
    half of the training questions, so the candidate model learns how far to trust sentence
    scores as they are on unseen questions; validation and 2022 use the model fitted on all
    of train (the one stored)."""
    train = examples["train"]
    halves = (train[0::2], train[1::2])
    for held, other in ((0, 1), (1, 0)):
        order_sentences(halves[held], fit_sentences(halves[other]))
    sentence = fit_sentences(train)
    for s in data.SPLITS:
        if s != "train":
            order_sentences(examples[s], sentence)
    return sentence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="first N questions per split")
    parser.add_argument("--no-ablation", action="store_true")
    parser.add_argument("--dry-run", action="store_true", help="do not write the model")
    parser.add_argument(
        "--contexts",
        choices=CONTEXTS,
        default=CONTEXTS[0],
        help="what training questions are read from: their own search results, a search of "
        "their period's news as of their date, both, or both and their first result's "
        "article alone (see training/contexts.py)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    load_cache(CACHE / "passages.pkl")
    examples = {s: contexts_of(s, args.limit, args.contexts) for s in data.SPLITS}
    save_cache(CACHE / "passages.pkl")
    attach_dense([ex for s in data.SPLITS for ex in examples[s]], embedder())
    print(f"contexts built ({time.perf_counter() - started:.0f} s)", flush=True)
    report: dict = {"seed": SEED, "contexts": args.contexts, "splits": {}}
    for s in data.SPLITS:
        order_sentences(examples[s], None)
        report["splits"][s] = {
            "sentence recall, BM25 alone": {
                f"@{k}": sentence_recall(examples[s], k) for k in (1, 5, 10, 24)
            }
        }
    sentence = order_out_of_fold(examples)
    parse_all([ex for s in data.SPLITS for ex in examples[s]], SENTENCES_READ)
    print(f"sentences parsed ({time.perf_counter() - started:.0f} s)", flush=True)
    train = examples["train"]
    fit = fit_types(train)
    folds = [fit_types(train[1::2]), fit_types(train[0::2])]  # out of fold for train rows
    params = {"passages_read": PASSAGES_READ, "sentences_read": SENTENCES_READ}
    model = model_with(sentence, train, folds, fit, params, DROPPED)
    report["features left out (validation ablation)"] = list(DROPPED)
    by_depth = {d: read_deeper("validation", d, args.limit, sentence) for d in READ_DEPTHS[1:]}
    depth, by_depth_figures = choose_depth(
        {PASSAGES_READ: examples["validation"], **by_depth}, model
    )
    report["passages read, validation answerable right and wrong by depth"] = by_depth_figures
    model.params["passages_read"] = depth
    if depth != PASSAGES_READ:  # read as the engine will: validation and 2022 alike
        examples["validation"] = by_depth[depth]
        examples["sanity"] = read_deeper("sanity", depth, args.limit, sentence)
    validation = examples["validation"]
    count, strategy, by_choice = choose_support(validation, model)
    model.params["support_sentences"] = count
    model.params["support_strategy"] = strategy
    model.confidence = fit_confidence(sentence, train, folds, model.params, count)
    sweep = threshold_sweep(validation, model, count)
    model.params["abstain_below"] = choose_threshold(sweep)
    report["abstention sweep (validation)"] = sweep
    report["support sentences, validation answerable right and wrong by choice"] = by_choice
    report["settings"] = {k: v for k, v in model.params.items() if k != "candidate_features"}
    for s in data.SPLITS:
        report["splits"][s].update(evaluate(examples[s], model, count))
    print(json.dumps(report["splits"]["validation"], indent=1), flush=True)
    if not args.dry_run:  # written now, so the model can be tried while the ablations run
        _write(model, fit, report, started)
    if not args.no_ablation:
        report["ablations (validation answerable right)"] = ablations(
            sentence, train, folds, fit, model, count, validation
        )
    if not args.dry_run:
        _write(model, fit, report, started)


def ablations(sentence, train, folds, fit, model, count, validation) -> dict[str, float]:
    base = evaluate(validation, model, count)["reader"]["answerable"]["right"]
    figures = {"all features": base}
    for group, dropped in ABLATION_GROUPS.items():
        ablated = model_with(sentence, train, folds, fit, model.params, DROPPED + dropped)
        ablated.params["support_strategy"] = model.support_strategy
        right = evaluate(validation, ablated, count)["reader"]["answerable"]["right"]
        figures[f"without {group}"] = right
        print(f"  without {group}: {right} (all: {base})", flush=True)
    return figures


def _write(model, fit, report: dict, started: float) -> None:
    report["seconds"] = round(time.perf_counter() - started)
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    model.sentence.save_model(str(MODEL_DIR / "sentence.txt"))
    model.candidate.save(MODEL_DIR)
    model.confidence.save_model(str(MODEL_DIR / "confidence.txt"))
    stored = {**model.params, "fit_head": fit.head, "fit_wh": fit.wh}
    (MODEL_DIR / "reader.json").write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n")
    EVALUATION.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {MODEL_DIR} and {EVALUATION} ({report['seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
