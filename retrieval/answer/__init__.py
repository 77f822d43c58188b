"""Composition: the reply a question gets, built from what the reader found (compose), from
a speaker's statements (statements), from a period's headlines (digest), or written by an
optional language model over the same evidence (generate)."""

from retrieval.answer.result import ABSTAIN_TEXT, Answer, distinct_articles, headed

__all__ = ["ABSTAIN_TEXT", "Answer", "distinct_articles", "headed"]
