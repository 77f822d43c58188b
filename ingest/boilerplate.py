"""Site furniture that scrapers leave in article text and that must never become a passage.

Three kinds: single lines dropped where they stand ("See also ...", "Advertisement"), promotion
lines dropped wherever their cue sits in the line (newsletter sign-ups, "Follow X on Twitter",
"Contact X at x@paper.com", "This story has been updated", ad-feedback widgets, video-player
captions, consent notices), and footer markers after which nothing belongs to the article
("Similar Posts:", "Leave a Comment"). The promotion cues were read off the 3,771 scraped news
pages of the RealTimeQA benchmark: 1,428 of them lost at least one line (0.9% of their words)
and 23 were nothing else; such lines became passages and were quoted in answers.
"""

from __future__ import annotations

import re

# Agencies a photo credit ends with ("Albert Retief/AFP/Getty Images", "Ebrahim Noroozi/AP").
_AGENCY = (
    r"(?:getty images|ap|reuters|afp|pool|epa(?:-efe)?|bloomberg|shutterstock|"
    r"anadolu agency|nurphoto|sopa images|lightrocket|zuma press|zuma wire|usa today network|nasa)"
)
_LINE = re.compile(
    # A bullet, an arrow or a zero-width space may lead the line ("►Related: ...").
    r"^[►▶▸•»·*>\s\u200b]*(see also\b|related( articles?| stories| coverage)?:|"
    r"read (more|also|next)\b|"
    r"advertisement$|sponsored( content)?$|click here\b|sign up (for|to)\b|subscribe (to|now)\b|"
    r"follow us\b|image( source)?:|photo:|getty images$|(share|tweet|email|print|copy link)$|"
    # Not a footer: news pages use "More from the tour:" as a subheading mid-article.
    r"more from [^.!?]{0,40}$|"
    # A link to another story, its label glued to the headline ("More:Ned Eisenberg ... dead
    # at 65", "Opinion:Kentucky AG ...", "More Money:From Toys R Us ..."), or CNN's "READ: ...".
    r"(?:more|also|opinion|watch|read)(?: [\w&’'-]+){0,2}:(?=[^\s/])|(?:more|read|watch): |"
    r"more ap [\w ]+:\s*https?://|"
    # A photo credit on its own line ("Albert Retief/AFP/Getty Images"): without sentence
    # punctuation it would run into the next sentence.
    rf"[^.!?/]{{2,40}}(/[^.!?/]{{2,30}}){{0,3}}/{_AGENCY}$)",
    re.IGNORECASE,
)
# Cues that mark a whole line as promotion, wherever they sit in it. A news paragraph can say
# "sign up" or "newsletter", so each cue needs its promotional context ("... to your inbox").
_PROMO = re.compile(
    r"\bnewsletters?\b.*\b(sign up|subscribe|inbox)\b|\b(sign up|subscribe)\b.*\bnewsletters?\b|"
    r"\bdelivered (straight |right )?to your (inbox|phone)\b|"
    r"^follow .{0,80}\bon (twitter|facebook|instagram)\b|"
    r"^(contact|reach|email) .{0,100}(@\w|\b\S+@\S+\.\w+)|"
    r"^(this|the) (story|article)( and headline)? (has|have) been updated\b|"
    r"how relevant is this ad to you|^video player was slow to load content\b|"
    r"\bsupport(ing)? (local |our )journalism\b|"
    r"^we will use the (details|information) you have shared\b|"
    r"\bobject to the use of your data\b|purchases you make through our links\b|"
    r"^check your local forecast here|"
    # A link to a gallery ("📸 Photos: Trump's Mar-a-Lago estate searched by FBI."), or a lone
    # photo's label ("More:Photos: ..." is a link line, above).
    r"^\W*photos:|"
    # Video embeds: a headline with player labels, often twice ("JUST WATCHED ... MUST WATCH").
    r"^just watched\b.*\bmust watch\b|^video ad feedback\b.*\bsource:",
    re.IGNORECASE,
)
_PROMO_MAX_WORDS = 60  # a longer paragraph is prose that happens to mention a newsletter
_FOOTER = re.compile(
    r"^(similar posts|related posts|rate this (post|article)|leave a (comment|reply)|"
    r"share (to|this)\b|you (may|might) also like|recommended for you|"
    r"about the author|comments? \(\d+\)|post navigation)",
    re.IGNORECASE,
)


def _is_dropped_line(text: str) -> bool:
    """Furniture that goes where it stands, leaving what follows (unlike a footer)."""
    if _LINE.match(text):
        return True
    return len(text.split()) <= _PROMO_MAX_WORDS and bool(_PROMO.search(text))


def strip_boilerplate(paragraphs: list[str]) -> list[str]:
    """Drop photo galleries, furniture lines and inline photo credits; cut everything from
    the first footer marker on."""
    kept: list[str] = []
    for para in strip_galleries(paragraphs):
        text = para.strip()
        if not text:
            continue
        if _FOOTER.match(text):
            break
        if _is_dropped_line(text):
            continue
        text = strip_inline_credits(text)
        if text:
            kept.append(text)
    return kept


