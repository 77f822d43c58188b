"""The engine over the seed article (and the fictional samples): answers, citations, filters."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import numpy as np
import pytest

from retrieval.answer import ABSTAIN_TEXT, leans_back, quoted_in, refers_back
from retrieval.engine import EmptyStoreError, NewsEngine
from retrieval.question.query import Query, names_outlet
from retrieval.settings import Settings


@pytest.fixture
def engine(seed_engine) -> NewsEngine:
    return seed_engine


def _verbatim(answer) -> None:
    """Every sentence is in a cited passage; an attribution frame's parts are too."""
    passages = " ".join(" ".join(c.text.split()) for c in answer.citations)
    body = re.sub(r"\s*\[\d+\]", "\n", answer.text)
    for piece in filter(None, (p.strip() for p in body.split("\n"))):
        if piece.startswith("(") and piece.endswith(".)"):
            continue  # the resolved weekday note
        if " ".join(piece.split()) in passages:
            continue
        # An attribution: "<speaker> <cue>: “<quote>”", or without quotation marks when the
        # article reports the statement rather than quoting it.
        frame = re.match(r"(.+?): (“?)(.*?)(”?)$", piece)
        assert frame, piece
        head, opening, statement, _ = frame.groups()
        assert all(w.lower() in passages.lower() for w in head.split()), head
        assert " ".join(statement.split()) in passages, statement
        assert bool(opening) == quoted_in(passages, statement), piece


def test_canonical_question(engine):
    answer = engine.ask(Query("Who confirmed the casualties?"))
    assert not answer.abstained
    first = answer.text.split("[1]")[0]
    # "..., as confirmed by the Cuban government on Sunday.": the day stays with the speaker.
    assert first.startswith("The Cuban government confirmed on Sunday: ")
    assert "Cuban state television" in answer.text
    assert answer.text.endswith("(Sunday was January 4, 2026.)")  # from the article's date
    cited = answer.citations[0]
    assert cited.title.startswith("Breaking News: 32 Cuban Officers")
    assert cited.published == "2026-01-07" and cited.publisher == "Associated Press"
    _verbatim(answer)


def test_what_did_trump_say(engine):
    answer = engine.ask(Query("What did Trump say about the deaths?"))
    assert answer.text.count("You know, a lot of Cubans were killed yesterday") == 1
    assert answer.text.startswith("President Donald Trump commented: “You know")
    # His sentence's "on Sunday night" is not quoted, so no note says which date Sunday was.
    assert "was January" not in answer.text
    # The broadcast is how the Cuban government announced the deaths, not how Trump spoke.
    assert "state television" not in answer.text
    _verbatim(answer)


def test_rubio_by_speaker_phrasing(engine):
    answer = engine.ask(Query("What did Rubio say?"))
    assert "All the guards that help protect Maduro" in answer.text
    _verbatim(answer)


def test_national_mourning(engine):
    answer = engine.ask(Query("How long is the national mourning?"))
    assert "two days of national mourning" in answer.text
    _verbatim(answer)


@pytest.mark.parametrize(
    "question",
    [
        "What is the capital of France?",
        "Who won the 2030 World Cup?",
        "What is the recipe for grandma's apple pie?",
    ],
)
def test_out_of_corpus_abstains(engine, question):
    answer = engine.ask(Query(question))
    assert answer.abstained and answer.text.startswith(ABSTAIN_TEXT)
    assert answer.citations == []


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
    assert not answer.abstained and "library" in answer.text, answer.text
    assert {h.publisher for h in answer.retrieved} == {"The Vellmark Ledger (fictional)"}
    answer = engine.ask(Query("How long is the mourning, according to the Cuban government?"))
    assert not answer.abstained and len({h.publisher for h in answer.retrieved}) > 1


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


def test_json_shape(engine):
    data = engine.ask(Query("Who confirmed the casualties?", k=5)).as_json()
    assert set(data) >= {"question", "answer", "abstained", "citations", "retrieved", "timings_ms"}
    assert isinstance(data["abstained"], bool) and 1 <= len(data["retrieved"]) <= 5
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


