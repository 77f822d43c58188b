"""Optional generative answers through any OpenAI-compatible chat-completions endpoint.

Ollama, vLLM, llama.cpp's server and OpenAI all speak this protocol. The model sees only the
retrieved passages, numbered; a citation naming no passage is removed, and a reply with no
valid citation, a malformed reply, an HTTP error or a timeout all fall back to the
extractive answer (the caller keeps it).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import httpx

from retrieval.search.hits import Hit

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "You answer questions about the news using only the numbered passages given. "
    "Cite every claim with the passage number in square brackets, like [1]. "
    "Say who said what when the passage attributes it. If the passages do not answer the "
    "question, reply exactly: I couldn't find that in the news I have."
)
_CITATION = re.compile(r"\[(\d+)\]")


class GenerationError(RuntimeError):
    """The endpoint failed or replied with something unusable."""


@dataclass(frozen=True)
class Generated:
    text: str  # citations renumbered 1..n in order of first use
    cited: list[Hit]


class ChatGenerator:
    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 30.0):
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.timeout = timeout

    def run(self, question: str, hits: list[Hit]) -> Generated:
        passages = "\n\n".join(
            f"[{n}] {h.title} ({h.publisher or 'unknown publisher'}, {h.published or 'undated'})"
            f"\n{h.text}"
            for n, h in enumerate(hits, start=1)
        )
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Passages:\n\n{passages}\n\nQuestion: {question}"},
            ],
        }
        try:
            resp = httpx.post(self.url, json=body, headers=self.headers, timeout=self.timeout)
            resp.raise_for_status()
            content = resp.json()["choices"][0]["message"]["content"]
        except httpx.TimeoutException as exc:
            raise GenerationError(f"no reply within {self.timeout:g} s") from exc
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            raise GenerationError(f"unusable reply ({exc.__class__.__name__}: {exc})") from exc
        if not isinstance(content, str) or not content.strip():
            raise GenerationError("empty reply")
        return renumber(content.strip(), hits)


def renumber(text: str, hits: list[Hit]) -> Generated:
    """Drop citations of passages that were never given; number the rest 1..n."""
    order: list[int] = []

    def fix(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if not 1 <= n <= len(hits):
            return ""
        if n not in order:
            order.append(n)
        return f"[{order.index(n) + 1}]"

    cleaned = re.sub(r"\s+([.,;:])", r"\1", _CITATION.sub(fix, text))
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned).strip()
    if not order:
        raise GenerationError("the reply cites none of the retrieved passages")
    return Generated(cleaned, [hits[n - 1] for n in order])