# One photo of an embedded gallery: "Photos: Deadly flooding in western Europe Two brothers
# embrace Monday, July 19, in front of ... Hide Caption 1 of 38". The caption can run over a
# paragraph break ("... near Moscow.\n\nHide Caption 27 of 30"), and some pages repeat the
# label ("Photos: Photos: Australian pop star ...").
_GALLERY_PHOTO = re.compile(r"Photos:(?:(?!Hide Caption)[\s\S]){0,1500}?Hide Caption \d+ of \d+")
_PHOTO_MARKER = re.compile(r"\s*Hide Caption \d+ of \d+\s*")
# The other layout: a whole gallery in one paragraph, "Photos: The Queen and her corgis
# Bettmann/Getty Images Britain's Queen Elizabeth II and one of her corgis ... Prev Next".
_GALLERY_PARAGRAPH = re.compile(r"^Photos:.*\bPrev Next$")


def strip_galleries(paragraphs: list[str]) -> list[str]:
    """Remove the photo galleries news pages embed (CNN's "Photos: ... Hide Caption 3 of 44",
    or a paragraph of "Photos: ..." captions ending "Prev Next").

    A gallery is a widget, not the article: it is often about something else (224 photos of
    the war in Ukraine inside a story about a vlogger), its captions date their own photos
    ("on June 16" inside a March story, which an answer would date by the article), and its
    labels ran into answers ("Hide Caption 3 of 44 Photos: Mass shooting at Texas elementary
    school Pallbearers carry ..."). Of the RealTimeQA benchmark's 3,780 pages, 33 hold one.
    A page that is nothing but a gallery keeps its captions, without the labels: they are
    all it says.
    """
    text = "\n".join(paragraphs)
    if "Hide Caption" not in text and "Prev Next" not in text:
        return paragraphs
    photos = [m.group(0) for m in _GALLERY_PHOTO.finditer(text)]
    left = _PHOTO_MARKER.sub("\n", _GALLERY_PHOTO.sub("\n", text))
    kept = [p.strip() for p in left.split("\n") if p.strip()]
    kept = [p for p in kept if not _GALLERY_PARAGRAPH.match(p)]
    if kept:
        return kept
    if not photos:
        return paragraphs
    # The gallery's name is the words every "Photos: ..." label starts with.
    labels = [photo.split() for photo in photos]
    shared = 0
    while len(labels) > 1 and all(
        len(words) > shared + 1 and words[shared] == labels[0][shared] for words in labels
    ):
        shared += 1
    captions = (_PHOTO_MARKER.sub(" ", " ".join(words[shared or 1 :])).strip() for words in labels)
    return [caption for caption in captions if caption]


_CREDIT_END = re.compile(
    rf"/{_AGENCY}(?=\s+(?-i:[A-Z“\"‘'])|\s*$)",  # then the next caption, or the paragraph's end
    re.IGNORECASE,
)
_CREDIT_START = re.compile(r"(?:^|(?<=[.!?”\"’)]\s))")


def strip_inline_credits(paragraph: str) -> str:
    """Remove photo credits that galleries run between captions ("... on June 22. Ebrahim
    Noroozi/AP An Afghan man looks ..."): glued to the next caption, they made its sentence
    start with a photographer's name. A credit is what lies between a sentence end and an
    agency after a slash, when it is at most eight capitalised words and slashes."""
    out: list[str] = []
    pos = 0
    for end in _CREDIT_END.finditer(paragraph):
        # The earliest sentence start that leaves only a credit: "J. SCOTT APPLEWHITE/AFP"
        # holds a sentence end of its own after the initial.
        starts = (m.start() for m in _CREDIT_START.finditer(paragraph, pos, end.start()))
        start = next((i for i in starts if _is_credit(paragraph[i : end.end()])), None)
        if start is None:
            continue
        out.append(paragraph[pos:start])
        pos = end.end()
    if not out:
        return paragraph
    out.append(paragraph[pos:])
    return " ".join(" ".join(out).split())


def _is_credit(text: str) -> bool:
    words = text.replace("/", " ").split()
    return 0 < len(words) <= 8 and all(w[:1].isupper() for w in words)


def is_heading(paragraph: str) -> bool:
    """A short line with no sentence punctuation: a section heading, not prose."""
    text = paragraph.strip()
    return len(text.split()) <= 8 and not re.search(r"[.!?:;\"”’)]$", text)


# "New York CNN Business —", "Colombo, Sri Lanka CNN —", "Reuters —": where and who, no news.
_DATELINE = re.compile(r"^(?:[A-Z][\w’'.&-]*,?\s+){1,7}(?:[—–]|--)$")
_EDITORS_NOTE = re.compile(r"^editor[’']?s[’']? note\b", re.IGNORECASE)


def is_dateline(paragraph: str) -> bool:
    """A paragraph that is only a dateline: scraped pages put it on a line of its own."""
    return bool(_DATELINE.match(paragraph.strip()))


def is_editors_note(paragraph: str) -> bool:
    """ "Editor’s Note: ..." introduces the page (a series to watch), it is not its news."""
    return bool(_EDITORS_NOTE.match(paragraph.strip()))
