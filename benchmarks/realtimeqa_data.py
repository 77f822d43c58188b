"""RealTimeQA 2022 as the benchmark reads it: the questions with a gold article, and every
article to index (gold texts and the web-search results that serve as distractors).

Kept apart from `benchmarks.realtimeqa` so the harness there is about what it measures.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from benchmarks.common import shared
from retrieval.schema import url_identity

# Some gold "articles" are an advertising survey, not the article: reported apart.
AD_FORM = "1. How relevant is this ad to you?"


@dataclass
class Question:
    qid: str
    text: str
    as_of: datetime
    choices: list[str]
    answer: int
    gold_url: str
    real_gold: bool


def canonical(url: str) -> str:
    """The article's identity, as the store sees it: a gold URL and a retrieved one match
    when they are the same article under two forms of its link."""
    return url_identity(url)


def _authors(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    try:
        parsed = ast.literal_eval(str(value))
        return [str(v) for v in parsed] if isinstance(parsed, list) else []
    except (ValueError, SyntaxError):
        return []


def load(weeks: int) -> tuple[list[Question], list[dict]]:
    """The questions of the first `weeks` weeks (0: all) and the documents to index."""
    base = shared("realtimeqa")
    week_names = sorted(p.name.split("_")[0] for p in (base / "qa").glob("*_qa.jsonl"))
    if weeks:
        week_names = week_names[:weeks]
    docs: dict[str, dict] = {}
    titles: dict[str, str] = {}
    gold: dict[str, tuple[str, str]] = {}
    for week in week_names:
        _add_search_results(base / "gcs" / f"{week}_gcs.jsonl", docs, titles)
        _add_gold(base / "gold" / f"{week}_gold.jsonl", docs, titles, gold)
    for url, doc in docs.items():
        doc["title"] = doc["title"] or titles.get(url, "")
        doc["source"] = _publisher(url)
    questions = []
    for week in week_names:
        questions += _questions(base / "qa" / f"{week}_qa.jsonl", gold)
    return questions, list(docs.values())


def _add_search_results(gcs: Path, docs: dict[str, dict], titles: dict[str, str]) -> None:
    """A week's web-search results: every title, and the first copy of each page with text."""
    if not gcs.exists():
        return
    for line in gcs.read_text(encoding="utf-8").splitlines():
        for r in json.loads(line)["search_result"]:
            url = canonical(r["url"])
            titles.setdefault(url, r.get("title") or "")
            if r.get("text") and url not in docs:
                docs[url] = {
                    "url": url,
                    "title": r.get("title") or "",
                    "text": r["text"],
                    "published": r.get("publish_date"),
                    "authors": _authors(r.get("authors")),
                    "source": "gcs",
                }


def _add_gold(
    path: Path, docs: dict[str, dict], titles: dict[str, str], gold: dict[str, tuple[str, str]]
) -> None:
    """A week's gold articles (those with text), by question id."""
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if not rec["search_result"] or not rec["search_result"][0].get("text"):
            continue
        r = rec["search_result"][0]
        url = canonical(r["url"])
        gold[rec["question_id"]] = (url, r["text"])
        # The gold text wins over a search result's copy of the same page.
        docs[url] = {
            "url": url,
            "title": titles.get(url, ""),
            "text": r["text"],
            "published": r.get("publish_date"),
            "authors": _authors(r.get("authors")),
            "source": "gold",
        }


def _questions(path: Path, gold: dict[str, tuple[str, str]]) -> list[Question]:
    """A week's questions that have a gold article with text."""
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        if q["question_id"] not in gold:
            continue
        url, text = gold[q["question_id"]]
        questions.append(
            Question(
                qid=q["question_id"],
                text=q["question_sentence"],
                as_of=datetime.strptime(q["question_date"], "%Y/%m/%d"),
                choices=q["choices"],
                answer=int(q["answer"][0]),
                gold_url=url,
                real_gold=not text.startswith(AD_FORM),
            )
        )
    return questions


def small_slice(
    questions: list[Question], docs: list[dict], n_questions: int, n_distractors: int
) -> tuple[list[Question], list[dict]]:
    """The first questions with real gold articles, their gold documents and a few others."""
    chosen = [q for q in questions if q.real_gold][:n_questions]
    gold = {q.gold_url for q in chosen}
    kept = [d for d in docs if d["url"] in gold]
    kept += [d for d in docs if d["url"] not in gold][:n_distractors]
    return chosen, kept


def _publisher(url: str) -> str:
    host = re.sub(r"^www\d?\.|^edition\.", "", url.split("/")[2]) if "://" in url else ""
    return host
