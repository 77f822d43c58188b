"""Answers as Discord messages, within Discord's limits by construction.

Discord rejects a message whose content passes 2,000 characters, an embed description past
4,096, more than 25 fields, a field value past 1,024, or embeds totalling more than 6,000
characters in one message. Rather than trim (and cut a word or a link in half), long text is
split at the best boundary below the limit into several messages, one embed each.

Everything built from article text or user input is sent with `SILENT` mentions, so an
article containing "@everyone" or a user's "<@123>" never pings anyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import discord

from retrieval.answer import Answer
from retrieval.search.hits import Hit

DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FIELDS_LIMIT = 25
EMBED_TOTAL_LIMIT = 6000
TITLE_LIMIT = 256
FOOTER_LIMIT = 2048

SILENT = discord.AllowedMentions.none()
COLOUR_ANSWER = discord.Colour.blurple()
COLOUR_ABSTAIN = discord.Colour.light_grey()

# Units that must never be split: markdown links, <links>, bare URLs; then words.
_ATOM = re.compile(r"\[[^\]\n]*\]\([^)\s]*\)|<https?://[^>\s]+>|https?://\S+|\S+|\s+")


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, broken between paragraphs, then sentences,
    then words; a link or word is never cut unless it alone is longer than the limit."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _best_cut(rest, limit)
        piece, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if piece:
            pieces.append(piece)
    if rest:
        pieces.append(rest)
    return pieces


def _best_cut(text: str, limit: int) -> int:
    """Where to end the first piece: the last paragraph, sentence or word boundary."""
    ends: list[int] = []
    for m in _ATOM.finditer(text):
        if m.end() > limit:
            break
        ends.append(m.end())
    if not ends:
        return limit  # one unbreakable unit longer than the limit: nothing better exists
    window = text[: ends[-1]]
    floor = limit // 2  # don't make tiny pieces just to end on a paragraph
    for pattern in (r"\n\s*\n", r"\n", r"[.!?…][”\"')\]]*\s"):
        found = [m.end() for m in re.finditer(pattern, window) if m.end() >= floor]
        if found:
            return found[-1]
    spaces = [e for e in ends if text[e - 1].isspace()] or ends
    return spaces[-1]


def escape(text: str) -> str:
    """Article text shown as written: its *, _, ~, | and backticks are not formatting."""
    return discord.utils.escape_markdown(text)


def truncate(text: str, limit: int) -> str:
    """For one-line labels (titles, names): cut at a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut.rstrip() + "…"


def source_line(n: int | None, hit: Hit) -> str:
    title = escape(truncate(hit.title or hit.url or "untitled", 200)).replace("]", "\\]")
    linkable = hit.url.startswith(("http://", "https://")) and len(hit.url) <= 600
    label = f"[{title}]({hit.url})" if linkable else title
    bits = [b for b in (hit.publisher, hit.published) if b]
    line = f"{label} — {escape(', '.join(bits))}" if bits else label
    others = [o.get("publisher") or o.get("title") or "" for o in hit.also_reported_by[:3]]
    if any(others):
        line += f" (also reported by {escape(', '.join(o for o in others if o))})"
    return f"**[{n}]** {line}" if n is not None else f"• {line}"


def answer_markdown(answer: Answer) -> str:
    """The answer's text as Discord markdown: the short answer it opens with in bold, then the
    cited support, with every character taken from articles escaped.

    The engine writes `**short answer** — sentence (speaker, outlet, date) [n] ...`. Escaping
    that whole would show the two pairs of asterisks instead of the answer in bold; so only
    those markers stay markup, and the short answer's own characters (an article's "*" or "_"
    as much as any other) and the rest of the text are escaped as article text always is.
    """
    short = answer.short_answer
    opening = f"**{short}**"
    if short and answer.text.startswith(opening):
        return f"**{escape(short)}**{escape(answer.text[len(opening) :])}"
    return escape(answer.text)


@dataclass
class Reply:
    """One Discord message: an embed, sent with mentions disabled."""

    embed: discord.Embed


def answer_replies(answer: Answer, searched: int, question: str | None = None) -> list[Reply]:
    """The answer as one message, or several when it is long; the last carries the footer."""
    title = truncate(question or answer.question, TITLE_LIMIT)
    colour = COLOUR_ABSTAIN if answer.abstained else COLOUR_ANSWER
    hits = answer.citations if answer.citations else answer.retrieved[:3]
    numbered = bool(answer.citations)
    lines = [source_line(n if numbered else None, h) for n, h in enumerate(hits, start=1)]
    field_name = "Sources" if numbered else "Closest articles"
    footer = f"Searched {searched:,} passages"
    if answer.timings_ms.get("total_ms"):
        footer += f" in {answer.timings_ms['total_ms'] / 1000:.1f} s"
    if answer.mode == "generative":
        footer += " · written by a language model from the sources"

    body = answer_markdown(answer)
    # Leave room for the title, footer and source fields within the 6,000 total.
    budget = min(DESCRIPTION_LIMIT, EMBED_TOTAL_LIMIT - len(title) - len(footer) - 1200)
    pieces = split_text(body, budget) or [""]
    embeds = [discord.Embed(title=title, description=p, colour=colour) for p in pieces]
    for i, embed in enumerate(embeds[1:], start=2):
        embed.title = truncate(f"{title} (part {i})", TITLE_LIMIT)
    fields = _source_fields(field_name, lines)
    last = embeds[-1]
    for name, value in fields:
        # len(embed) is discord.py's count of title, description, fields, footer and author.
        if len(last.fields) >= FIELDS_LIMIT or len(last) + len(name) + len(value) > (
            EMBED_TOTAL_LIMIT - len(footer)
        ):
            last = discord.Embed(title=truncate(f"{title} (sources)", TITLE_LIMIT), colour=colour)
            embeds.append(last)
        last.add_field(name=name, value=value, inline=False)
    last.set_footer(text=truncate(footer, FOOTER_LIMIT))
    return [Reply(e) for e in embeds]


def _source_fields(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """Source lines packed into fields of at most 1,024 characters, never splitting a line."""
    fields: list[tuple[str, str]] = []
    current: list[str] = []
    for line in lines:
        line = line if len(line) <= FIELD_VALUE_LIMIT else truncate(line, FIELD_VALUE_LIMIT)
        if current and len("\n".join([*current, line])) > FIELD_VALUE_LIMIT:
            fields.append((name if not fields else f"{name} (cont.)", "\n".join(current)))
            current = []
        current.append(line)
    if current:
        fields.append((name if not fields else f"{name} (cont.)", "\n".join(current)))
    return fields


def notice(text: str) -> discord.Embed:
    """A short message (cooldown, busy, error) as an embed, so the style matches."""
    return discord.Embed(description=truncate(text, DESCRIPTION_LIMIT), colour=COLOUR_ABSTAIN)
