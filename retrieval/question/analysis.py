"""What a question asks: its wh-word, the noun of a "which/what X" question, its key terms and
its names. Computed once per question; every stage after retrieval reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.reading.nlp import parse, role_of
from retrieval.text import terms

# The kinds of question the reader tells apart; the learned models weigh each candidate type
# against these, so they are categories, not rules.
WH_KINDS = (
    "who",
    "whom",
    "whose",
    "which",
    "what",
    "where",
    "when",
    "how many",
    "how much",
    "how long",
    "how old",
    "how far",
    "how",
    "why",
    "other",
)
_WH = re.compile(
    r"\b(how (?:many|much|long|old|far)|who|whom|whose|which|what|where|when|how|why)\b", re.I
)


@dataclass(frozen=True)
class QuestionAnalysis:
    text: str
    wh: str  # one of WH_KINDS
    head: str  # the noun a "which/what X" question asks for ("team"), lower case; "" if none
    key_terms: tuple[str, ...]  # stemmed content words (retrieval.text.terms)
    words: frozenset[str]  # the question's words, casefolded
    names: tuple[str, ...]  # named entities in the question
    # The part the answer plays and the word it plays it for: ("subject", "confirmed") for
    # "Who confirmed the casualties?", ("object", "buy") for "Which firm did Apple buy?".
    asked_role: tuple[str, str] = ("", "")

    @property
    def wh_index(self) -> int:
        return WH_KINDS.index(self.wh)


def wh_kind(question: str) -> str:
    """The first wh-phrase of the question ("how many", "how long" before "how")."""
    match = _WH.search(question)
    return " ".join(match.group(1).casefold().split()) if match else "other"


def analyse(question: str) -> QuestionAnalysis:
    doc = parse([question])[0]
    return QuestionAnalysis(
        text=question,
        wh=wh_kind(question),
        head=_head_noun(doc),
        key_terms=tuple(dict.fromkeys(terms(question))),
        words=frozenset(t.lower_ for t in doc if not t.is_punct),
        names=tuple(e.text for e in doc.ents),
        asked_role=_asked_role(doc),
    )


def _asked_role(doc) -> tuple[str, str]:
    """The role of the wh-word (or of the noun it determines, "which team") in the question,
    as `nlp.role_of` reads roles in the news."""
    for token in doc:
        if token.tag_ not in ("WP", "WDT", "WRB", "WP$"):
            continue
        filler = token.head if token.dep_ == "det" else token
        part = role_of(filler)
        if part and part != "modifier":
            head = filler.head.head if filler.dep_ == "pobj" else filler.head
            return part, head.lower_
        return "", ""
    return "", ""


def _head_noun(doc) -> str:
    """ "Which team ...", "What company ...", "What is the name of the country ...": the noun
    the wh-word determines, read from the parse."""
    for token in doc:
        if (
            token.lower_ in ("which", "what")
            and token.dep_ == "det"
            and token.head.pos_
            in (
                "NOUN",
                "PROPN",
            )
        ):
            return token.head.lower_
    for token in doc:  # "What is the name of the X", "Which of these X"
        if token.lower_ == "of" and token.head.lower_ in ("name", "which", "one", "none"):
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if objects:
                return objects[0].lower_
    return ""
