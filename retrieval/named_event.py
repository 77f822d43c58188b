"""The named event a question ends on: "How many people died in the India bridge collapse?".

Such a question is about one event, and an article about another event at the same place is
no answer to it. With no report of the collapse stored, the engine had answered from the
Afghanistan earthquake (a passage that mentions India in passing) and "How many people died in
the Denver tornado?" from a Denver Covid death; the checks on names alone pass both, since the
place is mentioned. Here the place and every word naming the event must be stated in one
retrieved passage, or there is nothing to answer from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.text import STOPWORDS, terms

# A word, "the" or "a", one or more capitalised words (the place or name), then one to three
# lower-case words (the event) closing the question: "died in the India bridge collapse?",
# "in the Seoul Halloween crowd crush", "killed a Kansas City officer".
_NAMED_EVENT = re.compile(
    r"(?:\b(?P<before>\w+)\s+|^\s*)(?P<phrase>(?i:the|a|an)\s+"
    r"(?P<names>(?:[A-Z][\w’'.-]*\s+)+)(?P<event>(?:[a-z]+\s+){0,2}[a-z]+))\s*[?.!]*\s*$"
)
# After an auxiliary the phrase is the subject and its last words are the verb, not the event:
# "Where did the Club Q shooting happen?", "Did the Fed raise rates?".
_AUXILIARIES = frozenset(
    "did does do is are was were will would can could should has have had".split()
)
_WORD = re.compile(r"[\w.’'-]+")
# "Thai" states "Thailand"; "Ha" does not state "Havana".
_SHORTEST_FORM = 4
# Words that close a question without naming anything: "criticised the Fed chair today?".
_NOT_THE_EVENT = frozenset(
    "now today yesterday tonight currently recently lately again anymore still really so".split()
)

# News names one kind of event several ways: "the Itaewon stampede" was reported as a crush
# and a surge, "the Raleigh shooting spree" as a shooting. Each word stands for its group.
_KINDS_OF_EVENT = (
    "stampede crush surge",
    "blast explosion exploded bomb bombing",
    "shooting massacre rampage spree gunman",
    "quake earthquake temblor",
    "raid search",
    "fire blaze",
    "crash collision",
)
_SAME_KIND = {stem: set(terms(group)) for group in _KINDS_OF_EVENT for stem in terms(group)}


@dataclass(frozen=True)
class NamedEvent:
    """A place or name ("India") and the stemmed words of what happened there ("bridge",
    "collapse")."""

    names: tuple[str, ...]
    words: frozenset[str]
    phrase: str = ""  # as the question words it: "the India bridge collapse"

    def stated_in(self, text: str) -> bool:
        """Every name is stated, as written or as a word it begins or is begun by ("India" by
        "Indian", "Thailand" by "Thai"; case and dots aside: "HAVANA —", "US" for "U.S."),
        and every event word, or one of its kind ("stampede" for "crush"), is among the text's
        terms."""
        return self._names_in(text) == set(self.names) and self._words_in(text)

    def stated_by_any(self, texts: list[str]) -> bool:
        """Whether one of the texts states the event. A name none of them states at all (a
        misspelt "Adminisration") is left to the checks on names, which allow for one
        phrased otherwise; the place the others do state, and the event words, are needed."""
        named = [self._names_in(text) for text in texts]
        known = set().union(*named)
        needed = {name for name in self.names if name in known}
        return any(
            needed <= names and self._words_in(t) for names, t in zip(named, texts, strict=True)
        )

    def _names_in(self, text: str) -> set[str]:
        words = {w.replace(".", "") for w in _WORD.findall(text.casefold())}
        return {name for name in self.names if _stated(name, words)}

    def _words_in(self, text: str) -> bool:
        said = set(terms(text))
        return all(_SAME_KIND.get(word, {word}) & said for word in self.words)


def _stated(name: str, words: set[str]) -> bool:
    key = name.casefold().replace(".", "")
    return any(w.startswith(key) or (len(w) >= _SHORTEST_FORM and key.startswith(w)) for w in words)


def named_event(question: str) -> NamedEvent | None:
    """The event the question closes on, or None when it closes on none.

    Only the end of a question is read: there the phrase is what is asked about ("died in the
    India bridge collapse?"), where earlier in a long question it is often background ("the
    Biden Administration's immigration policies", in a question about a governor).
    """
    match = _NAMED_EVENT.search(question)
    if not match or (match.group("before") or "").casefold() in _AUXILIARIES:
        return None
    words = match.group("event").split()
    while words and words[-1] in _NOT_THE_EVENT:
        words.pop()
    if not words or any(w in STOPWORDS for w in words):
        return None
    names = tuple(
        re.sub(r"[’']s?$", "", n) for n in match.group("names").split() if len(n.strip("’'.")) > 1
    )
    stems = frozenset(terms(" ".join(words)))
    if not names or not stems:
        return None
    phrase = " ".join(match.group("phrase").split()[: -len(match.group("event").split())] + words)
    return NamedEvent(names, stems, phrase)
