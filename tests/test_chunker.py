"""Passages: whole sentences, within the model's window, covering the text in order."""

from __future__ import annotations

from ingest.chunker import Chunker, sentence_spans
from ingest.loaders.text import parse_text_article
from tests.conftest import shared


def _bbc_text(n: int = 12) -> list[str]:
    folder = shared("bbc/business")
    return [
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))[:n]
    ]


def test_passages_fit_the_model_and_cover_every_sentence(embedder):
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens, target_tokens=160)
    for raw in _bbc_text():
        title, _, body = raw.partition("\n")
        spans = chunker.run(body, prefix=title)
        texts = [f"{title}\n{body[s.start : s.end]}" for s in spans]
        assert max(embedder.count_tokens(texts)) <= embedder.max_tokens
        covered = set()
        for s in spans:
            covered.update(range(s.start, s.end))
        for sent in sentence_spans(body):
            assert sent.start in covered and sent.end - 1 in covered
        starts = [s.start for s in spans]
        assert starts == sorted(starts)


def test_overlap_is_one_sentence(embedder):
    chunker = Chunker(
        embedder.count_tokens, embedder.max_tokens, target_tokens=64, overlap_sentences=1
    )
    body = " ".join(
        f"Sentence number {i} says something about the council budget." for i in range(30)
    )
    spans = chunker.run(body)
    assert len(spans) > 3
    sentences = sentence_spans(body)
    for a, b in zip(spans, spans[1:], strict=False):
        shared_sentences = [
            s
            for s in sentences
            if a.start <= s.start and s.end <= a.end and b.start <= s.start and s.end <= b.end
        ]
        assert len(shared_sentences) == 1


def test_overlong_sentence_is_split_not_truncated(embedder):
    chunker = Chunker(embedder.count_tokens, embedder.max_tokens)
    body = "word " * 900 + "end."
    spans = chunker.run(body.strip())
    assert len(spans) >= 4
    assert all(
        embedder.count_tokens([body[s.start : s.end]])[0] <= embedder.max_tokens for s in spans
    )
    assert body.strip().endswith(body[spans[-1].start : spans[-1].end][-8:])


def test_seed_sentences_do_not_merge_headings(seed_path):
    article = parse_text_article(seed_path.read_text(encoding="utf-8"), str(seed_path))
    for s in sentence_spans(article.text):
        assert "\n" not in article.text[s.start : s.end]


def test_name_titles_do_not_end_sentences():
    """syntok's abbreviation list lacks English titles: "Lt." had cut an answer in two."""
    text = (
        "Nichols, best known for her portrayal of Lt. Nyota Uhura, has died. "
        "The seat may flip because Democratic Rep. Tim Ryan is strong. "
        "He said he was a Rep. And then he left.\n"
        "Gov. Ron DeSantis spoke."
    )
    got = [text[s.start : s.end] for s in sentence_spans(text)]
    assert got == [
        "Nichols, best known for her portrayal of Lt. Nyota Uhura, has died.",
        "The seat may flip because Democratic Rep. Tim Ryan is strong.",
        "He said he was a Rep.",
        "And then he left.",
        "Gov. Ron DeSantis spoke.",
    ]