def test_quotation_marks_only_for_what_was_quoted():
    text = (
        "Over the weekend, 32 officers died, as confirmed by the Cuban government on Sunday. "
        "Trump said, “You know, a lot of Cubans were killed yesterday.”"
    )
    assert quoted_in(text, "You know, a lot of Cubans were killed yesterday.")
    assert not quoted_in(text, "Over the weekend, 32 officers died")


def _one_article_engine(tmp_path, embedder, title: str, text: str) -> NewsEngine:
    """An engine over one article of our own, ingested through the real pipeline."""
    from ingest import ingest_sources

    settings = Settings(_env_file=None, chroma_path=tmp_path / "c", chroma_collection="one")
    eng = NewsEngine(settings, embedder=embedder)
    path = tmp_path / "one.jsonl"
    record = {"title": title, "text": text, "published": "2024-07-01"}
    path.write_text(json.dumps(record), encoding="utf-8")
    assert ingest_sources([str(path)], eng.store, embedder, settings).articles_added == 1
    return eng


def _answer_from_one_article(tmp_path, embedder, title: str, text: str, question: str):
    """The answer to a question over that one article; it must not abstain."""
    answer = _one_article_engine(tmp_path, embedder, title, text).ask(Query(question))
    assert not answer.abstained, answer.text
    return answer


def test_a_described_answer_brings_the_sentence_that_names_it(tmp_path, embedder):
    """ "The company is cutting its air conditioning" answers "which company" only with the
    sentence before it, which says who the company is."""
    named = "Harwick Home Goods has had a difficult year on the high street."
    described = (
        "The company is turning off the air conditioning in its stores to save money as "
        "sales fall, employees said on Tuesday."
    )
    story = f"{named} {described} Shoppers have complained about the heat in several branches."
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Retailer cuts costs",
        story,
        "Which company is turning off the air conditioning to save money?",
    )
    assert answer.text.startswith(f"{named} [1] {described} [1]"), answer.text
    _verbatim(answer)


def test_refers_back_only_to_a_description_without_its_name():
    question = "Which late Supreme Court justice will be featured on a stamp?"
    assert refers_back("The justice will be honoured with a stamp next year.", question)
    assert not refers_back(
        "The late Supreme Court Justice Ruth Ginsburg will be honoured.", question
    )
    assert not refers_back("Ruth Ginsburg will be honoured with a stamp.", question)
    assert not refers_back("The justice will be honoured.", "How much does a stamp cost?")


def test_headings_are_not_answer_sentences(tmp_path, embedder):
    """A subheading matches a question's words well but states nothing: it is never quoted."""
    heading = "Bridge reopening plans for the coming spring season"
    fact = "The Selwick bridge will reopen in May after repairs to its deck, the council said."
    story = f"Repairs began in January.\n{heading}\n{fact} Traffic will be limited at first."
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Selwick bridge works",
        story,
        "What are the bridge reopening plans for the spring?",
    )
    assert heading not in answer.text and fact in answer.text, answer.text


def test_a_headline_that_names_the_answer_is_quoted_and_cited(tmp_path, embedder):
    """The passages describe the final without naming the winner; the headline does. The
    citation carries the headline, so the answer is still found in what it cites."""
    title = "Harbour Kestrels win first Tidewater Cup title since 2001"
    story = (
        "The team’s only loss of the final came against the Marlins in Game 3 on Tuesday. "
        "Their nine road wins set a record for the league’s playoffs. "
        "Fans celebrated in the streets of Port Aster late into Sunday night."
    )
    answer = _answer_from_one_article(
        tmp_path, embedder, title, story, "Which team won the Tidewater Cup final?"
    )
    assert f"{title} [1]" in answer.text, answer.text
    assert answer.citations[0].text.startswith(title)
    assert answer.as_json()["citations"][0]["passage"].startswith(title)
    _verbatim(answer)


