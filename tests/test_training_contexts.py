"""Training can read a question as a store search would: a BM25 search of its period's news
as of its date, with the question's own results among other documents (real 2025 news)."""

from __future__ import annotations

from datetime import timedelta

from retrieval.question.analysis import analyse
from training import data
from training.contexts import PeriodIndex, as_of_ts


def _question_with_results(docs: dict[str, dict]) -> data.Question:
    return next(
        q
        for q in data.questions("validation")
        if q.results and data.answerable(q, docs) and all(u in docs for u in q.results)
    )


def test_a_period_search_finds_the_questions_news_and_nothing_published_after_it():
    docs = data.corpus("validation")
    q = _question_with_results(docs)
    own = [docs[u] for u in q.results]
    others = [d for d in data.period_documents("validation") if d["url"] not in q.results][:40]
    later = q.as_of + timedelta(days=3)
    # The question's own news again, published after its date: a store asked as of that
    # date holds it, but must not return it.
    reprinted = [
        {**d, "url": d["url"] + "?reprint", "published": later.date().isoformat()} for d in own
    ]
    index = PeriodIndex(own + others + reprinted)

    read = index.passages_for(q, analyse(q.text), 10)

    assert 0 < len(read) <= 10
    assert all(p.published_ts <= as_of_ts(q) for p in read)
    assert not any(p.article.endswith("?reprint") for p in read)
    assert any(p.article in q.results for p in read)
    # The answer is in what is read, as it is in the question's own results.
    right = f" {data.clean(q.correct)} "
    assert any(right in f" {data.clean(p.title + chr(10) + p.text)} " for p in read)
