"""Answer candidates: the names, numbers, dates and noun phrases of the best sentences, each
mention traced to its sentence, and mentions of one thing gathered into one candidate.

spaCy's parse gives three kinds of span: named entities (with their label), runs of proper
nouns (a name inside a longer phrase, "Buffalo Bills" in "the Buffalo Bills player Damar
Hamlin"), and noun phrases without their determiner. A span of any kind is a mention; mentions
with the same normal form are one candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.reading.nlp import parse, role_of
from retrieval.reading.sentences import Sentence

ENTITY_LABELS = (
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
    "DATE",
    "TIME",
    "PERCENT",
    "MONEY",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
)
LABELS = (*ENTITY_LABELS, "PROPN", "NP", "COUNTED_NP")
MAX_TOKENS = 8
_LEADING = {"det", "poss", "predet", "case", "punct"}
_NOT_KEPT = re.compile(r"[^\w\s$.%-]")
_ARTICLE = re.compile(r"^(?:the|a|an) ")


def normal_form(text: str) -> str:
    """The quiz's cleaning (casefold, word characters and `$ . % -`) less a leading article."""
    cleaned = " ".join(_NOT_KEPT.sub(" ", text.casefold()).split())
    return _ARTICLE.sub("", cleaned).strip(" .-")


@dataclass
class Mention:
    text: str
    label: str
    sentence: int  # index into the read sentences
    start: int  # token offsets in the sentence's parse
    end: int
    is_subject: bool
    governor: str  # the word the mention depends on ("confirmed" in "confirmed by X")
    role: str  # how: "subject", "object", "by"-less preposition ("in"), or "modifier"

    @property
    def modifies(self) -> bool:
        """It qualifies its word ("Cuban" in "Cuban casualties") rather than filling a role."""
        return self.role == "modifier"


@dataclass
class Candidate:
    key: str  # normal form
    mentions: list[Mention] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The most frequent written form (ties: the longest)."""
        forms: dict[str, int] = {}
        for m in self.mentions:
            forms[m.text] = forms.get(m.text, 0) + 1
        return max(forms, key=lambda f: (forms[f], len(f)))

    @property
    def label(self) -> str:
        """The mentions' commonest label. A noun phrase that opens with a number counts
        things ("32 Cuban officers"): it answers "how many" rather than "who", so it is
        typed apart from other noun phrases."""
        counts: dict[str, int] = {}
        for m in self.mentions:
            counts[m.label] = counts.get(m.label, 0) + 1
        label = max(counts, key=lambda lab: (counts[lab], -LABELS.index(lab)))
        first = self.text.split()[0].replace(",", "").replace(".", "")
        return "COUNTED_NP" if label == "NP" and first.isdigit() else label


@dataclass(frozen=True)
class Parsed:
    """What the reader keeps of a sentence's parse: its words and the spans worth answering."""

    words: tuple[str, ...]  # lower case
    # text, label, start, end, is_subject, governor, role towards the governor
    spans: tuple[tuple[str, str, int, int, bool, str, str], ...]


@dataclass
class Reading:
    """The sentences read (best first), their parses, and the candidates found in them."""

    sentences: list[Sentence]
    parsed: list[Parsed]
    candidates: list[Candidate]


def parse_sentences(texts: list[str]) -> list[Parsed]:
    return [_parsed(doc) for doc in parse(texts)]


def gather(sentences: list[Sentence], parsed: list[Parsed]) -> Reading:
    found: dict[str, Candidate] = {}
    for index, sentence in enumerate(parsed):
        for text, label, start, end, subject, governor, role in sentence.spans:
            key = normal_form(text)
            if not key or not any(ch.isalnum() for ch in key):
                continue
            mention = Mention(text, label, index, start, end, subject, governor, role)
            found.setdefault(key, Candidate(key)).mentions.append(mention)
    return Reading(sentences, parsed, list(found.values()))


def extract(sentences: list[Sentence]) -> Reading:
    return gather(sentences, parse_sentences([s.text for s in sentences]))


def _parsed(doc) -> Parsed:
    spans: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        spans[(ent.start, ent.end)] = ent.label_
    run_start = None
    for token in [*doc, None]:
        if token is not None and token.pos_ == "PROPN":
            run_start = token.i if run_start is None else run_start
            continue
        if run_start is not None:
            end = token.i if token is not None else len(doc)
            spans.setdefault((run_start, end), "PROPN")
            run_start = None
    for chunk in doc.noun_chunks:
        start = chunk.start
        while start < chunk.end and doc[start].dep_ in _LEADING:
            start += 1
        if start < chunk.end and not (chunk.end - start == 1 and doc[start].pos_ == "PRON"):
            spans.setdefault((start, chunk.end), "NP")
    kept = []
    for (start, end), label in spans.items():
        if end - start > MAX_TOKENS:
            continue
        span = doc[start:end]
        subject = span.root.dep_ in ("nsubj", "nsubjpass")
        root = span.root
        kept.append((span.text, label, start, end, subject, _governor(root), role_of(root)))
    return Parsed(tuple(t.lower_ for t in doc), tuple(kept))


def _governor(root) -> str:
    """The word a mention hangs on: its verb for a subject or object, the verb of a passive's
    "by" ("confirmed by the Cuban government"), the noun of an apposition."""
    head = root.head
    if root.dep_ == "pobj" and head.dep_ in ("agent", "prep") and head.head is not head:
        head = head.head
    return "" if head is root else head.lower_
