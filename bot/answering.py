"""The bridge from Discord to the engine: one place that runs questions off the event loop.

Every entry point (/ask, mentions, DMs, `!ask`, follow-ups) comes through `AnswerService`, so
they share the cooldown, the per-server cap, the error messages and the engine; what the CLI
answers is what Discord users get.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date

from bot.config import BotSettings
from bot.guards import GuildLimiter, UserCooldown
from retrieval.answer import Answer
from retrieval.engine import EmptyStoreError, NewsEngine
from retrieval.question.query import Query
from retrieval.question.small_talk import reply_to
from retrieval.search.embedder import ModelLoadError
from retrieval.search.store import StoreError

log = logging.getLogger(__name__)

EMPTY_STORE = "I haven't read any news yet. A moderator can add some with `/ingest`."
UNAVAILABLE = "Search is unavailable right now; please try again in a moment."
APOLOGY = "Sorry, something went wrong while answering that. It has been logged."
MAX_QUESTION = 500


@dataclass
class Outcome:
    """An answer, or a short message saying why there is none."""

    answer: Answer | None = None
    message: str = ""
    searched: int = 0


class AnswerService:
    def __init__(self, engine: NewsEngine, settings: BotSettings) -> None:
        self.engine = engine
        self.settings = settings
        self.cooldown = UserCooldown(settings.ask_cooldown_rate, settings.ask_cooldown_seconds)
        self.limiter = GuildLimiter(settings.guild_concurrency)

    def check_cooldown(self, user_id: int) -> str:
        """'' when the user may ask; otherwise the friendly message to show instead."""
        wait = self.cooldown.retry_after(user_id)
        if wait <= 0:
            return ""
        return (
            f"You're asking quickly! Please wait {max(1, round(wait))} s before the next question."
        )

    def small_talk(self, question: str) -> str | None:
        """The short reply to "hello" or "thanks!" (no answer with sources), else None.

        The one test of small talk for every entry point: `answer` replies with it, and the
        mention handler asks it first so that a greeting gets no thread of its own.
        """
        return reply_to(_normal(question))

    async def answer(
        self,
        question: str,
        *,
        place: str,
        context: str = "",
        since: date | None = None,
        source: str | None = None,
        publishers: tuple[str, ...] | None = None,
    ) -> Outcome:
        """Answer in a worker thread; `place` is the server (or DM user) the cap applies to;
        `publishers` limits the news searched to those outlets (a server's followed feeds)."""
        question = _normal(question)
        if not question:
            return Outcome(message="Ask me a question about the news, e.g. `/ask Who won?`")
        chat = self.small_talk(question)
        if chat is not None:
            return Outcome(message=chat)
        if not self.limiter.try_acquire(place):
            return Outcome(
                message=f"I'm already answering {self.limiter.cap} questions here; "
                "please ask again in a moment."
            )
        query = Query(
            question=question,
            since=since,
            source=source or None,
            publishers=publishers,
            context=context,
        )
        try:
            answer, searched = await asyncio.to_thread(self._ask, query)
        except EmptyStoreError:
            return Outcome(message=EMPTY_STORE)
        except (StoreError, ModelLoadError) as exc:
            log.error("search unavailable for %r in %s: %s", question, place, exc)
            return Outcome(message=UNAVAILABLE)
        except Exception:
            log.exception("answering %r in %s failed", question, place)
            return Outcome(message=APOLOGY)
        finally:
            self.limiter.release(place)
        return Outcome(answer=answer, searched=searched)

    def _ask(self, query: Query) -> tuple[Answer, int]:
        answer = self.engine.ask(query)
        return answer, self.engine.count_passages()


def _normal(question: str) -> str:
    """The question as it is answered: white space folded, at most MAX_QUESTION characters."""
    return " ".join(question.split())[:MAX_QUESTION]
