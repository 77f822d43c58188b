"""Who said what: rule-based attribution of statements to speakers inside article text.

Patterns covered: `"...," X said`, `"...," said X`, `X said ...`, `X said, "..."`,
`according to X`, `as confirmed by X`, `X confirmed`, `X stated`, `..., saying "..."`,
pronouns resolved to the last named person, surnames resolved to the earlier full name, and
credit lines ("contributions from AP reporters A and B"). Rules rather than a parser because
ingest must keep pace with the encoder on two cores; docs/attribution.md reports precision and
recall on labelled real paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.chunker import Span, sentence_spans
from ingest.credits import credited
from retrieval.schema import Attribution
from retrieval.text import strip_dateline

_CUES = (
    "said|says|say|told|tells|confirmed|confirms|announced|announces|stated|denied|denies|"
    "added|adds|noted|warned|warns|explained|explains|wrote|writes|commented|declared|declares|"
    "acknowledged|acknowledges|insisted|insists|argued|argues|replied|reported|pointed out|"
    "points out|highlighted|emphasized|emphasised|stressed|revealed|admitted|admits|tweeted|"
    "recognized|recognised|urged|predicted|disclosed|conceded|alleged|asserted|maintained"
)
_PARTICIPLES = (
    "saying|adding|noting|stating|telling|warning|explaining|insisting|arguing|declaring|writing"
)
_CUE_RE = re.compile(rf"\b(?P<cue>{_CUES})\b")
_PARTICIPLE_RE = re.compile(rf",\s*(?P<cue>{_PARTICIPLES})\b")
_PASSIVE_RE = re.compile(
    r",?\s*(?:as\s+)?(?P<cue>confirmed|announced|reported|stated|revealed|disclosed)\s+by\s+"
)
# What may follow the cue in "..., the union confirmed on Thursday evening.": not a statement.
_ADVERBIAL = re.compile(
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
_THING_AFTER = {
    "tweeted": _WHAT_WAS_WRITTEN,
    "wrote": _WHAT_WAS_WRITTEN,
    "writes": _WHAT_WAS_WRITTEN,
    "announced": _WHAT_WAS_DONE,
    "announces": _WHAT_WAS_DONE,
    "conceded": _WHAT_WAS_DONE,
}
_LEAD_IN = re.compile(r"(?:records|data|figures|estimates|documents) (?:from|by|of) ")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to\s+")
_QUOTE_RE = re.compile(r"“[^”]{2,}”|\"[^\"\n]{2,}\"")
_TOKEN_RE = re.compile(
    r"(?:Jr|Sr|Dr|Mr|Mrs|Ms|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Prof|St)\.|\w(?:[\w’'&-]|\.(?=\w))*|[^\w\s]"
)

_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our"}
_ROLES = set(
    "government officials official spokesman spokeswoman spokesperson spokespeople police "
    "ministry authorities statement president minister secretary reporters reporter sources "
    "source experts expert analysts analyst television tv agency company department office "
    "military army court judge prosecutors prosecutor lawyers lawyer attorney attorneys "
    "researchers scientists doctors residents witnesses leaders leader chief director "
    "commission committee council board officer officers investigators regulators media "
    "network newspaper report study survey team campaign administration embassy group union "
    "service ambassador governor mayor senator senators lawmakers executive executives chairman "
    "ceo founder manager coach player family relatives organizers activists protesters "
    "people spokesmen staff aides aide adviser advisers firm bank club league party records "
    "data figures estimates documents filings website chain retailer airline automaker maker "
    "carrier brand startup operator utility insurer lender economists observers monitor "
    "monitors commentators".split()
)
_MODIFIERS = set(
    [
        "official",
        "state",
        "federal",
        "local",
        "senior",
        "top",
        "former",
        "foreign",
        "chief",
        "military",
        "national",
        "health",
        "security",
        "defense",
        "defence",
        "interior",
        "current",
        "deputy",
        "prime",
        "vice",
        "assistant",
        "general",
        "public",
        "private",
        "independent",
        "anonymous",
        "regional",
        "city",
        "county",
        "press",
        "news",
        "two",
        "three",
        "several",
        "many",
        "some",
        "other",
        "white",
        "communist",
        "ruling",
        "opposition",
        "emergency",
        "joint",
    ]
)
_CONNECTORS = {"of", "for", "de", "and", "the", "at"}
_FUNCTION_WORDS = set(
    "in on at to from with by as for of into onto over under about after before during since "
    "than that this these those which who whom whose while when where and or but if so".split()
)
_TIME_WORDS = set(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December week month year night morning "
    "afternoon evening weekend".split()
)
_SKIPPABLE = set(
    [
        "also",
        "later",
        "previously",
        "earlier",
        "then",
        "has",
        "had",
        "have",
        "was",
        "were",
        "is",
        "are",
        "publicly",
        "reportedly",
        "repeatedly",
        "recently",
        "already",
        "formally",
        "officially",
        "quickly",
        "separately",
        "not",
        "never",
        "first",
        "once",
        "again",
        "further",
        "directly",
        "still",
        "subsequently",
        "initially",
        "privately",
        "ultimately",
        "has",
    ]
)
_PRONOUNS = {"he", "she", "He", "She"}
_STOP_CAPS = set(
    [
        "While",
        "But",
        "And",
        "Throughout",
        "In",
        "On",
        "At",
        "As",
        "After",
        "Before",
        "When",
        "However",
        "Meanwhile",
        "Earlier",
        "Later",
        "Also",
        "Yesterday",
        "Today",
        "Then",
        "Still",
        "So",
        "If",
        "Since",
        "Although",
        "Though",
        "Because",
        "Last",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "There",
        "Here",
        "Over",
        "Under",
        "From",
        "To",
        "For",
        "With",
        "Without",
        "By",
        "During",
        "Despite",
        "Instead",
        "Now",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


@dataclass
class _Found:
    speaker: str
    cue: str
    statement: str
    start: int
    end: int
    sentence: int
    quoted: bool
    # A thing tweeted or written, or an act announced ("Musk tweeted a poll ..."): no
    # statement, but it names the speaker in full for the surnames after it ("Lesko tweeted
    # that ...").
    thing: bool = False


def extract_attributions(text: str, sentences: list[Span] | None = None) -> list[Attribution]:
    """All attributions in an article, in text order, each with its character span."""
    sentences = sentences if sentences is not None else sentence_spans(text)
    quotes = [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]
    found: list[_Found] = []
    last_person = ""
    for si, sent in enumerate(sentences):
        for item in _sentence_attributions(text, sent, si, quotes, last_person):
            found.append(item)
            if _is_person(item.speaker) and len(item.speaker.split()) > 1:
                last_person = item.speaker
    found = [f for f in _resolve_surnames(_merge_same_sentence(found)) if not f.thing]
    credit = credited(text)
    if credit:
        org, names, start, end = credit
        line = _sentence_at(text, sentences, start)
        for name in names:
            who = f"{org} reporter {name}" if org else name
            found.append(_Found(who, "contributed reporting", line, start, end, -1, False))
    return [Attribution(f.speaker, f.cue, f.statement, f.start, f.end) for f in found]


def _sentence_attributions(
    text: str, sent: Span, si: int, quotes: list[tuple[int, int]], last_person: str
) -> list[_Found]:
    out: list[_Found] = []
    s_text = text[sent.start : sent.end]
    taken: list[tuple[int, int]] = []

    def inside_quote(pos: int) -> bool:
        return any(a < pos < b for a, b in quotes)

    def add(
        speaker: str,
        cue: str,
        statement: str,
        start: int,
        end: int,
        quoted: bool,
        reserve: int | None = None,
    ) -> None:
        speaker = speaker.strip(" ,")
        statement = _tidy(statement)
        if speaker and statement:
            out.append(_Found(speaker, cue, statement, start, end, si, quoted))
            if reserve is not None:  # the cue word of a passive/according form
                taken.append((start, reserve))

    for m in _ACCORDING_RE.finditer(s_text):
        pos = sent.start + m.end()
        lead_in = _LEAD_IN.match(text, pos)
        if lead_in:
            pos = lead_in.end()
        if inside_quote(pos):
            continue
        speaker, np_end = _np_right(text, pos, sent.end)
        if not speaker:
            continue
        quote = _quote_after(text, np_end, quotes)
        if quote:
            add(
                speaker,
                "according to",
                text[quote[0] + 1 : quote[1] - 1],
                sent.start + m.start(),
                quote[1],
                True,
            )
        else:
            rest = (s_text[: m.start()] + " " + text[np_end : sent.end]).strip(" ,.")
            add(speaker, "according to", rest, sent.start + m.start(), np_end, False)

    for m in _PASSIVE_RE.finditer(s_text):
        pos = sent.start + m.end()
        if inside_quote(pos):
            continue
        speaker, np_end = _np_right(text, pos, sent.end)
        if speaker:
            before = strip_dateline(s_text[: m.start()].strip())
            add(speaker, m.group("cue"), before, sent.start + m.start(), np_end, False, np_end)

    for m in _CUE_RE.finditer(s_text):
        start, end = sent.start + m.start(), sent.start + m.end()
        if inside_quote(start) or any(a <= start < b for a, b in taken):
            continue
        if text[end : end + 4] == " by " or s_text[m.end() : m.end() + 4] == " by ":
            continue
        cue = m.group("cue")
        speaker, np_start = _np_left(text, start, sent.start)
        speaker_start = np_start
        if speaker in _PRONOUNS:
            speaker = last_person
        quote_before = _quote_before(
            text, np_start if speaker else start, quotes, text.rfind("\n", 0, sent.start) + 1
        )
        if not speaker:
            # Inverted order after a quote: '"...," said the minister.'
            if quote_before or _ends_with_quote(text, sent.start, start):
                speaker, _ = _np_right(text, end, sent.end)
            if not speaker:
                continue
        quote_after = _quote_after(text, end, quotes)
        if quote_before:
            add(
                speaker,
                cue,
                text[quote_before[0] + 1 : quote_before[1] - 1],
                quote_before[0],
                end,
                True,
            )
        elif quote_after:
            add(
                speaker,
                cue,
                text[quote_after[0] + 1 : quote_after[1] - 1],
                start,
                quote_after[1],
                True,
            )
        else:
            clause = re.sub(r"^\s*(?:(?:that|,)\s*)?", "", text[end : sent.end])
            # "said on Monday that taxes would rise": the statement starts after "that".
            clause = re.sub(
                r"^(?:on|in|at|last|this|late|early)\b[^,“\"]{0,40}?\bthat\s+", "", clause
            )
            inverted = re.search(r",\s*$", text[sent.start : speaker_start])
            if speaker_start > sent.start and (
                len(clause.split()) < 2 or (inverted and _ADVERBIAL.match(clause))
            ):
                # "Turnout was high, officials said.": the statement precedes the speaker.
                clause = strip_dateline(text[sent.start : speaker_start].strip())
            before = len(out)
            add(speaker, cue, _own_words(clause), start, sent.end, False)
            thing = _THING_AFTER.get(cue)
            if len(out) > before and thing is not None and thing.match(clause):
                out[-1].thing = True  # "Musk tweeted a poll on Sunday ...": no words of his

    for m in _PARTICIPLE_RE.finditer(s_text):
        start, end = sent.start + m.start("cue"), sent.start + m.end()
        if inside_quote(start):
            continue
        speaker = out[-1].speaker if out else _subject(text, sent)
        if speaker in _PRONOUNS:
            speaker = last_person
        quote = _quote_after(text, end, quotes)
        if speaker and quote:
            add(speaker, m.group("cue"), text[quote[0] + 1 : quote[1] - 1], start, quote[1], True)
    return out


def _tokens_left(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    return list(_TOKEN_RE.finditer(text, lo, hi))


def _np_left(text: str, cue_start: int, limit: int) -> tuple[str, int]:
    """The noun phrase ending just before a cue verb (skipping adverbs and appositives)."""
    toks = _tokens_left(text, limit, cue_start)
    i = len(toks) - 1
    while i >= 0:
        if toks[i].group(0) in _SKIPPABLE:
            i -= 1
        elif (
            i >= 1
            and toks[i].group(0) in _TIME_WORDS
            and toks[i - 1].group(0).lower() in {"on", "last", "this", "in", "late", "early"}
        ):  # "JetBlue Airways on Thursday announced"
            i -= 2
        else:
            break
    if i >= 0 and toks[i].group(0) == ",":
        # ", who is of Cuban descent," or ", a spokesman for X," between subject and verb
        j = i - 1
        while j >= 0 and toks[j].group(0) not in {",", "“", "”", '"'}:
            j -= 1
        inner = toks[j + 1 : i]
        if (
            j > 0
            and toks[j].group(0) == ","
            and toks[j + 1].group(0).lower()
            in {
                "who",
                "which",
                "a",
                "an",
                "the",
                "whose",
                "his",
                "her",
                "its",
                "their",
                "in",
                "on",
                "at",
                "during",
                "speaking",
                "writing",
                "meanwhile",
                "however",
            }
        ):
            i = j - 1
        elif inner and all(_np_token(t.group(0), toks, j + 1 + n) for n, t in enumerate(inner)):
            # "The team's coach, Dana Whitlock, said": the name between commas speaks.
            if _head_ok(inner[-1].group(0)):
                return text[inner[0].start() : inner[-1].end()], inner[0].start()
            return "", cue_start
        else:
            return "", cue_start
    if i >= 0 and toks[i].group(0) in _PRONOUNS:
        return toks[i].group(0), toks[i].start()
    end_i = i
    while i >= 0 and _np_token(toks[i].group(0), toks, i):
        i -= 1
    words = toks[i + 1 : end_i + 1]
    while words and (
        words[0].group(0) in _STOP_CAPS or words[0].group(0).lower() in _CONNECTORS - {"the"}
    ):
        words = words[1:]
    if not words or not _head_ok(words[-1].group(0)):
        return "", cue_start
    return text[words[0].start() : words[-1].end()], words[0].start()


def _np_right(text: str, pos: int, limit: int) -> tuple[str, int]:
    """The noun phrase starting at pos ("by the Cuban government on Sunday" -> the first part)."""
    toks = _tokens_left(text, pos, limit)
    words: list[re.Match[str]] = []
    for k, tok in enumerate(toks):
        if _np_token(tok.group(0), toks, k) and not (tok.group(0) in _STOP_CAPS and words):
            words.append(tok)
        else:
            break
    while words and not _head_ok(words[-1].group(0)):
        words.pop()
    if not words:
        return "", pos
    return text[words[0].start() : words[-1].end()], words[-1].end()


def _np_token(word: str, toks: list[re.Match[str]], k: int) -> bool:
    low = word.lower()
    if word[:1].isupper() and word not in _STOP_CAPS:
        return True
    if low in _DETERMINERS or low in _ROLES or low in _MODIFIERS:
        return True
    if (
        word.isalpha()
        and low not in _FUNCTION_WORDS
        and any(t.group(0).lower() in _ROLES for t in toks[k + 1 : k + 3])
    ):  # a noun modifying a role: "election officials", "health ministry"
        return True
    if low in _CONNECTORS:  # "Secretary of State": only between capitalised words
        before = toks[k - 1].group(0) if k > 0 else ""
        after = toks[k + 1].group(0) if k + 1 < len(toks) else ""
        return _head_ok(before) and _head_ok(after)  # "chief of staff Ron Klain" too
    return False


def _head_ok(word: str) -> bool:
    return (word[:1].isupper() and word not in _STOP_CAPS) or word.lower() in _ROLES


def _subject(text: str, sent: Span) -> str:
    """The sentence-initial noun phrase, for "X commented ..., saying ..."."""
    speaker, _ = _np_right(text, sent.start, sent.end)
    return speaker


def _quote_after(text: str, pos: int, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A quotation opening right after pos (it may run on past the sentence)."""
    for a, b in quotes:
        if a >= pos and re.fullmatch(r"[\s,:—–-]*", text[pos:a]):
            return a, b
    return None


