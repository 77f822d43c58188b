"""Who said what: rule-based attribution of statements to speakers inside article text.

Patterns covered: `"...," X said`, `"...," said X`, `X said ...`, `X said, "..."`,
`according to X`, `as confirmed by X`, `X confirmed`, `X stated`, `..., saying "..."`,
pronouns resolved to the last named person, surnames resolved to the earlier full name, and
credit lines ("contributions from AP reporters A and B"). Rules rather than a parser because
ingest must keep pace with the encoder on two cores; docs/attribution.md reports precision and
recall on labelled real paragraphs.

The work is split by job: `cues` (the words that mark speech), `phrases` (the speaker's noun
phrase), `quotes` (which quotation a cue takes), `speakers` (pronouns and surnames),
`sentence` (one sentence's attributions) and `records` (one per speaker and sentence, and the
credit line).
"""

from __future__ import annotations

from ingest.attribution.quotes import QUOTE_RE
from ingest.attribution.records import Found, credit_records, merge_same_sentence
from ingest.attribution.sentence import sentence_attributions
from ingest.attribution.speakers import is_full_name, resolve_surnames
from ingest.chunker import Span, sentence_spans
from retrieval.schema import Attribution

__all__ = ["extract_attributions"]


def extract_attributions(text: str, sentences: list[Span] | None = None) -> list[Attribution]:
    """All attributions in an article, in text order, each with its character span."""
    sentences = sentences if sentences is not None else sentence_spans(text)
    quotes = [(m.start(), m.end()) for m in QUOTE_RE.finditer(text)]
    found: list[Found] = []
    last_person = ""
    for si, sent in enumerate(sentences):
        for item in sentence_attributions(text, sent, si, quotes, last_person):
            found.append(item)
            if is_full_name(item.speaker):
                last_person = item.speaker
    found = [f for f in resolve_surnames(merge_same_sentence(found)) if not f.thing]
    found.extend(credit_records(text, sentences))
    return [Attribution(f.speaker, f.cue, f.statement, f.start, f.end) for f in found]
