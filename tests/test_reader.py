"""The learned reader: its stages on real sentences, the committed model, the answer shape."""

from __future__ import annotations

import json
import re

import pytest

from retrieval.answer.compose import short_form
from retrieval.question.analysis import analyse, wh_kind
from retrieval.question.query import Query
from retrieval.reading.candidates import extract, normal_form
from retrieval.reading.features import CANDIDATE_FEATURES, candidate_features
from retrieval.reading.passages import Passage
from retrieval.reading.scorer import MODEL_DIR, load_model, rank_sentences, read
from retrieval.reading.sentences import Sentence

HAMLIN = Passage(
    "The Buffalo Bills player Damar Hamlin collapsed during Monday night's game against the "
    "Cincinnati Bengals. Hamlin, 24, was taken to the University of Cincinnati Medical Center. "
    "He remains in critical condition, the team said on Tuesday.",
    "Damar Hamlin in critical condition after collapse",
    "hamlin",
    1672790400,
)


def test_the_question_is_analysed_once_into_what_it_asks():
    q = analyse("Damar Hamlin is a valued member of which team?")
    assert (q.wh, q.head) == ("which", "team")
    assert "Damar Hamlin" in q.names and "hamlin" in q.key_terms
    assert wh_kind("How many people died in the crush?") == "how many"
    assert analyse("What is the name of the country that hosted it?").head == "country"


def test_candidates_are_names_inside_longer_phrases_too():
    sentences = [Sentence(HAMLIN.text.split(". ")[0] + ".", 0, 0)]
    keys = {c.key for c in extract(sentences).candidates}
    assert {"buffalo bills", "damar hamlin", "cincinnati bengals"} <= keys
    assert normal_form("The Cuban government,") == "cuban government"


def test_features_describe_the_evidence():
    model = load_model()
    q = analyse("Damar Hamlin is a valued member of which team?")
    sentences = rank_sentences(q, [HAMLIN], 1672876800, model)
    reading = extract(sentences)
    rows = candidate_features(q, reading, model.fit)
    assert rows.shape == (len(reading.candidates), len(CANDIDATE_FEATURES))
    # Every column is a number about the evidence (ranks, counts, shares, type fits).
    assert rows.dtype.kind == "f" and (rows == rows).all()


def test_the_committed_model_loads_and_reads():
    model = load_model()
    assert model.sentence is not None and model.candidate is not None
    assert (MODEL_DIR / "reader.json").stat().st_size + (
        MODEL_DIR / "candidate.txt"
    ).stat().st_size < 5_000_000
    q = analyse("Damar Hamlin is a valued member of which team?")
    result = read(q, [HAMLIN], 1672876800, model)
    assert result.ranked and 0.0 < result.confidence <= 1.0


# The reader as fitted does not yet give the canonical answer over the small seed-and-samples
# store: it ranks the headline's names above the attributed "the Cuban government", and its
# confidence there falls below the abstention floor. Kept as the target it must meet.
SEED_GAP = "the learned reader does not yet answer the canonical question (docs/evaluation.md)"


def test_the_seed_answer_comes_first_then_its_support(seed_only_engine):
    answer = seed_only_engine.ask(Query("Who confirmed the casualties?"))
    assert not answer.abstained
    assert answer.short_answer == "The Cuban government"
    assert answer.text.startswith("**The Cuban government** — ")
    assert "Cuban state television" in answer.text or "Cuban government" in answer.text
    cited = answer.citations[0]
    assert cited.publisher == "Associated Press" and cited.published == "2026-01-07"
    # Each support sentence is verbatim in what it cites and keeps its full stop before [n].
    for item in answer.support:
        assert " ".join(item["text"].split()) in " ".join(
            answer.citations[item["n"] - 1].text.split()
        )
    assert not re.search(r"\w \[\d\]", answer.text.replace("**", ""))
    data = answer.as_json()
    assert data["short_answer"] == "The Cuban government" and data["support"]
    assert 0.0 < data["confidence"] <= 1.0
    json.dumps(data)


@pytest.mark.parametrize(
    ("raw", "shown"), [("the Cuban government,", "The Cuban government"), ("“Bills", "Bills")]
)
def test_a_short_answer_is_tidied_not_changed(raw, shown):
    assert short_form(raw) == shown


def test_a_noun_phrase_that_counts_things_is_typed_apart():
    reading = extract(
        [
            Sentence(
                "The strike killed 32 Cuban officers, as confirmed by the Cuban government.", 0, 0
            )
        ]
    )
    labels = {c.key: c.label for c in reading.candidates}
    assert labels["32 cuban officers"] == "COUNTED_NP"
    assert labels["cuban government"] != "COUNTED_NP"
