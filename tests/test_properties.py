"""Property-based tests: arbitrary bytes and strings never crash the extractors (they yield
articles or the project's own SourceError), and chunking never loses or duplicates text
beyond the declared overlap; the answer-kind rules read any sentence."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunker import Chunker, sentence_spans
from ingest.errors import SourceError
from ingest.loaders.text import parse_text_article
from ingest.sources import LoadOptions, load_bytes
from ingest.titles import without_site_suffix
from retrieval.answer.compose import short_form
from retrieval.question.analysis import analyse
from retrieval.reading.passages import Passage
from retrieval.reading.scorer import load_model, read
from retrieval.schema import Article, url_identity

FORMATS = [None, "text", "markdown", "html", "feed", "jsonl"]
OPTIONS = LoadOptions()

# Bytes that look a little like real inputs, so the parsers get past their first check.
SEEDS = [
    b"",
    b"<html><body><article><h1>T</h1><p>Body text here.</p></article></body></html>",
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title>'
    b"<description>b</description></item></channel></rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>a</title></entry></feed>',
    b'{"title": "t", "text": "Some text."}\n{"broken": ',
    b"---\ntitle: x\n---\n# Heading\n\nBody.",
    b"Headline\n\nJanuary 7, 2026\n\nBy Someone\n\nBody sentence one. Two.",
]

mutated = st.builds(
    lambda seed, cut, noise, where: (seed[:cut] + noise + seed[cut:])[:4000],
    st.sampled_from(SEEDS),
    st.integers(min_value=0, max_value=200),
    st.binary(max_size=200),
    st.integers(min_value=0, max_value=200),
)
any_bytes = st.one_of(st.binary(max_size=2000), mutated, mutated.map(gzip.compress))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=any_bytes, fmt=st.sampled_from(FORMATS))
def test_extractors_never_crash_on_arbitrary_bytes(data, fmt):
    try:
        items = list(load_bytes(data, "fuzz-input", fmt, "", None, OPTIONS))
    except SourceError as err:
        assert err.source == "fuzz-input" and "\n" not in str(err)
        return
    for item in items:
        assert isinstance(item, Article | SourceError)
        if isinstance(item, Article):
            assert item.text.strip()  # an article always has text
        else:
            assert "\n" not in str(item)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=3000), fmt=st.sampled_from(["text", "markdown", "html", "jsonl"]))
def test_extractors_never_crash_on_arbitrary_strings(text, fmt):
    try:
        items = list(
            load_bytes(text.encode("utf-8", "surrogatepass"), "s", fmt, "", "utf-8", OPTIONS)
        )
    except SourceError:
        return
    assert all(isinstance(i, Article | SourceError) for i in items)


def _words_counter(texts: list[str]) -> list[int]:
    """A stand-in tokenizer for the property: one token per word or punctuation mark."""
    import re

    return [len(re.findall(r"\w+|[^\w\s]", t)) + 2 for t in texts]


sentences = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=300,
    ),
    min_size=1,
    max_size=40,
)


@pytest.mark.parametrize("overlap", [0, 1, 2])
@settings(max_examples=120, deadline=None)
@given(parts=sentences, target=st.integers(min_value=16, max_value=200))
def test_chunking_keeps_every_sentence_once_plus_the_overlap(parts, target, overlap):
    text = " ".join(parts)
    chunker = Chunker(
        _words_counter, max_tokens=256, target_tokens=target, overlap_sentences=overlap
    )
    sents = sentence_spans(text)
    spans = chunker.run(text, sentences=sents)
    if not sents:
        assert spans == []
        return
    # Every sentence's text is inside some passage (long ones cut at words, never dropped).
    covered = [False] * len(text)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        for i in range(s.start, s.end):
            covered[i] = True
    for sent in sents:
        assert all(covered[i] or text[i].isspace() for i in range(sent.start, sent.end))
    # In order, each passage within the model window, and neighbours share at most the
    # declared overlap (in sentences) and never more.
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert all(_words_counter([text[s.start : s.end]])[0] <= 256 for s in spans)
    for a, b in zip(spans, spans[1:], strict=False):
        shared = [x for x in sents if x.start >= b.start and x.end <= a.end]
        assert len(shared) <= overlap
        if overlap == 0:
            assert b.start >= a.end


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="abz/._-?=&#%:", max_size=30),
    st.sampled_from(["", "/", "/index.html", "/index.html/", "?utm_source=x", "#frag"]),
)
def test_url_identity_is_stable_and_ignores_link_dressing(path, dressing):
    """The identity of an identity is itself (else re-ingesting stored links would swap
    articles), and an index page, trailing slash, tracking tag or fragment does not change
    which article a link names."""
    url = "https://news.example/" + path
    assert url_identity(url_identity(url)) == url_identity(url)
    if "#" not in path and "?" not in path:
        assert url_identity(url + dressing) == url_identity(url)


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=40),
    st.one_of(st.text(max_size=30), st.text(alphabet="htps:/[]@%.x-", max_size=20)),
)
def test_titles_and_links_of_any_shape_never_crash_ingest(title, site):
    """A JSON record's "url" is whatever its writer put there ("http://[bad" had stopped the
    whole ingest run with a ValueError)."""
    without_site_suffix(title, site, "http://" + site)
    assert Article(title=title, text="x", source="s", url="http://" + site).article_id


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["title", "url", "published", "authors", "source", "publisher"]),
        json_values,
    )
)
def test_json_records_with_fields_of_any_type_load_or_fail_their_line(fields):
    """Records written by other tools: any JSON value in any metadata field is either read
    or that line's one-line error ("authors": 5 had stopped the whole run)."""
    import json

    record = {"text": "The ferry sailed again on Friday. Crews were back.", **fields}
    line = json.dumps(record, allow_nan=True).encode()
    items = list(load_bytes(line, "r.jsonl", "jsonl", "", "utf-8", OPTIONS))
    assert len(items) == 1
    item = items[0]
    if isinstance(item, SourceError):
        assert item.source == "r.jsonl:1" and "\n" not in item.reason
    else:
        assert isinstance(item.title, str) and all(isinstance(a, str) for a in item.authors)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["title", "date", "published", "author", "authors", "url", "publisher"]),
    st.text(alphabet="0123456789-:.,[]{}!&*'\" abcTZ", max_size=25),
)
def test_front_matter_values_of_any_shape_load_or_fail_clearly(key, value):
    """YAML reads "2026-13-45" as a date and raises ValueError, not YAMLError: any value in a
    front matter field gives an article or that file's one-line error."""
    text = f"---\n{key}: {value}\n---\nThe bridge reopened on Sunday. Traffic resumed.\n"
    try:
        article = parse_text_article(text, "fm.md")
    except SourceError as err:
        assert err.source == "fm.md" and "\n" not in err.reason
        return
    assert isinstance(article.title, str) and all(isinstance(a, str) for a in article.authors)