def test_a_teaser_headline_is_not_an_answer_to_which(tmp_path, embedder):
    """ "Vellmark's favourite condiment is running out" matches "which condiment?" closely
    and names none: a headline must offer the kind of answer asked for."""
    title = "Vellmark’s favourite condiment is running out on supermarket shelves"
    story = (
        "Mustard has vanished from supermarket shelves in Vellmark after a poor seed harvest. "
        "Shoppers are angry, and some stores limit buyers to one jar each."
    )
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        title,
        story,
        "Which condiment are Vellmark supermarkets struggling to stock?",
    )
    assert title not in answer.text and "Mustard" in answer.text, answer.text


def test_a_question_in_the_article_is_not_an_answer(tmp_path, embedder):
    """Articles ask rhetorical questions that match the reader's question closely."""
    asked = "So why do Vellmark drivers still have to wait for an attendant to pump their gas?"
    story = (
        f"{asked} A 1949 state law bans self-service stations, citing the risk of fire. "
        "Attendants must fill every tank, and the fine for pumping your own is 500 dollars."
    )
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Full service only",
        story,
        "Why can't drivers in Vellmark pump their own gas?",
    )
    assert asked not in answer.text, answer.text


def test_a_headline_asking_a_question_is_not_quoted(tmp_path, embedder):
    """A headline with a question in it ("When is Eid al-Adha 2022 in the USA? How the
    holiday is celebrated") teases; it answers nothing, wherever its question mark is."""
    title = "Which towns get the Tidewater rebate? Port Aster explains its new plan"
    story = (
        "The council said on Monday that Selwick and Marrow Bay will receive the rebate first. "
        "Households there will get 200 dollars each before the winter."
    )
    answer = _answer_from_one_article(
        tmp_path, embedder, title, story, "Which towns will get the Tidewater rebate?"
    )
    assert "Port Aster explains" not in answer.text and "Selwick" in answer.text, answer.text


def test_signposts_and_teaser_tails_are_not_quoted(tmp_path, embedder):
    """ "We're taking a look at what happened" and a headline's "Here's what we know" point
    at news without stating it; the headline's statement before its tail may be quoted."""
    title = "Port Aster ferry strike ends after three weeks. Here's what we know"
    signpost = "We're taking a look at what happened with the Port Aster ferry strike."
    story = (
        f"{signpost} Crews returned to work on Monday under a new pay deal, the union said. "
        "Timetables will be back to normal by the weekend, according to the operator."
    )
    answer = _answer_from_one_article(
        tmp_path, embedder, title, story, "What happened with the Port Aster ferry strike?"
    )
    assert signpost not in answer.text and "Here's what" not in answer.text, answer.text
    assert "Port Aster ferry strike ends after three weeks [1]" in answer.text, answer.text
    _verbatim(answer)


def test_a_why_question_is_answered_with_the_cause(tmp_path, embedder):
    """A headline that restates the event answers no "why"; the sentence giving the cause
    does."""
    title = "Selwick bridge shut to all traffic"
    story = (
        "The Selwick bridge was shut to all traffic on Monday morning. "
        "Drivers face a twenty-minute detour through the town centre. "
        "Engineers closed the bridge because they found cracks in two of its steel cables. "
        "Bus routes 4 and 9 will be diverted until further notice."
    )
    answer = _answer_from_one_article(
        tmp_path, embedder, title, story, "Why was the Selwick bridge closed?"
    )
    assert answer.text.startswith("Engineers closed the bridge because"), answer.text
    assert title not in answer.text, answer.text
    _verbatim(answer)


