"""A title for an article whose source gives none (a JSON record, a feed entry, a bare page)."""

from __future__ import annotations

from ingest.boilerplate import is_dateline, is_editors_note
from retrieval.text import sentence_spans

_TITLE_CHARS = 120


def title_from_text(paragraphs: list[str]) -> str:
    """A title for a record that has none: the lead's first sentence.

    Not the first line as it stands: on scraped news pages that is a dateline ("Washington
    CNN —") or an editor's note, and the title is embedded with every passage of the article
    and scored against questions; 79 RealTimeQA pages had "CNN —" as their title.
    """
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    if not paragraphs:
        return ""
    lead = next(
        (p for p in paragraphs if not is_dateline(p) and not is_editors_note(p)), paragraphs[0]
    )
    spans = sentence_spans(lead)
    first = lead[spans[0].start : spans[0].end] if spans else lead
    if len(first) <= _TITLE_CHARS:
        return first
    cut = first[:_TITLE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:—–-") + " …"
