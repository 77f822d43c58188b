"""Capitals for a question typed without case, taken from how the found passages write its words.

Discord users often type "who is the new prime minister of italy?" (or a phone capitalises only
its first letter, or they shout it in capitals). Search does not care (BM25 and the bi-encoder
both lower-case), but the answer's rules read names by their capitals: evidence must state the
names a question hinges on, "What did Rubio say" filters by speaker, "Who is Liz Truss?" asks
for a description. In lower case none of that fired, and "how many moons does the planet
vulcan have?" was answered with Neptune's moons where "How many moons does the planet Vulcan
have?" abstains; in capitals every word read as a name. So a question typed without case gets
each word as the candidate passages mostly write it in mid-sentence ("italy" -> "Italy", "fbi"
-> "FBI"); a word they write in lower case stays in lower case (NAME_SHARE), and so does one
they never write, unless no dictionary knows it either (`_unheard_of`).
"""

from __future__ import annotations

import re
from collections import Counter

from retrieval.question.spelling import WORD, bare, in_dictionary, resembling
from retrieval.search.hits import Hit
from retrieval.text import STOPWORDS

# A word's surface form in running text, with what precedes it (to skip sentence openings).
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“‘()\n—–-])\s*$")  # "(CNN) Facing ..." opens one
# A word is a name when the passages capitalise it this much of the time in mid-sentence:
# "new" is often "New York", "state" often "State Department", but far from nine times in ten.
# Once is enough: a small store may name a local coach once ("The team's coach, Dana Whitlock").
NAME_SHARE = 0.9


def typed_without_case(question: str) -> bool:
    """All in lower case (bar the pronoun "I"), all in capitals, or lower case after a capital
    first letter: case was not typed. Phones capitalise the first letter for you, so "Who is
    the new prime minister of italy?" says no more about its names than the all-lower form; a
    question with a capital anywhere else was typed with care. One that names nobody comes
    back unchanged ("Which state capital is facing fines?": no word of it is a name in the
    passages).
    """
    text = re.sub(r"\bI\b", "i", question.strip())
    letters = any(c.isalpha() for c in text)
    after_first = re.sub(r"^\W*\w", "", text)
    return letters and (after_first == after_first.lower() or question == question.upper())


def truecase(question: str, hits: list[Hit]) -> str:
    """The question with its words cased as the passages write them mid-sentence, when it was
    typed without case ("who is liz truss?", "WHO IS LIZ TRUSS?"); otherwise unchanged."""
    if not typed_without_case(question):
        return question
    question = question.lower()
    wanted = {bare(m.group(0)).casefold() for m in WORD.finditer(question)}
    wanted = {w for w in wanted if w not in STOPWORDS and len(w) > 1}
    if not wanted:
        return question
    forms: dict[str, Counter[str]] = {w: Counter() for w in wanted}
    written: set[str] = set()  # every word the passages write, folded
    # Passage text only: headlines are often in title case ("Liz Truss Resigns As Prime Minister").
    for text in dict.fromkeys(h.text for h in hits):
        for m in WORD.finditer(text):
            word = bare(m.group(0))
            folded = word.casefold()
            written.add(folded)
            opening = _SENTENCE_START.search(text[max(0, m.start() - 3) : m.start()])
            if folded in forms and not opening:
                forms[folded][word] += 1
    cased = {}
    for folded, counts in forms.items():
        form, n = counts.most_common(1)[0] if counts else (folded, 0)
        if n and form != form.lower() and n >= NAME_SHARE * sum(counts.values()):
            cased[folded] = form
        elif folded not in written and _unheard_of(folded, written):
            cased[folded] = folded.capitalize()

    def recase(m: re.Match[str]) -> str:
        word = m.group(0)
        stem = bare(word)
        form = cased.get(stem.casefold())
        return form + word[len(stem) :] if form else word

    recased = WORD.sub(recase, question)
    return recased[:1].upper() + recased[1:]


def _unheard_of(word: str, written: set[str]) -> bool:
    """A word no passage found writes, no dictionary lists and no passage word resembles:
    a name the news does not know ("what did the zorblaxian ambassador say?").

    Read as a name, it is one the answer's evidence must state, so such a question abstains
    as it does when typed "Zorblaxian"; left in lower case it had been answered from an
    unrelated treaty story. A word the dictionary knows ("perished") may be the question's
    wording for what the passages say otherwise, and a misspelling ("casulties") is no name.
    """
    return not in_dictionary(word) and not resembling(word, written)