def test_a_digest_section_about_something_else_does_not_answer(tmp_path, embedder):
    """A digest's title names every topic and is embedded with each of its passages; a
    section naming none of the question's names had led the answer with "the first time that
    had happened" for "What happened in Uvalde?" (here: Selwick)."""
    title = "Five things to know for July 18: Selwick, Vellmark, heat"
    streaming = (
        "The streaming giant reported that it lost subscribers in the first quarter, the first "
        "time that had happened in more than a decade. Its shares subsequently plummeted, "
        "wiping out billions in market value. Soon after, the company laid off hundreds of "
        "employees. A weak outlook for the second quarter shocked investors: the company "
        "predicted it would lose another two million subscribers in the spring. Analysts expect "
        "the firm to launch a cheaper plan with advertising before the end of the year, and "
        "rivals have already cut their prices to win customers. The company will report its "
        "second-quarter earnings on Tuesday, one of the most consequential moments in its "
        "twenty-five-year history, and investors will watch its subscriber numbers closely."
    )
    bridge = (
        "A council inquiry published a preliminary report on Sunday outlining failures by the "
        "agencies that responded to the bridge collapse in Selwick. The report described an "
        "overall lackadaisical approach by nearly 400 officers. According to the report, "
        "officials share a systemic responsibility for waiting more than an hour before closing "
        "the road to traffic. The report was first made available to the families of the "
        "injured, who had asked for months to see it. Council members said they would debate "
        "its recommendations at a special meeting, and the county sheriff said his department "
        "would review its procedures for emergencies on the river crossings."
    )
    heat = (
        "Temperatures across the region are forecast to pass 35 degrees this week, and "
        "officials urged residents to check on elderly neighbours and keep pets indoors."
    )
    eng = _one_article_engine(tmp_path, embedder, title, f"{streaming}\n{bridge}\n{heat}")
    assert eng.store.count_passages() >= 3  # a passage or more per section
    answer = eng.ask(Query("What happened in Selwick?"))
    assert not answer.abstained
    assert answer.text.startswith("A council inquiry published a preliminary report"), answer.text
    _verbatim(answer)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("Who is Dana Whitlock?", "The team's coach, Dana Whitlock"),
        ("What did Dana Whitlock say?", "the students built it in eleven weeks"),
    ],
)
def test_a_local_name_the_passage_states_is_answered(engine, question, said):
    """The bi-encoder makes nothing of a local coach's name (similarity ~0): the passage
    stating the name in full is the evidence, and the question is not abstained on."""
    answer = engine.ask(Query(question))
    assert not answer.abstained, answer.confidence
    assert said in answer.text, answer.text
    assert answer.citations[0].title == "Northfield school wins robotics final"
    _verbatim(answer)


def test_a_headline_that_repeats_the_answer_is_left_out(engine):
    """ "Port Aster ferry service resumes after three-week strike" says nothing the lead
    ("... sailed again on Friday after crews ended a three-week strike ...") has not."""
    answer = engine.ask(Query("whats new with the ferry"))
    assert not answer.abstained
    assert answer.text.startswith("Ferries between Port Aster"), answer.text  # no dateline
    assert answer.text.count("three-week strike") == 1, answer.text
    _verbatim(answer)


def test_a_how_many_answer_leads_with_the_part_giving_a_number(tmp_path, embedder):
    """The best-matching sentence restates the question's event without its toll; the
    sentence that gives the toll leads instead (nothing else about the answer changes)."""
    mourning = (
        "Families gathered on Saturday to mourn the people who died in the Selwick ferry "
        "accident, their second vigil in as many weeks."
    )
    toll = (
        "The ferry capsized near the harbour mouth, where eleven passengers and a crew member "
        "were killed last week."
    )
    story = f"{mourning} {toll} Investigators are examining the ferry’s ballast records."
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Selwick mourns ferry victims",
        story,
        "How many people died in the Selwick ferry accident?",
    )
    assert answer.text.startswith(f"{toll} [1]"), answer.text
    assert mourning in answer.text, answer.text
    _verbatim(answer)


@pytest.mark.parametrize(
    "question",
    [
        "What did Trump say about the deaths?",  # the speaker filter reads the capital
        "Who is Dana Whitlock?",  # the named-evidence confidence reads the capitals
        "What did Dana Whitlock say?",
        "Who confirmed the casualties?",
    ],
)
def test_a_question_typed_without_case_is_answered_as_if_cased(engine, question):
    """Discord users often type in lower case, or in capitals; the names are read as the
    passages write them."""
    cased = engine.ask(Query(question))
    assert not cased.abstained
    for typed in (question.lower(), question.upper()):
        answer = engine.ask(Query(typed))
        assert answer.text == cased.text, typed
        assert answer.question == typed  # shown as asked


TREATY = (
    "The Norwegian ambassador said on Monday that the fisheries treaty would be signed in "
    "Bergen before the summer. “This treaty protects the cod stocks for a generation,” the "
    "ambassador told reporters. Negotiators from five countries spent two years on the text."
)


