"""Scraped-page furniture (newsletter promotions, ad widgets) never becomes a passage."""

from __future__ import annotations

import json

from conftest import shared

from ingest.boilerplate import is_dateline, strip_boilerplate
from ingest.errors import SourceError
from ingest.loaders.jsonl import parse_jsonl

PROMOTIONS = [
    "(You can get “5 Things You Need to Know Today” delivered to your inbox daily. Sign up here.)",
    "Follow USA TODAY reporter Kelly Tyko on Twitter: @KellyTyko.",
    "Contact Duane Gang at 615-726-5982 or dgang@tennessean.com.",
    "This story has been updated with additional developments.",
    "STAY UP-TO-DATE: Subscribe to our Sports newsletter now!",
    "Support local journalism: Subscribe to azcentral.com today.",
    "1. How relevant is this ad to you?",
    "JUST WATCHED The Eiffel Tower is now 20 feet taller Replay More Videos ... MUST WATCH The "
    "Eiffel Tower is now 20 feet taller 01:12",
    "Video Ad Feedback 00:59 - Source: CNN Watch moment house collapses into flood water",
    "Albert Retief/AFP/Getty Images",
    "Demetrius Freeman/Pool/Getty Images",
    "Video player was slow to load content Video content never loaded Ad froze or did not "
    "finish loading Video content did not start after ad Audio on ad was too loud Other issues",
    "►Related: Google Trends' FrightGeist lists the most popular Halloween costumes of 2022.",
    # Links to other stories: their headlines read as this article's news.
    "More:Ned Eisenberg, 'Marvelous Mrs. Maisel' character actor, dead at 65",
    "\u200bMore:Violence breaks out at Tijuana border as migrant caravan arrives",
    "More Q&As:King Charles III succeeds Queen Elizabeth.",
    "More: Cincinnati, Denver and Charlotte make list of 15 US cities attracting Millennials",
    "Opinion:Kentucky AG Daniel Cameron can't submit to outside pressure in Taylor case",
    "READ: Arizona actress stars in “American Psycho” on Broadway",
    "More AP MLB: https://apnews.com/hub/MLB and https://twitter.com/AP_Sports",
]
NEWS = [
    "The storm made landfall near Santa Cruz on Sunday, the hurricane center said.",
    # Promotion words inside news prose: no promotional context, so kept.
    "Substack, the newsletter platform, said revenue doubled as writers left newspapers.",
    "Residents can sign up for the relief program at city hall starting Monday.",
    "Follow-up inspections found cracks in two more bridges, the state said.",
    "Shares of AP/Reuters rival fell 3%.",
    "More key relatives: Her younger sister, Princess Margaret, who died in 2002.",
    "More than 50 protesters chanted outside the estate: “Lock him up.”",
]


def test_promotion_lines_go_and_news_stays():
    assert strip_boilerplate(NEWS[:2] + PROMOTIONS + NEWS[2:]) == NEWS


def test_more_from_is_a_subheading_not_a_footer():
    """ "More from the tour:" used to end the article: 16,000 words were lost on one page."""
    paras = ["Opening paragraph.", "More from the tour:", "The band played two more nights."]
    assert strip_boilerplate(paras) == ["Opening paragraph.", "The band played two more nights."]


AD_WIDGET = [p for p in PROMOTIONS if p.startswith(("1. How relevant", "Video player"))]


def test_jsonl_record_of_nothing_but_an_ad_widget_fails_alone():
    lines = [
        {"title": "Ad", "text": "\n\n".join(AD_WIDGET), "url": "https://a.example/ad"},
        {
            "title": "Storm",
            "text": "\n".join([NEWS[0], PROMOTIONS[0]]),
            "url": "https://a.example/s",
        },
    ]
    out = list(parse_jsonl("\n".join(json.dumps(r) for r in lines), "bulk.jsonl"))
    assert isinstance(out[0], SourceError)
    assert str(out[0]) == "bulk.jsonl:1: no article text left after removing boilerplate"
    assert out[1].text == NEWS[0]


def test_real_scraped_pages_lose_their_promotions_only():
    """One RealTimeQA week of search results: furniture goes, the reporting stays."""
    path = sorted(shared("realtimeqa/gcs").glob("*_gcs.jsonl"))[0]
    records = [
        {"title": r.get("title") or "", "text": r["text"], "url": r["url"]}
        for line in path.read_text(encoding="utf-8").splitlines()
        for r in json.loads(line)["search_result"]
        if r.get("text")
    ]
    parsed = list(parse_jsonl("\n".join(json.dumps(r) for r in records), str(path)))
    articles = [a for a in parsed if not isinstance(a, SourceError)]
    assert len(articles) >= 0.95 * len(records)
    text = "\n".join(a.text for a in articles)
    for cue in ("How relevant is this ad", "delivered to your inbox", "Video player was slow"):
        assert cue not in text
    words_in = sum(len(r["text"].split()) for r in records)
    assert sum(len(a.text.split()) for a in articles) >= 0.97 * words_in
    # Search-result titles end in the outlet's name, which citations show as the publisher.
    suffixed = [r["title"] for r in records if r["title"].endswith((" - CNN", " | CNN"))]
    assert suffixed and not [a.title for a in articles if a.title.endswith((" - CNN", " | CNN"))]


