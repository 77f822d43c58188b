"""Who-said-what extraction on the seed article and on typical wire-copy patterns."""

from __future__ import annotations

import pytest

from ingest.attribution import extract_attributions
from ingest.loaders.text import parse_text_article


@pytest.fixture(scope="module")
def seed_attributions(request):
    from tests.conftest import shared

    path = shared("seed/cuba-officers-2026-01-07.txt")
    article = parse_text_article(path.read_text(encoding="utf-8"), str(path))
    return extract_attributions(article.text)


def _find(attributions, speaker_part, statement_part):
    return [
        a
        for a in attributions
        if speaker_part.lower() in a.speaker.lower() and statement_part in a.statement
    ]


@pytest.mark.parametrize(
    ("speaker", "statement"),
    [
        ("Cuban government", "death of 32 Cuban military personnel"),
        ("Donald Trump", "You know, a lot of Cubans were killed"),
        ("Marco Rubio", "All the guards that help protect Maduro"),
        ("official statement", "Faithful to their duties"),
        ("Megan Janetsky", "Associated Press reporters"),
        ("Darlene Superville", "Associated Press reporters"),
    ],
)
def test_seed_article_speakers(seed_attributions, speaker, statement):
    assert _find(seed_attributions, speaker, statement), [
        (a.speaker, a.statement[:50]) for a in seed_attributions
    ]


def test_cuban_government_confirmed(seed_attributions):
    (hit,) = _find(seed_attributions, "Cuban government", "32 Cuban")
    assert hit.cue == "confirmed"


@pytest.mark.parametrize(
    ("text", "speaker", "statement"),
    [
        ("“We will rebuild,” the mayor said on Monday.", "the mayor", "We will rebuild"),
        (
            "“Prices will fall,” said Jane Okafor, the bank's chief economist.",
            "Jane Okafor",
            "Prices will fall",
        ),
        ("Police confirmed that two people were hurt.", "Police", "two people were hurt"),
        ("The ministry denied the report.", "The ministry", "the report"),
        (
            "Turnout was high, according to election officials.",
            "election officials",
            "Turnout was high",
        ),
        (
            "A 7 percent raise was agreed, the Harbour Workers Union confirmed on Thursday.",
            "the Harbour Workers Union",
            "A 7 percent raise was agreed",
        ),
        ("The minister said on Monday that taxes would rise.", "The minister", "taxes would rise"),
        (
            "John Smith, a spokesman for the club, said the match would go ahead.",
            "John Smith",
            "the match would go ahead",
        ),
    ],
)
def test_common_patterns(text, speaker, statement):
    found = extract_attributions(text)
    assert any(a.speaker == speaker and statement in a.statement for a in found), found


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        (
            "Musk has said his goal in buying Twitter is to bolster “free speech,” but some "
            "worry that the new option could create a two-tiered system.",
            "his goal in buying Twitter is to bolster “free speech,”",
        ),
        (
            "The minister said taxes would rise, but critics say the plan will fail.",
            "taxes would rise",
        ),
        # The speaker's own qualification stays.
        (
            "The minister said prices would fall, but not until next year.",
            "prices would fall, but not until next year",
        ),
    ],
)
def test_a_reported_statement_stops_where_others_take_over(text, statement):
    found = [a for a in extract_attributions(text) if a.cue in ("said", "has said")]
    assert found and found[0].statement.rstrip(".") == statement, found


def test_no_attribution_in_plain_narrative():
    assert extract_attributions("The river rose two metres overnight. Roads were closed.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Musk tweeted a poll on Sunday asking if he should bring back Vine.",
        "Pelosi wrote an op-ed that published in The Washington Post after she landed.",
        "Rowling tweeted her support for Rushdie after he was injured on Friday.",
        "Meta CEO Mark Zuckerberg wrote a 1,300-word post on Facebook at the time.",
        # an act announced, not words ("What did Liz Truss say in her resignation speech?")
        "Prime Minister Liz Truss announces her resignation outside Number 10 on October 20.",
        "Rob Gronkowski announced his retirement Tuesday on social media.",
    ],
)
def test_a_thing_written_or_posted_is_no_statement(text):
    """ "Musk tweeted: a poll on Sunday asking ..." had answered "What did Musk say?"."""
    assert extract_attributions(text) == []


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        (
            "The judge wrote the order shouldn’t be read as a sign he will block it.",
            "the order shouldn’t be read as a sign he will block it",
        ),
        (
            "President Donald Trump tweeted the federal government would spare no expense.",
            "the federal government would spare no expense",
        ),
        (
            "Carole King tweeted a photo of Lynn at a piano, writing, “She was an inspiration.”",
            "She was an inspiration.",
        ),
        (  # "poll" names no thing here: a noun follows it
            "Rep. Debbie Lesko tweeted that a county poll worker in Sun City moved the lines.",
            "a county poll worker in Sun City moved the lines",
        ),
        ("Officials wrote the number of cases rose.", "the number of cases rose"),
        ("The company announced the death toll had risen to 12.", "the death toll had risen to 12"),
    ],
)
def test_words_written_or_tweeted_are_still_statements(text, statement):
    assert any(
        a.statement.rstrip(".") == statement.rstrip(".") for a in extract_attributions(text)
    ), extract_attributions(text)


def test_a_thing_tweeted_still_names_the_speaker_for_later_surnames():
    found = extract_attributions(
        "Rep. Debbie Lesko tweeted a photo of the line. Lesko tweeted that she had to leave."
    )
    assert [(a.speaker, a.statement) for a in found] == [
        ("Rep. Debbie Lesko", "she had to leave.")
    ], found