def test_a_name_the_news_never_wrote_abstains_typed_without_case(tmp_path, embedder):
    """No dictionary knows "zorblaxian" and no passage resembles it: it is a name the news
    does not know, read as when typed "Zorblaxian". In lower case it had been answered with
    the Norwegian ambassador's words."""
    eng = _one_article_engine(tmp_path, embedder, "Fisheries treaty to be signed", TREATY)
    assert not eng.ask(Query("What did the Norwegian ambassador say about the treaty?")).abstained
    asked = "What did the Zorblaxian ambassador say about the treaty?"
    for typed in (asked, asked.lower(), asked[:1] + asked[1:].lower(), asked.upper()):
        assert eng.ask(Query(typed)).abstained, typed
    # A word the dictionary knows is no name: it may be how the asker puts what the
    # article says otherwise.
    assert not eng.ask(Query("what did the foreign ambassador say about the treaty?")).abstained


@pytest.mark.parametrize(
    "typed",
    [
        "Who confirmed the casulties?",  # misspelt: no passage writes it, one writes it right
        "who confirmed the casulties?",
        "Who confirmed the casualites?",
    ],
)
def test_a_misspelt_word_is_read_as_the_passages_write_it(engine, typed):
    """The misspelling had abstained: BM25 knows no "casulties" and the bi-encoder's
    similarity fell below the threshold."""
    answer = engine.ask(Query(typed))
    assert not answer.abstained, answer.confidence
    assert answer.text.startswith("The Cuban government confirmed on Sunday: "), answer.text
    assert answer.question == typed  # shown as asked


def test_a_dictionary_word_typed_without_case_is_no_name(engine):
    """ "verified" is not in the article, but it is a word, not a name the news must state."""
    answer = engine.ask(Query("who verified the casualties?"))
    assert not answer.abstained, answer.confidence
    assert "Cuban" in answer.text, answer.text


def test_a_yes_no_question_leads_with_a_statement_not_a_quoted_opinion(tmp_path, embedder):
    """ "Did Biden cancel student debt?" had led with an advocate's quote about Biden's
    authority to cancel student debt; the statement that he did came second."""
    opinion = (
        "“The council can and should approve the new ferry timetable, and it should approve "
        "the timetable now,” campaigner Ruth Pell said."
    )
    statement = "On Tuesday the council voted nine to two for the new ferry timetable."
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Gull Island council meets",
        f"{opinion} {statement} Sailings will run every 40 minutes from May.",
        "Did the council approve the new ferry timetable?",
    )
    assert answer.text.startswith(f"{statement} [1]"), answer.text
    assert opinion in answer.text, answer.text  # still said, after the statement
    _verbatim(answer)


def test_an_answer_does_not_lead_with_a_sentence_leaning_on_one_before(tmp_path, embedder):
    """ "Is the railroad strike still happening?" had led with "But it's good news for a wide
    range of businesses ..."; the sentence that reads on its own now leads."""
    leaning = (
        "But the reopening of the Harwick flour mill came too late for the workers who had "
        "already left town."
    )
    alone = (
        "The Harwick flour mill reopened on Monday with half of its former staff after a "
        "six-month closure."
    )
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Harwick mill reopens",
        f"{alone} {leaning} The owners plan a second shift in the autumn.",
        "What happened with the reopening of the Harwick flour mill?",
    )
    assert answer.text.startswith(f"{alone} [1]"), answer.text
    assert leaning in answer.text, answer.text  # still said, second
    _verbatim(answer)


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("But it’s good news for a wide range of businesses.", True),
        ("They are dropping a new single on Friday.", True),
        ("That’s the percentage of power stations destroyed.", True),
        ("Meanwhile, several roads have been washed out.", True),
        ("It was a good morning for the cast.", True),
        ("This week, the European Union took an unusual step.", False),
        ("So far, 22 people have died.", False),
        ("Then-President Donald Trump tweeted at 1 a.m.", False),
        ("Butte County officials ordered evacuations.", False),
        ("Theresa May also first became prime minister without an election.", False),
    ],
)
def test_leans_back(sentence, leans):
    assert leans_back(sentence) is leans


