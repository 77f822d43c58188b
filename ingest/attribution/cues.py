"""Speech cues: the words that mark reported speech, and what after one is not speech.

A cue is a verb of saying ("said", "told", "tweeted"), a participle after a comma
(", saying"), a passive ("as confirmed by") or "according to". After a cue of writing or
announcing, a thing written or an act announced ("tweeted a poll", "announces her
resignation") is no statement of the speaker's; THING_AFTER tells those apart.
"""

from __future__ import annotations

import re

CUES = (
    "said|says|say|told|tells|confirmed|confirms|announced|announces|stated|denied|denies|"
    "added|adds|noted|warned|warns|explained|explains|wrote|writes|commented|declared|declares|"
    "acknowledged|acknowledges|insisted|insists|argued|argues|replied|reported|pointed out|"
    "points out|highlighted|emphasized|emphasised|stressed|revealed|admitted|admits|tweeted|"
    "recognized|recognised|urged|predicted|disclosed|conceded|alleged|asserted|maintained"
)
PARTICIPLES = (
    "saying|adding|noting|stating|telling|warning|explaining|insisting|arguing|declaring|writing"
)
CUE_RE = re.compile(rf"\b(?P<cue>{CUES})\b")
PARTICIPLE_RE = re.compile(rf",\s*(?P<cue>{PARTICIPLES})\b")
PASSIVE_RE = re.compile(
    r",?\s*(?:as\s+)?(?P<cue>confirmed|announced|reported|stated|revealed|disclosed)\s+by\s+"
)
# What may follow the cue in "..., the union confirmed on Thursday evening.": not a statement.
ADVERBIAL = re.compile(
    r"(?:(?:on|in|at|during|late|early|last|this|after|before|to|by|via|from)\b[^,;:“\"]*|"
    r"\w+ly\b[^,;:“\"]*)?[.!?]?\s*$",
    re.IGNORECASE,
)
# "Musk tweeted a poll ...", "Pelosi wrote an op-ed ...", "Truss announces her resignation":
# after a cue of writing, a thing written or posted names no words of the speaker's (it had
# been answered "Musk tweeted: a poll on Sunday asking if he should bring back Vine."), nor
# after a cue of announcing does an act ("What did Liz Truss say in her resignation speech?"
# led "... Liz Truss announces: her resignation outside Number 10 ...", a photo caption). A
# quotation that follows is still attributed ("... a photo of Lynn, writing, “She was ...”").
_WRITTEN = (
    r"video|photo|photograph|picture|pic|image|poll|meme|screenshot|emoji|link|letter|op-ed|"
    r"column|article|story|book|opinion|editorial|post|blog|review|song|album|message|tribute|"
    r"response|reply|reaction|thread|paper|draft|biography|profile|follow-up|feature|series|"
    r"statement|note|proposal|order|appreciation|condolences|support|congratulations|"
    r"opposition|disagreement|thanks|praise|sympathy|reminder|news|idea|observation|tweet|"
    r"invitation"
)
_ACTS = (
    r"resignation|retirement|candidacy|engagement|pregnancy|divorce|departure|innocence|"
    r"defeat|loss|death|run|bid|wedding|split"
)


def _thing(nouns: str) -> re.Pattern[str]:
    """A clause that opens with one of `nouns` as a thing, not as the subject of a verb."""
    return re.compile(
        rf"(?:a|an|the|his|her|their|its|this|that)\s+(?:[\w’'“”\",.-]+\s+){{0,3}}?(?:{nouns})s?"
        # What may follow a thing: "a poll on Sunday asking ...", "a meme comparing ...",
        # "the review." Not a verb ("The judge wrote the order shouldn't be read as ...": a
        # clause with the order its subject) nor a noun ("a county poll worker ... moved").
        r"(?=\s*(?:[.,;:!?)]|$)|\s+(?:of|on|to|about|in|for|with|from|at|that|which|who|and|"
        r"as|after|before|during|outside|inside|near|amid|over|via|by|following|ahead|last|this|"
        r"earlier|yesterday|today|tonight|monday|tuesday|"
        r"wednesday|thursday|friday|saturday|sunday|\w+ing)\b)",
        re.IGNORECASE,
    )


_WHAT_WAS_WRITTEN = _thing(_WRITTEN)
_WHAT_WAS_DONE = _thing(_ACTS)
THING_AFTER = {
    "tweeted": _WHAT_WAS_WRITTEN,
    "wrote": _WHAT_WAS_WRITTEN,
    "writes": _WHAT_WAS_WRITTEN,
    "announced": _WHAT_WAS_DONE,
    "announces": _WHAT_WAS_DONE,
    "conceded": _WHAT_WAS_DONE,
}
# "according to data from the ministry": the source is the ministry, not the data.
LEAD_IN = re.compile(r"(?:records|data|figures|estimates|documents) (?:from|by|of) ")
ACCORDING_RE = re.compile(r"\b[Aa]ccording to\s+")