_QUESTIONS = [
    "Who shot Shinzo Abe?",
    "How many people died in the crush?",
    "How old was the queen?",
    "When are the midterms?",
    "why is everyone talking about the queen",
    "What is it?",
]
_SENTENCE_PIECES = st.sampled_from(
    [
        "Hadi Matar,",
        "24,",
        "is accused",
        "“where’s",
        "Nancy”",
        ", who fled,",
        "the suspect",
        "in Nara",
        "said",
        "Nov. 8",
        "the number of dead",
        "154,",
        "18-year-old",
        "(1979-1990)",
        "since 1979",
        '"',
        "–",
        "",
        "  ",
        "...",
        "A",
        "identified",
        "pleaded",
        "with",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(st.text(max_size=200), st.lists(_SENTENCE_PIECES, max_size=20).map(" ".join)),
    st.sampled_from(_QUESTIONS),
)
def test_the_reader_reads_any_sentence(sentence, question):
    """The reader's stages run on every retrieved sentence: none may fail on odd text, and
    every candidate found is traced to a sentence it was read from."""
    model = load_model()
    q = analyse(question)
    passage = Passage(sentence, "", "a", 0)
    result = read(q, [passage], 1672876800, model)
    for scored in result.ranked:
        assert scored.candidate.key and 0 <= scored.sentence < len(result.reading.sentences)
        assert isinstance(short_form(scored.candidate.text), str)
    assert 0.0 <= result.confidence <= 1.0