def _quote_before(
    text: str, pos: int, quotes: list[tuple[int, int]], lo: int
) -> tuple[int, int] | None:
    """A quotation closing right before pos, inside the same paragraph."""
    for a, b in quotes:
        if lo <= b <= pos and "\n" not in text[a:pos] and re.fullmatch(r"[\s,]*", text[b:pos]):
            return a, b
    return None


def _ends_with_quote(text: str, lo: int, pos: int) -> bool:
    return bool(re.search(r"[”\"]\s*,?\s*$", text[lo:pos]))


# "Musk has said his goal is to bolster “free speech,” but some worry that ...": what follows
# "but some/critics/..." is what others think, not the speaker's; "but that ...", "but not
# until ..." or "but it ..." may still be the speaker's, so only plainly other people count.
_OTHERS_TAKE_OVER = re.compile(
    r"(,?)([”’\"]?)(,?)\s+but\s+(?:some|many|others|critics|experts|analysts|opponents|"
    r"skeptics|sceptics|observers|detractors)\b",
    re.IGNORECASE,
)


def _own_words(clause: str) -> str:
    """A reported statement without the others' view a writer adds after it."""
    m = _OTHERS_TAKE_OVER.search(clause)
    if not m or not (m.group(1) or m.group(3)):
        return clause
    return clause[: m.end(2)]  # keep a closing quotation mark: the words stay verbatim


