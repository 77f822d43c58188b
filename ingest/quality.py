"""Is this text an article? Refusing input that decodes but says nothing.

Bytes that are not text are refused while decoding (ingest.decode). Text can still be junk: a
page cut off after its first bytes, a legacy encoding guessed from three characters, a feed
cut off after an entry's title. Stored, such text answers questions with noise and cannot be
told apart from real reports afterwards, so it is refused here with a reason, like
undecodable input.

The thresholds are set from real news pages (benchmarks/ingest_quality.py measures all of
../shared/data/extraction and checks that none of those pages is refused).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.errors import SourceError
from retrieval.schema import Article

# A word is a run of two or more letters (any script); digits and symbols are not prose.
_WORD = re.compile(r"[^\W\d_]{2,}")
# Scripts written without spaces (Chinese, Japanese kana, Thai): two letters count as a word.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A page's body had to be found by extraction: fewer words than this means none was found.
# The shortest of the 240 real pages measured has 24 words (a photo caption and a lead).
MIN_PAGE_WORDS = 12
# Records (a JSON line, a feed entry) state their text explicitly: a one-line brief counts
# ("Roads washed out."); none of the 24,600 RealTimeQA records has fewer than 12 words.
MIN_RECORD_WORDS = 3
# Replacement characters, control characters, unassigned and private-use code points, per
# printed character. The real pages measured have none; mis-decoded bytes have many.
MAX_JUNK_SHARE = 0.01
# Letters per printed character. Real pages measure at least 0.82; bytes
# decoded in a guessed legacy encoding are mostly symbols and punctuation.
MIN_LETTER_SHARE = 0.4
_JUNK_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}
_WHITESPACE_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


@dataclass(frozen=True)
class ProseStats:
    """What the checks look at, measured once (the benchmark prints these)."""

    words: int
    printed: int  # characters other than whitespace
    junk: int
    letters: int
    body_chars: int
    title_chars: int

    @property
    def junk_share(self) -> float:
        return self.junk / self.printed if self.printed else 1.0

    @property
    def letter_share(self) -> float:
        return self.letters / self.printed if self.printed else 0.0


def measure(title: str, text: str) -> ProseStats:
    """Count words, junk and letters of an article's body."""
    printed = junk = letters = 0
    for ch in text:
        if ch.isspace():
            continue
        printed += 1
        if ch.isalpha():
            letters += 1
        elif ch == "\ufffd" or (
            unicodedata.category(ch) in _JUNK_CATEGORIES and ch not in _WHITESPACE_CONTROLS
        ):
            junk += 1
    unspaced = len(_UNSPACED.findall(text))
    return ProseStats(
        words=len(_WORD.findall(_UNSPACED.sub(" ", text))) + unspaced // 2,
        printed=printed,
        junk=junk,
        letters=letters,
        body_chars=len(" ".join(text.split())),
        title_chars=len(" ".join(title.split())),
    )


def prose_problem(stats: ProseStats, min_words: int, headline_only: bool = False) -> str:
    """Why this body is not an article ("" when it is one)."""
    if stats.junk_share > MAX_JUNK_SHARE:
        return (
            f"text is garbled: {stats.junk_share:.0%} replacement or control characters "
            "(wrong encoding or corrupt file?)"
        )
    if stats.words < min_words:
        words = f"{stats.words} word" + ("" if stats.words == 1 else "s")
        return f"too little text to be an article ({words}; {min_words} needed)"
    if stats.letter_share < MIN_LETTER_SHARE:
        return (
            f"text is mostly symbols, not prose ({stats.letter_share:.0%} letters; "
            "wrong encoding or corrupt file?)"
        )
    if not headline_only and stats.body_chars <= stats.title_chars:
        return "no article text beyond its title (cut off or empty page?)"
    return ""


def check_article(article: Article, min_words: int = MIN_PAGE_WORDS) -> Article:
    """The article, or SourceError naming it and saying why its text is not an article."""
    problem = prose_problem(measure(article.title, article.text), min_words)
    if problem:
        raise SourceError(article.source, problem)
    return article


def check_feed_entry(article: Article, has_text: bool) -> Article:
    """A feed entry needs a title and a link or text. Headline-and-link entries and teasers
    shorter than their headline are kept (many feeds carry nothing else), but their words
    must still be text; an entry cut off after its title has nothing to point to."""
    if not has_text and not article.url:
        raise SourceError(
            article.source, "feed entry has a title but neither link nor text (cut-off feed?)"
        )
    problem = prose_problem(
        measure(article.title, f"{article.title}\n{article.text}"), 1, headline_only=True
    )
    if problem:
        raise SourceError(article.source, problem)
    return article
