"""HTML metadata clean-up on top of trafilatura: author lists and site-name title suffixes."""

from __future__ import annotations

from ingest.loaders.feed import parse_feed
from ingest.loaders.html import _authors, parse_html_article
from ingest.titles import without_site_suffix
from tests.conftest import REPO


def test_author_lists_are_split_and_placeholders_dropped():
    assert _authors("Glen Owen; Brendan Carlin") == ["Glen Owen", "Brendan Carlin"]
    assert _authors("Rob Picheta; CNN") == ["Rob Picheta"]
    assert _authors("No Author") == []
    assert _authors("JIJI") == ["JIJI"]  # an agency alone is still the byline


def test_site_name_suffix_leaves_the_title():
    assert without_site_suffix(
        "Masks stolen from Kobe hospital | The Japan Times", "The Japan Times"
    ) == ("Masks stolen from Kobe hospital")
    assert without_site_suffix("Ceasefire - day two", "Example News") == "Ceasefire - day two"


def test_site_suffix_matched_by_host_or_cut_short():
    """RealTimeQA search results: "... - CNN Politics" on cnn.com, "... - The ..." cut short."""
    cnn = "https://edition.cnn.com/2022/06/17/politics/x/index.html"
    assert without_site_suffix("Senators reach gun deal - CNN Politics", cnn) == (
        "Senators reach gun deal"
    )
    assert without_site_suffix("Senators reach gun deal - CNNPolitics", "cnn.com") == (
        "Senators reach gun deal"
    )
    assert without_site_suffix("Why the pound fell | The Week UK", "theweek.co.uk") == (
        "Why the pound fell"
    )
    assert without_site_suffix("Why the pound fell - The ...", "theweek.co.uk") == (
        "Why the pound fell"
    )
    # A feed host's registered name counts, not its first label ("rss.", "news.").
    assert without_site_suffix("Quake hits Peru - CNN", "http://rss.cnn.com/rss/top.rss") == (
        "Quake hits Peru"
    )
    assert without_site_suffix("Police seek witness - News 12", "https://news.google.com/x") == (
        "Police seek witness - News 12"
    )
    # Another outlet's name, a headline that starts with the site's name, a cut headline.
    assert without_site_suffix("Stocks slide - 24/7 Wall St.", "usatoday.com").endswith("St.")
    assert without_site_suffix("Apple - Apple unveils a phone", "apple.com") == (
        "Apple - Apple unveils a phone"
    )
    assert without_site_suffix("Fed raises rates - some could ...", "usatoday.com").endswith(
        "could ..."
    )


def test_sample_page_metadata():
    path = REPO / "samples" / "brightwater-solar.html"
    article = parse_html_article(path.read_text(encoding="utf-8"), str(path))
    assert article.title == "Brightwater farm cooperative switches on solar array"
    assert article.authors == ["Noor Haddad"]
    assert article.published and article.published.date().isoformat() == "2026-01-28"
    assert "Most read" not in article.text and "All rights reserved" not in article.text


def test_aggregator_feed_titles_lose_the_outlet_name():
    """Google News entries read "Headline - Outlet" and name the outlet in <source>."""
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel>
    <title>Top stories - Google News</title>
    <item><title>Storm knocks out power to thousands - Reuters</title>
    <link>https://news.google.com/rss/articles/abc</link>
    <source url="https://www.reuters.com">Reuters</source>
    <description>Storm Nicole knocked out power to thousands of homes in Florida.</description>
    </item>
    <item><title>Ceasefire - day two</title><link>https://example.test/c</link>
    <description>The ceasefire held for a second day on Tuesday.</description></item>
    </channel></rss>"""
    titles = [a.title for a in parse_feed(feed, "news.rss")]
    assert titles == ["Storm knocks out power to thousands", "Ceasefire - day two"]
