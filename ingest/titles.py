"""A title for an article whose source gives none (a JSON record, a feed entry, a bare page)."""

from __future__ import annotations

import re

from ingest.boilerplate import is_dateline, is_editors_note
from retrieval.schema import site_name
from retrieval.text import sentence_spans

_TITLE_CHARS = 120
_SEPARATORS = (" | ", " - ", " — ", " – ")
_SUFFIX_WORDS = 4


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


def without_site_suffix(title: str, *sites: str) -> str:
    """ "Headline - CNN Politics" -> "Headline" when the suffix names the site.

    Page titles, search results and Google News feed entries end in the outlet's name, which
    citations already show as the publisher, and which would otherwise be embedded with every
    passage. `sites` are the publisher names, hosts or URLs known for the article; a suffix
    matches one when it spells the name or its host's name ("CNN Business" on cnn.com,
    "The Week UK" on theweek.co.uk), or is a truncated start of it ("The ...", cut by a search
    engine).
    """
    keys = {key for key in map(_site_key, sites) if len(key) >= 3}
    if not keys:
        return title
    for sep in _SEPARATORS:
        head, _, tail = title.rpartition(sep)
        if not head.strip():
            continue
        if _alnum(tail) in keys:  # the site's full name, however long
            return head.strip()
        cut = tail.rstrip().endswith(("...", "…", ".."))
        if len(tail.split()) <= _SUFFIX_WORDS and any(_names_site(tail, k, cut) for k in keys):
            return head.strip()
    return title


def _names_site(tail: str, key: str, cut: bool) -> bool:
    """The suffix is the site's name, perhaps with one more word ("CNN Business") or cut."""
    words = tail.replace("...", " ").replace("…", " ").split()
    for n in range(1, len(words) + 1):
        spelled = _alnum("".join(words[:n]))
        if spelled == key or (n == 1 and spelled.startswith(key)):
            return len(words) - n <= 1
        if cut and n == len(words) and len(spelled) >= 3 and key.startswith(spelled):
            return True
    return False


def _site_key(site: str) -> str:
    """ "https://rss.cnn.com/..." -> "cnn" (its registered name, `site_name`); "The Japan
    Times" -> "thejapantimes"."""
    name = site_name(site)
    return _alnum(site if name is None else name)


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()
