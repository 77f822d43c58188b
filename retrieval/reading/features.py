"""Features of answer candidates: how the evidence for each one stands, never its words.

One function computes them for the engine and for training, so the learned scorer is fed
exactly what it was fitted on. The type-fit tables (how often an answer to a "which team"
question is an ORG) are fitted from training data and stored with the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from retrieval.question.analysis import WH_KINDS, QuestionAnalysis
from retrieval.reading.candidates import LABELS, Candidate, Reading, normal_form
from retrieval.text import terms

CANDIDATE_FEATURES = (
    "label",
    "wh",
    "fit_head",
    "fit_wh",
    "mentions",
    "sentences",
    "passages",
    "best_sentence_rank",
    "recip_sentence_ranks",
    "best_sentence_score",
    "best_passage_rank",
    "recip_passage_ranks",
    "in_title",
    "question_overlap",
    "head_near",
    "key_distance",
    "keys_in_sentence",
    "tokens",
    "has_digit",
    "capitalised",
    "inside_longer",
    "contains_others",
    "first_position",
    "age_days",
    "subject_share",
    "entity_share",
    "best_lexical",
    "passage_lexical",
    "passage_overlap",
    "governed_by_question",
    "modifies_question_word",
    "fills_question_role",
    "speaker",
    "speaker_of_question_cue",
)
CATEGORICAL = ("label", "wh")
NEAR = 3  # words either side of a mention where the asked-for noun counts as beside it
FAR = 50  # distance given when the sentence states none of the question's terms


@dataclass
class TypeFit:
    """log P(candidate label | question head noun) and (| wh-word), smoothed; fitted."""

    head: dict[str, dict[str, float]] = field(default_factory=dict)
    wh: dict[str, dict[str, float]] = field(default_factory=dict)
    floor: float = math.log(1e-3)

    def of_head(self, head: str, label: str) -> float:
        table = self.head.get(head)
        return table.get(label, self.floor) if table else 0.0

    def of_wh(self, wh: str, label: str) -> float:
        return self.wh.get(wh, {}).get(label, self.floor)


def head_key(head: str) -> str:
    stems = terms(head)
    return stems[0] if stems else ""


def candidate_features(q: QuestionAnalysis, reading: Reading, fit: TypeFit) -> np.ndarray:
    """One row per candidate, columns as CANDIDATE_FEATURES."""
    sentence_stems = [_stems(p.words) for p in reading.parsed]
    head = head_key(q.head) if q.head else ""
    keys = set(q.key_terms)
    rows = []
    for cand in reading.candidates:
        rows.append(_row(q, reading, cand, fit, head, keys, sentence_stems))
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(CANDIDATE_FEATURES))


def _stems(words: tuple[str, ...]) -> list[str]:
    return [(terms(w) or [""])[0] for w in words]


def _row(
    q: QuestionAnalysis,
    reading: Reading,
    cand: Candidate,
    fit: TypeFit,
    head: str,
    keys: set[str],
    sentence_stems: list[list[str]],
) -> list[float]:
    sentences = reading.sentences
    held = sorted({m.sentence for m in cand.mentions})
    passages = sorted({sentences[i].passage for i in held})
    best = held[0]
    words = cand.key.split()
    label = cand.label
    head_near = 0.0
    distance = float(FAR)
    for m in cand.mentions:
        stems = sentence_stems[m.sentence]
        window = stems[max(0, m.start - NEAR) : m.end + NEAR]
        if head and head in window:
            head_near = 1.0
        for i, stem in enumerate(stems):
            if stem in keys and not m.start <= i < m.end:
                distance = min(distance, float(m.start - i if i < m.start else i - m.end + 1))
    longer = sum(
        1
        for other in reading.candidates
        if other is not cand and f" {cand.key} " in f" {other.key} "
    )
    shorter = sum(
        1
        for other in reading.candidates
        if other is not cand and f" {other.key} " in f" {cand.key} "
    )
    text = cand.text
    return [
        LABELS.index(label),
        WH_KINDS.index(q.wh),
        fit.of_head(head, label),
        fit.of_wh(q.wh, label),
        len(cand.mentions),
        len(held),
        len(passages),
        sentences[best].rank,
        sum(1.0 / (sentences[i].rank + 1) for i in held),
        sentences[best].score,
        passages[0],
        sum(1.0 / (p + 1) for p in passages),
        float(any(sentences[i].position < 0 for i in held)),
        sum(w in q.words for w in words) / len(words),
        head_near,
        distance,
        sentences[best].overlap,
        len(words),
        float(any(ch.isdigit() for ch in text)),
        sum(w[:1].isupper() for w in text.split()) / max(1, len(text.split())),
        longer,
        shorter,
        min(sentences[i].position for i in held),
        sentences[best].age_days,
        sum(m.is_subject for m in cand.mentions) / len(cand.mentions),
        sum(m.label not in ("PROPN", "NP") for m in cand.mentions) / len(cand.mentions),
        sentences[best].lexical,
        sentences[best].passage_lexical,
        max(sentences[i].passage_overlap for i in held),
        *_governed(cand, keys),
        _fills_role(cand, q.asked_role),
        *_as_speaker(cand, [sentences[i] for i in held], keys),
    ]


def _governed(cand: Candidate, keys: set[str]) -> list[float]:
    """Whether a mention fills a role of one of the question's words ("confirmed by the
    Cuban government" for "Who confirmed ...?"), and whether one only qualifies such a word
    ("Cuban casualties")."""
    role = modifier = 0.0
    for m in cand.mentions:
        if m.governor and (terms(m.governor) or [""])[0] in keys:
            if m.modifies:
                modifier = 1.0
            else:
                role = 1.0
    return [role, modifier]


def _fills_role(cand: Candidate, asked: tuple[str, str]) -> float:
    """Whether a mention plays, for the question's word, the part the question asks about:
    "confirmed by the Cuban government" for "Who confirmed ...?" (both its subject)."""
    part, word = asked
    if not part:
        return 0.0
    stem = (terms(word) or [word])[0]
    return float(
        any(m.role == part and (terms(m.governor) or [""])[0] == stem for m in cand.mentions)
    )


def _as_speaker(cand: Candidate, held: list, keys: set[str]) -> list[float]:
    """Whether the articles attribute words to the candidate, and with a cue the question
    names ("Who confirmed ...?" and "..., as confirmed by the Cuban government")."""
    speaker = cue_match = 0.0
    for sentence in held:
        for who, cue in sentence.speakers:
            if normal_form(who) == cand.key:
                speaker = 1.0
                cue_match = max(cue_match, float(bool(keys & set(terms(cue)))))
    return [speaker, cue_match]
