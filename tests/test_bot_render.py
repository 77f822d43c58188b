"""Discord's limits hold by construction: property tests of the splitter and the embeds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_LIMIT,
    answer_replies,
    split_text,
)
from retrieval.answer import Answer
from retrieval.search.hits import Hit

LINK = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)")

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=30
)
links = st.builds(
    lambda label, path: f"[{label}](https://example.org/{path})",
    st.text(alphabet="abcdef ", min_size=1, max_size=20),
    st.text(alphabet="abcdefghij/-", min_size=1, max_size=60),
)
separators = st.sampled_from([" ", " ", " ", "\n", "\n\n", ". "])


@st.composite
def documents(draw) -> str:
    parts = draw(st.lists(st.one_of(words, links), min_size=1, max_size=400))
    seps = draw(st.lists(separators, min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps, strict=True))


@settings(max_examples=200, deadline=None)
@given(text=documents(), limit=st.integers(min_value=100, max_value=2000))
def test_split_never_exceeds_the_limit_nor_cuts_words_or_links(text, limit):
    pieces = split_text(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    # Nothing lost, nothing added, no word cut: the words are the same, in order.
    assert " ".join(pieces).split() == text.split()
    # Every link survives whole inside one piece.
    assert sum(len(LINK.findall(p)) for p in pieces) == len(LINK.findall(text))


def test_split_prefers_paragraphs_then_sentences():
    text = ("First sentence here. " * 30).strip() + "\n\n" + ("Second part goes on. " * 30)
    pieces = split_text(text, 700)
    assert pieces[0].endswith(".")  # never mid-sentence when a sentence end fits
    assert all(len(p) <= 700 for p in pieces)


def _hit(i: int, title: str = "T") -> Hit:
    meta = {
        "article_id": f"a{i}",
        "title": f"{title} {i}",
        "publisher": "Publisher " * 5,
        "url": f"https://example.org/{'x' * 150}/{i}",
        "published": "2026-01-07",
    }
    return Hit(passage_id=f"a{i}-0", text="passage", meta=meta)


@settings(max_examples=40, deadline=None)
@given(
    length=st.integers(min_value=0, max_value=20_000),
    sources=st.integers(min_value=0, max_value=60),
    title=st.text(min_size=0, max_size=400),
)
def test_answer_embeds_respect_every_limit(length, sources, title):
    text = ("word " * (length // 5 + 1))[:length]
    answer = Answer(question="q" * 600, text=text, abstained=False)
    answer.citations = [_hit(i, title) for i in range(sources)]
    replies = answer_replies(answer, searched=123_456)
    for reply in replies:
        embed = reply.embed
        assert len(embed) <= EMBED_TOTAL_LIMIT
        assert len(embed.title or "") <= 256
        assert len(embed.description or "") <= DESCRIPTION_LIMIT
        assert len(embed.fields) <= FIELDS_LIMIT
        assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in embed.fields)
    shown = " ".join(r.embed.description or "" for r in replies)
    assert shown.split() == text.split()
    listed = "\n".join(f.value for r in replies for f in r.embed.fields)
    assert listed.count("**[") == sources
    assert replies[-1].embed.footer.text.startswith("Searched 123,456 passages")


def _answer_first(short: str, sentences: list[str]) -> Answer:
    """An answer shaped as the engine composes one: the short answer in bold, then each
    supporting sentence with its credit and citation number."""
    cited = [_hit(n) for n in range(1, len(sentences) + 1)]
    support = [
        {"text": text, "passage_id": hit.passage_id, "n": n, "speaker": "Jane Roe"}
        for n, (text, hit) in enumerate(zip(sentences, cited, strict=True), start=1)
    ]
    lines = [
        f"{s['text']} (Jane Roe, {h.publisher}, Jan 7, 2026) [{s['n']}]"
        for s, h in zip(support, cited, strict=True)
    ]
    answer = Answer(
        question="Who bought it?",
        text=f"**{short}** — " + " ".join(lines),
        abstained=False,
        citations=cited,
    )
    answer.short_answer = short
    answer.support = support
    return answer


def test_answer_opens_with_the_short_answer_in_bold_and_article_markdown_escaped():
    answer = _answer_first(
        "Acme_Co *Holdings*", ["Acme_Co bought it for **$5m**.", "The deal ~closed~ on `Tuesday`."]
    )
    [reply] = answer_replies(answer, searched=10)
    body = reply.embed.description
    # Real bold around the answer; the answer's own markdown characters are shown as written.
    assert body.startswith("**Acme\\_Co \\*Holdings\\*** — ")
    # The supporting sentences' markdown is escaped as article text always is.
    assert "Acme\\_Co bought it for \\*\\*$5m\\*\\*." in body
    assert "The deal \\~closed\\~ on \\`Tuesday\\`." in body
    assert body.endswith("[2]")
    # Past the escaped characters, the only asterisks left are the two bold markers.
    assert re.sub(r"\\.", "", body).count("*") == 4


def test_text_without_a_short_answer_is_escaped_whole():
    # Abstentions, digests and small talk carry no short answer: any "**" in them is text.
    answer = Answer(question="q", text="**Not bold** — a *quoted* line.", abstained=False)
    [reply] = answer_replies(answer, searched=10)
    assert reply.embed.description == "\\*\\*Not bold\\*\\* — a \\*quoted\\* line."
