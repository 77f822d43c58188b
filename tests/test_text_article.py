"""Plain-text articles: headline, date line, body, and boilerplate left out."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.boilerplate import strip_boilerplate
from ingest.errors import SourceError
from ingest.loaders.markdown import parse_markdown_article
from ingest.loaders.text import parse_text_article

BOILERPLATE = ("See also", "Similar Posts", "Rate this post", "Leave a Comment", "Share to")


def test_seed_article_metadata_and_body(seed_path):
    article = parse_text_article(seed_path.read_text(encoding="utf-8"), str(seed_path))
    assert article.title.startswith("Breaking News: 32 Cuban Officers Killed")
    assert article.published is not None and article.published.date() == date(2026, 1, 7)
    assert article.publisher == "Associated Press"
    assert article.authors == ["Megan Janetsky", "Darlene Superville"]
    assert "as confirmed by the Cuban government on Sunday" in article.text
    for furniture in BOILERPLATE:
        assert furniture not in article.text
    assert "Mission Details" not in article.text  # section headings are not prose
    assert "January 7, 2026" not in article.text  # the date line is metadata


def test_footer_marker_cuts_the_rest():
    paras = [
        "Real news sentence one.",
        "See also Something else entirely",
        "More news.",
        "Similar Posts:",
        "Another story headline",
        "Leave a Comment",
    ]
    assert strip_boilerplate(paras) == ["Real news sentence one.", "More news."]


def test_markdown_front_matter_and_markup():
    md = (
        "---\ntitle: Harbour bridge reopens\ndate: 2025-03-02\nauthor: Ana Lima\n"
        "publisher: Example Gazette\nurl: https://example.org/bridge\n---\n"
        "# Harbour bridge reopens\n\nThe [bridge](https://x.test) reopened on *Sunday*, "
        "the mayor said.\n\n- Traffic resumed at noon.\n"
    )
    article = parse_markdown_article(md, "bridge.md")
    assert article.title == "Harbour bridge reopens"
    assert article.url == "https://example.org/bridge"
    assert article.authors == ["Ana Lima"] and article.publisher == "Example Gazette"
    assert article.published.date() == date(2025, 3, 2)
    assert "The bridge reopened on Sunday, the mayor said." in article.text
    assert "](" not in article.text and "*" not in article.text


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        # YAML's own date constructor raises ValueError, not YAMLError: it stopped the run.
        ("date: 2026-13-45", "unparsable front matter (month must be in 1..12)"),
        ("title: [Harbour, bridge]", "front matter 'title' must be text, not a list or mapping"),
        ("authors: 5", "front matter 'authors' must be a name or a list of names"),
    ],
)
def test_front_matter_of_the_wrong_shape_is_one_clear_error(front, reason):
    with pytest.raises(SourceError) as failed:
        parse_text_article(f"---\n{front}\n---\nThe bridge reopened. Traffic resumed.\n", "b.md")
    assert failed.value.source == "b.md" and failed.value.reason == reason
