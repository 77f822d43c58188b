"""RealTimeQA questions and documents, split by period, and the quiz's scoring.

Splits: 2023-2024 weeks train, 2025 weeks validate (choices of features, settings and
thresholds), 2022 is a sanity check that nothing is tuned on.
"""

from __future__ import annotations

import ast
import gzip
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("NEWSBOT_SHARED_DATA", REPO.parent / "shared" / "data"))
LATER = "realtimeqa-2023-2025"
SPLIT_YEARS = {"train": ("2023", "2024"), "validation": ("2025",)}
SPLITS = ("train", "validation", "sanity")


@dataclass
class Question:
    qid: str
    text: str
    as_of: datetime
    choices: list[str]
    answer: int
    results: list[str] = field(default_factory=list)  # URLs of its own search results

    @property
    def correct(self) -> str:
        return self.choices[self.answer]

    @property
    def wrong(self) -> list[str]:
        return [c for i, c in enumerate(self.choices) if i != self.answer]


_NOT_KEPT = re.compile(r"[^\w\s$.%-]")


def clean(text: str) -> str:
    """The quiz's normal form: casefold, keep word characters, spaces and `$ . % -`."""
    return " ".join(_NOT_KEPT.sub(" ", text.casefold()).split())


def verdict(answer: str, q: Question, abstained: bool = False) -> str:
    """right / wrong / other / abstained, as the quiz scores a reply's whole text."""
    if abstained:
        return "abstained"
    text = f" {clean(answer)} "
    right = f" {clean(q.correct)} " in text
    wrong = any(f" {clean(w)} " in text for w in q.wrong if clean(w))
    if right and not wrong:
        return "right"
    if wrong and not right:
        return "wrong"
    return "other"


def answerable(q: Question, docs: dict[str, dict]) -> bool:
    """The correct choice is written in one of the question's own search results."""
    target = f" {clean(q.correct)} "
    return any(
        target in f" {clean(docs[u]['title'] + ' ' + docs[u]['text'])} "
        for u in q.results
        if u in docs
    )


def _data(path: str) -> Path:
    target = SHARED_DATA / path
    if not target.exists():
        raise SystemExit(f"evaluation data missing: {target} (expected ../shared/data)")
    return target


@cache
def later_corpus() -> dict[str, dict]:
    """url -> {url, title, text, authors, published, first_seen} for 2023-2025."""
    docs: dict[str, dict] = {}
    with gzip.open(_data(LATER) / "corpus.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            d = json.loads(line)
            docs[d["url"]] = {
                "url": d["url"],
                "title": d.get("title") or "",
                "text": d.get("text") or "",
                "authors": list(d.get("authors") or []),
                "published": (d.get("publish_date") or "").replace("/", "-") or None,
            }
    return docs


def _parse_date(text: str) -> datetime:
    return datetime.strptime(text[:10].replace("-", "/"), "%Y/%m/%d")


def later_questions(split: str) -> list[Question]:
    years = SPLIT_YEARS[split]
    out = []
    with gzip.open(_data(LATER) / "questions.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            q = json.loads(line)
            if q["question_id"][:4] not in years:
                continue
            out.append(_question(q, list(q.get("results") or [])))
    return out


def _question(record: dict, results: list[str]) -> Question:
    return Question(
        qid=record["question_id"],
        text=record["question_sentence"],
        as_of=_parse_date(record["question_date"]),
        choices=list(record["choices"]),
        answer=int(record["answer"][0]),
        results=results,
    )


def _authors(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    try:
        parsed = ast.literal_eval(str(value))
    except (ValueError, SyntaxError):
        return []
    return [str(v) for v in parsed] if isinstance(parsed, list) else []


@cache
def _sanity() -> tuple[tuple[Question, ...], dict[str, dict]]:
    """2022: each question's own search results are its `gcs` results plus its gold article."""
    base = _data("realtimeqa")
    docs: dict[str, dict] = {}
    own: dict[str, list[str]] = {}

    def add(qid: str, r: dict) -> None:
        url = r["url"].split("#:~:text=")[0]
        if not (r.get("text") or "").strip():
            return
        docs.setdefault(
            url,
            {
                "url": url,
                "title": r.get("title") or "",
                "text": r["text"],
                "authors": _authors(r.get("authors")),
                "published": (str(r.get("publish_date") or "")[:10] or None),
            },
        )
        own.setdefault(qid, []).append(url)

    for path in sorted((base / "gcs").glob("*_gcs.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for r in rec["search_result"]:
                add(rec["question_id"], r)
    for path in sorted((base / "gold").glob("*_gold.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for r in rec["search_result"]:
                add(rec["question_id"], r)
    questions = []
    for path in sorted((base / "qa").glob("*_qa.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            questions.append(_question(q, list(dict.fromkeys(own.get(q["question_id"], [])))))
    return tuple(questions), docs


def questions(split: str) -> list[Question]:
    if split == "sanity":
        return list(_sanity()[0])
    return later_questions(split)


def corpus(split: str) -> dict[str, dict]:
    return _sanity()[1] if split == "sanity" else later_corpus()


def period_documents(split: str) -> list[dict]:
    """Every document a split's questions were shown: the corpus to index for that period."""
    docs = corpus(split)
    urls: Iterable[str] = dict.fromkeys(u for q in questions(split) for u in q.results)
    return [docs[u] for u in urls if u in docs]