def test_what_happened_is_answered_with_the_news_not_a_quotation(tmp_path, embedder):
    """ "What happened to Salman Rushdie?" was answered with three quotations praising him
    (his name twice in each matched best), none saying he was attacked."""
    praise = (
        "“Ines Calder is the finest poet of her generation, and Ines Calder will be back on "
        "stage before long,” her publisher Tom Abel said."
    )
    fact = "Calder fell from the stage during a reading in Dunmore on Saturday and broke her hip."
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Poet Ines Calder injured in fall",
        f"{praise} {fact} The festival cancelled its remaining readings.",
        "What happened to Ines Calder?",
    )
    assert answer.text.startswith((fact, "Poet Ines Calder injured in fall [1]")), answer.text
    # The headline outscores the fact by more than the answer's gap; it is told all the same.
    assert fact in answer.text, answer.text
    _verbatim(answer)


def test_a_name_with_a_one_letter_part_must_be_stated_whole(tmp_path, embedder):
    """ "Where did the Club Q shooting happen?" was answered from another club's shooting:
    "Club" alone was taken for the name, and every club story states it."""
    engine = _one_article_engine(
        tmp_path,
        embedder,
        "Two hurt in shooting at Marlow Club",
        "Two people were hurt in a shooting at the Marlow Club in Dunmore late on Saturday, "
        "police said. The club will stay closed while officers investigate the shooting.",
    )
    assert engine.ask(Query("Where did the Club Q shooting happen?")).abstained
    assert not engine.ask(Query("Where did the Marlow Club shooting happen?")).abstained


def test_a_quotation_credit_is_quoted_without_its_dash(tmp_path, embedder):
    """A roundup credits a quotation on a line of its own ("– Republican Gov. Brian Kemp,
    speaking at ..."); the answer quotes what follows the dash, which opens no statement."""
    credit = (
        "Republican Gov. Ada Kestrel, speaking at the Marlow governor’s debate on Monday "
        "about her challenger, Democrat Tomas Reyne."
    )
    story = f"“I will keep taxes low for every family in this state.”\n– {credit}\nPolls open soon."
    answer = _answer_from_one_article(
        tmp_path, embedder, "Debate night", story, "Who is running for governor of Marlow?"
    )
    assert f"{credit} [1]" in answer.text and "– " not in answer.text, answer.text
    _verbatim(answer)


def test_who_attacked_is_answered_with_the_suspect_not_the_reactions(tmp_path, embedder):
    """ "Who attacked Paul Pelosi?" had been answered with officials' reactions, which name the
    victim and the attack and match best; the sentence naming the suspect names neither."""
    filler = "The council building will stay closed on Monday while staff are offered support. "
    reactions = [
        "Mayor Ines Calder called the attack on Mara Velde “a cowardly act” on Saturday.",
        "Governor Tomas Reyne said he was shocked by the attack on Mara Velde.",
        "Mara Velde’s spokesman, Piet Oren, said she was recovering after the attack.",
        "“The attack on Mara Velde is an attack on all of us,” council member Lena Gros said.",
        "Mara Velde, 61, has served on the Dunmore council for twenty years.",
        "Colleagues of Mara Velde lit candles outside the hospital after the attack.",
        "The attack on Mara Velde came a week before the council votes on the harbour plan.",
    ]
    suspect = "Police identified 35-year-old Karl Brenner as the suspect in the attack."
    paragraphs = [r + " " + filler * 5 for r in reactions]
    paragraphs.insert(5, f"{suspect} He was arrested two streets away, the police chief said.")
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Councillor Mara Velde attacked outside her home",
        "\n\n".join(paragraphs),
        "Who attacked Mara Velde?",
    )
    assert answer.text.startswith(f"{suspect} [1]"), answer.text
    _verbatim(answer)


