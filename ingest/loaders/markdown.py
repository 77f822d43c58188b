"""Markdown articles: rendered with markdown-it, then read as plain text paragraphs."""

from __future__ import annotations

from lxml import html as lxml_html
from markdown_it import MarkdownIt

from ingest.loaders.text import _front_matter, parse_text_article
from retrieval.schema import Article

_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote")


def parse_markdown_article(text: str, source: str, url: str = "") -> Article:
    """Markup (links, emphasis, headings) is removed; front matter supplies metadata."""
    meta, body = _front_matter(text, source)
    rendered = MarkdownIt("commonmark").render(body)
    paragraphs: list[str] = []
    if rendered.strip():
        tree = lxml_html.fragment_fromstring(rendered, create_parent="div")
        for el in tree.iter(*_BLOCKS):
            if el.tag in ("li", "blockquote") or el.getparent().tag not in ("li", "blockquote"):
                para = " ".join(el.text_content().split())
                if para:
                    paragraphs.append(para)
    plain = "\n\n".join(dict.fromkeys(paragraphs))
    if meta:
        import yaml

        plain = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + plain
    return parse_text_article(plain, source, url)
