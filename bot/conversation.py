"""What the bot answered where, so a follow-up ("and what did Rubio say?") has context.

Keys are Discord snowflakes: the id of each answer message (for replies to it) and of each
thread the bot answered in. Bounded: the oldest entries are forgotten first.
"""

from __future__ import annotations

from collections import OrderedDict


class Conversations:
    def __init__(self, capacity: int = 5000) -> None:
        self.capacity = capacity
        self._questions: OrderedDict[int, str] = OrderedDict()

    def remember(self, key: int, question: str) -> None:
        self._questions[key] = question
        self._questions.move_to_end(key)
        while len(self._questions) > self.capacity:
            self._questions.popitem(last=False)

    def recall(self, *keys: int | None) -> str:
        """The question remembered under the first of these keys that has one."""
        for key in keys:
            if key is not None and key in self._questions:
                return self._questions[key]
        return ""