def _tidy(statement: str) -> str:
    statement = " ".join(statement.split()).strip(" ,;:")
    return statement[:600]


def _is_person(speaker: str) -> bool:
    """A capitalised name with a name-like head ("Marco Rubio", "Rubio"), not "the ministry"."""
    words = speaker.split()
    return (
        bool(words)
        and all(w[:1].isupper() for w in words[-2:])
        and (words[-1].lower() not in _ROLES)
    )


def _merge_same_sentence(found: list[_Found]) -> list[_Found]:
    """One speaker, one sentence, one attribution: the quoted form wins."""
    merged: list[_Found] = []
    for item in found:
        twin = next(
            (m for m in merged if m.sentence == item.sentence and m.speaker == item.speaker), None
        )
        if twin is None:
            merged.append(item)
        elif item.quoted and not twin.quoted:
            twin.statement, twin.quoted, twin.end = item.statement, True, item.end
            twin.thing = False  # "tweeted a photo of Lynn, writing, “She was ...”"
    return merged


def _resolve_surnames(found: list[_Found]) -> list[_Found]:
    """ "Rubio stated" after "Secretary of State Marco Rubio ..." is the same speaker."""
    full_names: list[str] = []
    for item in found:
        if _is_person(item.speaker) and len(item.speaker.split()) == 1:
            match = next((n for n in full_names if n.split()[-1] == item.speaker), None)
            if match:
                item.speaker = match
        elif _is_person(item.speaker):
            full_names.append(item.speaker)
    return found


def _sentence_at(text: str, sentences: list[Span], pos: int) -> str:
    for s in sentences:
        if s.start <= pos < s.end:
            return text[s.start : s.end]
    return ""
