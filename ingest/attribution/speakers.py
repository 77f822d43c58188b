"""Who a short speaker is: "he" or "she" is the last person named in full, and a surname
alone ("Rubio stated") is the full name given earlier ("Secretary of State Marco Rubio").

A statement is read apart from its article (stored, cited in an answer), where a bare "he"
or "Rubio" no longer says who spoke.
"""

from __future__ import annotations

from ingest.attribution.records import Found
from ingest.attribution.words import PRONOUNS, ROLES


def is_person(speaker: str) -> bool:
    """A capitalised name with a name-like head ("Marco Rubio", "Rubio"), not "the ministry"."""
    words = speaker.split()
    return (
        bool(words)
        and all(w[:1].isupper() for w in words[-2:])
        and (words[-1].lower() not in ROLES)
    )


def is_full_name(speaker: str) -> bool:
    """A person named in more than one word: what a later "he" or "she" refers to."""
    return is_person(speaker) and len(speaker.split()) > 1


def unpronoun(speaker: str, last_person: str) -> str:
    """The speaker with "he" or "she" replaced by the last person named in full ("" if none)."""
    return last_person if speaker in PRONOUNS else speaker


def resolve_surnames(found: list[Found]) -> list[Found]:
    """ "Rubio stated" after "Secretary of State Marco Rubio ..." is the same speaker."""
    full_names: list[str] = []
    for item in found:
        if is_person(item.speaker) and len(item.speaker.split()) == 1:
            match = next((n for n in full_names if n.split()[-1] == item.speaker), None)
            if match:
                item.speaker = match
        elif is_person(item.speaker):
            full_names.append(item.speaker)
    return found
