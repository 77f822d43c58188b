"""What a named person said: their statements as the articles attribute them, the statement
first, then who said it, where and when, cited.

The search has already kept only passages where the speaker is quoted (the speaker filter), in
the order they match the question; a statement must also state the question's other names
("What did the White House say about Griner?" is not answered with a statement about Iran).
"""

from __future__ import annotations

from retrieval.answer.compose import abstention, cite, credit
from retrieval.answer.result import Answer, distinct_articles
from retrieval.schema import speaker_key
from retrieval.search.hits import Hit

SHORTEST = 3  # words: "None were" is attributed, but says nothing on its own
_QUOTES = "“”\"‘’' "


def compose_statement(
    question: str, speaker: str, other_names: list[str], hits: list[Hit], k: int
) -> Answer:
    """The speaker's own words first: a direct quotation from the best-ranked passage that
    has one, else what the articles report them saying."""
    found = list(_statements(speaker, other_names, hits))
    for direct in (True, False):
        for hit, who, cue, said in found:
            if quoted_in(hit.text, said) is direct:
                return _reply(question, hits, hit, who, cue, said, k)
    return abstention(question, hits, k, 0.0)


def _statements(speaker: str, other_names: list[str], hits: list[Hit]):
    """(hit, speaker, cue, statement) of the speaker, in the hits' order."""
    wanted = speaker_key(speaker)
    for hit in hits:
        text = hit.text.casefold()
        if not all(name.casefold() in text for name in other_names):
            continue
        for attribution in hit.attributions:
            said = " ".join(attribution.get("statement", "").split()).strip(_QUOTES)
            who = attribution.get("speaker", "")
            if wanted in who.casefold() and len(said.split()) >= SHORTEST:
                yield hit, who, attribution.get("cue", "said"), said


def _reply(
    question: str, hits: list[Hit], hit: Hit, who: str, cue: str, said: str, k: int
) -> Answer:
    shown = f"“{said}”" if quoted_in(hit.text, said) else said
    cited: list[Hit] = []
    n = cite(cited, hit, headline=False)
    speaker = who[:1].upper() + who[1:]
    text = f"**{shown}** — {speaker} {cue} ({credit(hit, '')}) [{n}]"
    answer = Answer(question, text, False, cited, distinct_articles(hits, k), 1.0)
    answer.short_answer = shown
    answer.support = [{"text": said, "passage_id": hit.passage_id, "n": n, "speaker": who}]
    return answer


def quoted_in(text: str, statement: str) -> bool:
    """Whether the passage prints the statement as a direct quote: reported speech ("..., as
    confirmed by the Cuban government") is attributed too, but quotation marks around it
    would claim words the speaker did not say."""
    flat = " ".join(text.split())
    at = flat.find(statement[:60])
    return at >= 0 and flat[:at].rstrip().endswith(("“", '"', "‘"))
