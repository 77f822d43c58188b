"""HTML pages: main text and metadata with trafilatura, furniture removed on top."""

from __future__ import annotations

import logging

import trafilatura
from lxml import html as lxml_html

from ingest.boilerplate import strip_boilerplate
from ingest.credits import byline_authors
from ingest.dates import parse_date
from ingest.errors import SourceError
from ingest.titles import title_from_text, without_site_suffix
from retrieval.schema import Article

# trafilatura logs every page it finds too short; those become our own one-line errors.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def parse_html_article(html: str, source: str, url: str = "") -> Article:
    """Extract one article from a page; raises SourceError when no article text is found."""
    if "<" not in html:
        raise SourceError(source, "not an HTML document")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url or None,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=False,
        )
    except Exception as exc:  # lxml raises several parser errors on broken markup
        raise SourceError(source, f"unparsable HTML ({exc.__class__.__name__}: {exc})") from exc
    if doc is None or not (doc.text or "").strip():
        raise SourceError(source, "no article text found in the page")
    paragraphs = strip_boilerplate((doc.text or "").splitlines())
    if not paragraphs:
        raise SourceError(source, "no article text left after removing boilerplate")
    title = without_site_suffix(
        (doc.title or "").strip(), doc.sitename or "", doc.hostname or "", url
    ) or title_from_text(paragraphs)
    if paragraphs and paragraphs[0].strip() == title:
        paragraphs = paragraphs[1:] or paragraphs
    return Article(
        title=title,
        text="\n\n".join(paragraphs),
        source=source,
        url=(doc.url or url or "").strip(),
        publisher=(doc.sitename or doc.hostname or "").strip(),
        published=parse_date(doc.date),
        authors=_authors(doc.author),
    )


def _authors(value: str | None) -> list[str]:
    """trafilatura joins authors with "; "; drop placeholders and bare outlet names ("CNN")."""
    if not value:
        return []
    names: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if not part or part.lower() in {"no author", "staff", "admin"}:
            continue
        names.extend(byline_authors("By " + part) or [part])
    people = [n for n in names if len(n.split()) > 1]
    return list(dict.fromkeys(people or names))


def html_fragment_text(fragment: str) -> str:
    """Plain text of a small HTML fragment (a feed entry's summary), paragraphs kept apart."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:
        return ""
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    text = tree.text_content()
    paras = [" ".join(p.split()) for p in text.split("\n\n")]
    return "\n\n".join(p for p in paras if p)