def test_a_sentence_about_years_long_gone_does_not_answer_about_now(tmp_path, embedder):
    """ "When did Queen Elizabeth die?" had been answered with "... Princess Margaret, died in
    her sleep at age 71 in February 2002" too: a timeline's background, not the news."""
    past = "Ines Calder’s brother, the painter Tomas Calder, died in his sleep in February 1998."
    now = "Ines Calder died on Sunday at her home in Dunmore, her publisher said."
    engine = _one_article_engine(
        tmp_path,
        embedder,
        "Poet Ines Calder dies at 88",
        f"{past} {now} She wrote eleven books of poems and taught at the Dunmore school.",
    )
    answer = engine.ask(Query("When did Ines Calder die?", as_of=datetime(2024, 7, 2)))
    assert answer.text.startswith(now), answer.text
    assert past not in answer.text, answer.text
    # Asked about that year, the sentence is the answer again.
    answer = engine.ask(Query("Who in the Calder family died in 1998?", as_of=datetime(2024, 7, 2)))
    assert past in answer.text, answer.text


@pytest.mark.parametrize("dateline", ["(CNN) ", "DUNMORE, Marlow (AP) — ", "DUNMORE -- "])
def test_an_answer_quotes_the_statement_without_the_articles_dateline(tmp_path, embedder, dateline):
    """ "(CNN) US House Speaker Nancy Pelosi landed in Taipei ...", "NEW YORK — Target is
    canceling orders ...": the dateline is the article's, not the statement's."""
    statement = "The Marlow ferry crews walked out on Monday over a pay dispute."
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Ferry crews strike",
        f"{dateline}{statement} Services will not run until Thursday.",
        "Why did the Marlow ferry crews walk out?",
    )
    assert answer.text.startswith(f"{statement} [1]"), answer.text
    _verbatim(answer)


@pytest.mark.parametrize(
    ("question", "abstains"),
    [
        # The article is about Venezuela, but not about an earthquake or a bridge there.
        ("How many people died in the Venezuela earthquake?", True),
        ("What caused the Havana bridge collapse?", True),
        ("How many Cuban officers died in the Venezuela operation?", False),
    ],
)
def test_a_named_event_the_store_lacks_abstains(engine, question, abstains):
    answer = engine.ask(Query(question))
    assert answer.abstained is abstains, answer.text
    if not abstains:
        assert "32" in answer.text
    elif "earthquake" in question:  # it says what it has no report of
        assert answer.text.startswith(
            f"{ABSTAIN_TEXT} Nothing I have reports the Venezuela earthquake."
        ), answer.text


def test_a_how_many_answer_keeps_a_place_for_the_number(tmp_path, embedder):
    """ "How many people died in the Itaewon crush?" had been answered with three sentences
    describing the scene; the toll ("the number of dead climbed to 154") was seventh."""
    answer = _answer_from_one_article(
        tmp_path,
        embedder,
        "Marlow harbour crush: what we know",
        "Onlookers, police and paramedics gather where people collapsed in the crush in the "
        "Marlow harbour district. Known for its festival, Marlow harbour draws crowds of people "
        "every autumn. Crowds of people packed the narrow lanes of Marlow harbour before the "
        "crush. Many of the people at Marlow harbour were visitors. Through Sunday, the number "
        "of dead climbed to 41, with dozens more injured in the Marlow crush. A woman holds a "
        "candle near the harbour.",
        "How many people died in the Marlow harbour crush?",
    )
    assert "climbed to 41" in answer.text, answer.text
    _verbatim(answer)


def test_a_story_asked_again_reuses_its_sentence_vectors(seed_engine, monkeypatch):
    """Embedding an answer's candidate sentences is most of its time: asked again, or followed
    up, the same story's sentences come from the engine's cache, with the same vectors."""
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
    sentences = [t for t in encoded if t != "Who confirmed the casualties?"]
    assert len(sentences) >= 5
    encoded.clear()
    again = engine.ask(Query("Who confirmed the casualties?"))
    assert encoded == [] and again.text == first.text
    follow_up = engine.ask(Query("Who announced the casualties on television?"))
    assert not follow_up.abstained
    assert encoded == ["Who announced the casualties on television?"]
    cached = engine.embed_cached(sentences)
    assert np.allclose(cached, encode(sentences), atol=1e-5)
