"""HTML metadata clean-up on top of trafilatura: author lists and site-name title suffixes."""

from __future__ import annotations

from ingest.loaders.html import _authors, _title, parse_html_article
from tests.conftest import REPO


def test_author_lists_are_split_and_placeholders_dropped():
    assert _authors("Glen Owen; Brendan Carlin") == ["Glen Owen", "Brendan Carlin"]
    assert _authors("Rob Picheta; CNN") == ["Rob Picheta"]
    assert _authors("No Author") == []
    assert _authors("JIJI") == ["JIJI"]  # an agency alone is still the byline


def test_site_name_suffix_leaves_the_title():
    assert _title("Masks stolen from Kobe hospital | The Japan Times", "The Japan Times") == (
        "Masks stolen from Kobe hospital"
    )
    assert _title("Ceasefire - day two", "Example News") == "Ceasefire - day two"


def test_sample_page_metadata():
    path = REPO / "samples" / "brightwater-solar.html"
    article = parse_html_article(path.read_text(encoding="utf-8"), str(path))
    assert article.title == "Brightwater farm cooperative switches on solar array"
    assert article.authors == ["Noor Haddad"]
    assert article.published and article.published.date().isoformat() == "2026-01-28"
    assert "Most read" not in article.text and "All rights reserved" not in article.text