def test_untitled_record_takes_its_lead_sentence_as_title_not_the_dateline():
    """The title is shown in citations and embedded with every passage: "CNN —" is not one."""
    lead = "A bipartisan group of senators unveiled an agreement on gun safety on Sunday."
    records = [
        {"text": f"Washington CNN —\n\n{lead} The deal needs 60 votes.", "url": "https://a.test/1"},
        {
            "text": "Editor’s Note: Watch the series on Sunday.\n\nCNN —\n\nAdele is back. More.",
            "url": "https://a.test/2",
        },
        {
            "title": "Given title",
            "text": "CNN —\n\nSome news here today.",
            "url": "https://a.test/3",
        },
        {"text": "word " * 60, "url": "https://a.test/4"},
    ]
    text = "\n".join(json.dumps(r) for r in records)
    titles = [a.title for a in parse_jsonl(text, "wire.jsonl")]
    assert titles[:3] == [lead, "Adele is back.", "Given title"]
    assert len(titles[3]) <= 122 and titles[3].endswith(" …")
    assert is_dateline("Colombo, Sri Lanka CNN —") and is_dateline("New York CNN Business —")
    assert not is_dateline("Sign up —") and not is_dateline("The best photos of 2022")


def test_gallery_credits_between_captions_are_removed():
    """Credits glued to the next caption made its sentence open with a photographer's name."""
    gallery = (
        "A man sits on the debris of a building on June 22. Sayed Sadat/Anadolu Agency/Getty "
        "Images Men stand near the ruins on June 23. Ebrahim Noroozi/AP An Afghan man looks "
        "for his belongings. J. SCOTT APPLEWHITE/AFP/POOL/Getty Images"
    )
    assert strip_boilerplate([gallery]) == [
        "A man sits on the debris of a building on June 22. Men stand near the ruins on June "
        "23. An Afghan man looks for his belongings."
    ]
    # Slashes in prose are not credits: lower-case words, or no sentence start before them.
    prose = ["Shares of AP/Reuters rival fell 3%.", "The photo by John Smith/AP was sold."]
    assert strip_boilerplate(prose) == prose


ARTICLE = [
    "The river rose two metres overnight, the mayor said on Monday.",
    "Photos: Floods in Valdora Two brothers embrace on Monday in front of their home. Hide "
    "Caption 1 of 3 Photos: Floods in Valdora A road buckles in Ostrel. Hide Caption 2 of 3 "
    "Photos: Floods in Valdora A woman wades through the water on March 2.",
    "Hide Caption 3 of 3",
    "Repairs will take months, the council said.",
]


def test_embedded_gallery_goes_and_the_article_stays():
    """A gallery's captions date their own photos and ran into answers with their labels
    ("Hide Caption 3 of 44 Photos: Mass shooting at Texas elementary school Pallbearers ...");
    a caption can run over a paragraph break."""
    assert strip_boilerplate(ARTICLE) == [ARTICLE[0], ARTICLE[-1]]


def test_page_that_is_only_a_gallery_keeps_its_captions_without_labels():
    assert strip_boilerplate(ARTICLE[1:3]) == [
        "Two brothers embrace on Monday in front of their home.",
        "A road buckles in Ostrel.",
        "A woman wades through the water on March 2.",
    ]


def test_gallery_paragraph_and_gallery_links_go():
    paragraph = (
        "Photos: The Queen and her corgis Bettmann/Getty Images The Queen and a corgi at "
        "Balmoral in 1952. Photos: The Queen and her corgis A young Elizabeth hugs a corgi in "
        "1936. Prev Next"
    )
    links = ["📸 Photos: Students walk out of school to protest.", "More:Photos: Kuma the dog"]
    assert strip_boilerplate([NEWS[0], paragraph, *links, NEWS[1]]) == NEWS[:2]
    # Prose that mentions photos stays.
    prose = ["Photos of the storm spread online, and the Photos: app crashed, users said."]
    assert strip_boilerplate(prose) == prose


def test_real_galleries_lose_their_captions():
    """Every CNN page of the RealTimeQA results that embeds a gallery keeps its reporting
    and loses the gallery's labels."""
    records = [
        r
        for path in sorted(shared("realtimeqa/gcs").glob("*_gcs.jsonl"))[:4]
        for line in path.read_text(encoding="utf-8").splitlines()
        for r in json.loads(line)["search_result"]
        if "Hide Caption" in (r.get("text") or "")
    ]
    assert records
    for record in records:
        line = json.dumps({"text": record["text"], "url": record["url"]})
        article = next(parse_jsonl(line, "gallery.jsonl"))
        assert not isinstance(article, SourceError)
        assert "Hide Caption" not in article.text and "Photos:" not in article.text
