"""The engine over the seed article (and the fictional samples): answers, citations, filters."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from retrieval.answer import ABSTAIN_TEXT
from retrieval.answer.statements import quoted_in
from retrieval.engine import EmptyStoreError, NewsEngine
from retrieval.question.query import Query, names_outlet
from retrieval.settings import Settings
from tests.conftest import SEED_GAP, verbatim


@pytest.fixture
def engine(seed_engine) -> NewsEngine:
    return seed_engine


def test_canonical_question(seed_only_engine):
    answer = seed_only_engine.ask(Query("Who confirmed the casualties?"))
    assert not answer.abstained
    assert answer.short_answer == "The Cuban government"
    assert answer.text.startswith("**The Cuban government** — ")
    cited = answer.citations[0]
    assert cited.published == "2026-01-07" and cited.publisher == "Associated Press"
    assert "(Associated Press, Jan 7, 2026) [1]" in answer.text
    verbatim(answer)


@pytest.mark.xfail(
    reason="beside newer unrelated articles the reader's learned recency prefers their names "
    "(docs/evaluation.md, known gaps)",
    strict=False,
)
def test_canonical_question_beside_newer_news(engine):
    answer = engine.ask(Query("Who confirmed the casualties?"))
    assert answer.short_answer == "The Cuban government"


def test_what_did_trump_say(engine):
    answer = engine.ask(Query("What did Trump say about the deaths?"))
    assert answer.text.count("You know, a lot of Cubans were killed yesterday") == 1
    assert answer.text.startswith("**“You know, a lot of Cubans were killed yesterday.")
    assert "— President Donald Trump commented (Associated Press, Jan 7, 2026) [1]" in answer.text
    assert "““" not in answer.text and "””" not in answer.text  # quoted once, not twice
    verbatim(answer)


def test_rubio_by_speaker_phrasing(engine):
    answer = engine.ask(Query("What did Rubio say?"))
    assert "All the guards that help protect Maduro" in answer.text
    assert "Rubio" in answer.support[0]["speaker"]
    verbatim(answer)


@SEED_GAP
def test_national_mourning(engine):
    answer = engine.ask(Query("How long is the national mourning?"))
    assert answer.short_answer.casefold() == "two days"
    assert "two days of national mourning" in answer.text
    verbatim(answer)


def test_json_shape(engine):
    data = engine.ask(Query("Who confirmed the casualties?", k=5)).as_json()
    assert set(data) >= {
        "question",
        "answer",
        "short_answer",
        "support",
        "abstained",
        "confidence",
        "citations",
        "retrieved",
        "timings_ms",
    }
    assert isinstance(data["abstained"], bool) and 1 <= len(data["retrieved"]) <= 5
    assert data["answer"].startswith(f"**{data['short_answer']}**")
    assert all(set(s) >= {"text", "passage_id", "n", "speaker"} for s in data["support"])
    assert 0.0 < data["confidence"] <= 1.0
    for c in data["citations"]:
        assert set(c) >= {
            "n",
            "title",
            "publisher",
            "url",
            "published",
            "authors",
            "passage",
            "speakers",
            "score",
        }
        assert isinstance(c["authors"], list) and isinstance(c["speakers"], list)
    urls = [r["url"] or r["title"] for r in data["retrieved"]]
    assert len(urls) == len(set(urls))  # distinct articles
    assert data["timings_ms"]["total_ms"] > 0


def test_quotation_marks_only_for_what_was_quoted():
    text = (
        "Over the weekend, 32 officers died, as confirmed by the Cuban government on Sunday. "
        "Trump said, “You know, a lot of Cubans were killed yesterday.”"
    )
    assert quoted_in(text, "You know, a lot of Cubans were killed yesterday.")
    assert not quoted_in(text, "Over the weekend, 32 officers died")


@pytest.mark.parametrize(
    "typed",
    [
        "Who confirmed the casulties?",  # misspelt: no passage writes it, one writes it right
        "who confirmed the casulties?",
        "Who confirmed the casualites?",
    ],
)
def test_a_misspelt_word_is_read_as_the_passages_write_it(seed_only_engine, typed):
    answer = seed_only_engine.ask(Query(typed))
    assert not answer.abstained, answer.confidence
    assert answer.short_answer == "The Cuban government", answer.text
    assert answer.question == typed  # shown as asked


def test_a_question_asked_again_embeds_nothing_new(seed_engine, monkeypatch):
    """The question's vector is cached: asked again (a follow-up, another member), nothing is
    embedded, and the answer is the same."""
    engine = NewsEngine(
        seed_engine.settings, store=seed_engine.store, embedder=seed_engine.embedder
    )
    encoded: list[str] = []
    encode = engine.embedder.encode

    def counting(texts, batch_size=None):
        encoded.extend(texts)
        return encode(texts, batch_size)

    monkeypatch.setattr(engine.embedder, "encode", counting)
    first = engine.ask(Query("Who confirmed the casualties?"))
    assert encoded == ["Who confirmed the casualties?"]
    encoded.clear()
    assert engine.ask(Query("Who confirmed the casualties?")).text == first.text
    assert encoded == []


def test_date_filter_excluding_the_article_abstains(engine):
    q = "Who confirmed the casualties?"
    assert engine.ask(Query(q, since=date(2026, 1, 1), until=date(2026, 1, 31))).abstained is False
    answer = engine.ask(Query(q, since=date(2026, 2, 1)))
    assert answer.abstained or all(c.published >= "2026-02-01" for c in answer.citations)
    assert all(h.published >= "2026-02-01" for h in answer.retrieved)


def test_source_filter_and_as_of(engine):
    answer = engine.ask(Query("Who won the marathon?", source="lakeside daily"))
    assert {h.publisher for h in answer.retrieved} == {"Lakeside Daily (fictional)"}
    # As of before the marathon was reported, the marathon article is not yet news.
    earlier = engine.ask(Query("Who won the marathon?", as_of=datetime(2026, 3, 1)))
    assert all(h.published <= "2026-03-02" for h in earlier.retrieved)


def test_an_outlet_named_in_the_question_filters_like_source(engine):
    """ "according to the Lakeside Daily" and "What did the AP report" name stored
    publishers; "according to the Cuban government" names none and filters nothing."""
    everyone = {h.publisher for h in engine.ask(Query("Who won the marathon?")).retrieved}
    assert len(everyone) > 1
    answer = engine.ask(Query("Who won the marathon, according to the Lakeside Daily?"))
    assert {h.publisher for h in answer.retrieved} == {"Lakeside Daily (fictional)"}
    for question in (
        "What did the AP report about the casualties?",
        "Did the Associated Press report the casualties?",
    ):
        answer = engine.ask(Query(question))
        assert {h.publisher for h in answer.retrieved} == {"Associated Press"}, question
        assert "Cuban" in answer.text
    answer = engine.ask(Query("What did the Vellmark Ledger report about the library?"))
    assert {h.publisher for h in answer.retrieved} == {"The Vellmark Ledger (fictional)"}
    answer = engine.ask(Query("How long is the mourning, according to the Cuban government?"))
    assert len({h.publisher for h in answer.retrieved}) > 1


@pytest.mark.parametrize(
    ("phrase", "publisher", "named"),
    [
        ("CNN", "cnn.com", True),
        ("AP", "Associated Press", True),
        ("USA Today", "usatoday.com", True),
        ("The Week", "theweek.co.uk", True),
        ("Hill", "The Hill", True),
        ("Courier", "The Riverside Courier (fictional)", True),
        ("White House", "cnn.com", False),
        ("House", "Housing Weekly", False),
        ("Fiji’s", "Fiji Times", False),
    ],
)
def test_names_outlet(phrase, publisher, named):
    assert names_outlet(phrase, publisher) is named


def test_empty_store_is_a_clear_error(tmp_path, embedder):
    settings = Settings(_env_file=None, chroma_path=tmp_path / "c", chroma_collection="empty")
    with pytest.raises(EmptyStoreError, match="empty"):
        NewsEngine(settings, embedder=embedder).ask(Query("Anything?"))


def test_syndicated_copies_collapse_to_the_earliest(tmp_path, embedder):
    from ingest import ingest_sources

    settings = Settings(_env_file=None, chroma_path=tmp_path / "c", chroma_collection="synd")
    eng = NewsEngine(settings, embedder=embedder)
    story = (
        "The Riverside council approved a new flood barrier on Tuesday. The barrier will "
        "cost 4 million euros and protect 900 homes, the council said. Work starts in May."
    )
    records = [
        {
            "title": "Flood barrier approved",
            "text": story,
            "url": "https://wire.example/1",
            "published": "2024-05-01",
            "source": "Example Wire",
        },
        {
            "title": "Flood barrier approved",
            "text": story + " Reporting by Example Wire.",
            "url": "https://paper.example/2",
            "published": "2024-05-02",
            "source": "Daily Paper",
        },
    ]
    path = tmp_path / "synd.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    assert ingest_sources([str(path)], eng.store, embedder, settings).articles_added == 2
    hits = eng.search(Query("How much will the flood barrier cost?"))
    assert hits[0].publisher == "Example Wire"
    assert [r["publisher"] for r in hits[0].also_reported_by] == ["Daily Paper"]
    assert all(h.publisher != "Daily Paper" for h in hits)


def test_bm25_index_is_persisted_and_follows_ingest(tmp_path, embedder, seed_path):
    from ingest import ingest_sources

    settings = Settings(
        _env_file=None, chroma_path=tmp_path / "c", chroma_collection="lex", search_dense=False
    )
    eng = NewsEngine(settings, embedder=embedder)
    ingest_sources([str(seed_path)], eng.store, embedder, settings)
    assert eng.search(Query("Rubio guards Maduro spy agency"))
    saved = json.loads((tmp_path / "c" / "lexical" / "lex" / "ids.json").read_text())
    assert saved["generation"] == eng.store.generation() and len(saved["ids"]) > 3
    # A second process-like engine loads the same index; a new ingest makes it rebuild.
    other = NewsEngine(settings, embedder=embedder)
    assert other.lexical.current().ids == saved["ids"]
    bulk = tmp_path / "new.jsonl"
    bulk.write_text(
        json.dumps(
            {
                "title": "Zeppelin museum opens",
                "text": "A zeppelin museum opened in Friedrichshafen on Monday, its director said.",
                "url": "https://z.example/1",
            }
        ),
        encoding="utf-8",
    )
    ingest_sources([str(bulk)], eng.store, embedder, settings)
    hits = other.search(Query("zeppelin museum Friedrichshafen"))
    assert hits and hits[0].title == "Zeppelin museum opens"


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        pytest.param("Who won the 2030 World Cup?", marks=SEED_GAP),
        "What is the recipe for grandma's apple pie?",
    ],
)
def test_out_of_corpus_abstains(engine, question):
    answer = engine.ask(Query(question))
    assert answer.abstained and answer.text.startswith(ABSTAIN_TEXT)
    assert answer.citations == []


@SEED_GAP
@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("What did the Vellmark Ledger report about the library?", "library"),
        ("How long is the mourning, according to the Cuban government?", "mourning"),
    ],
)
def test_a_question_naming_a_source_is_answered(engine, question, word):
    answer = engine.ask(Query(question))
    assert not answer.abstained and word in answer.text, answer.text
