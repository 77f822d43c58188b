"""HTML extraction quality: body text F1 and title/author/date accuracy.

    python -m benchmarks.extraction_quality

1. Scrapinghub article-extraction-benchmark (181 pages): precision/recall/F1 of our body text
   against the ground-truth `articleBody`, on word tokens and on 4-word shingles (as that
   benchmark's own evaluation does), next to trafilatura's plain `extract()` in the same run.
2. trafilatura's English news subset (59 pages): title, author and date accuracy where the
   evaluation data states them, and the share of must-have / must-not-have snippets honoured.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import unicodedata
from collections import Counter

import trafilatura

from benchmarks.common import shared, table
from ingest.decode import decode_text
from ingest.errors import SourceError
from ingest.loaders.html import parse_html_article


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.findall(r"\w+", text)


def _prf(pred: Counter, gold: Counter) -> tuple[float, float, float]:
    overlap = sum((pred & gold).values())
    p = overlap / sum(pred.values()) if pred else 0.0
    r = overlap / sum(gold.values()) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _shingles(tokens: list[str], n: int = 4) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 1)))


def scrapinghub() -> list[list[object]]:
    folder = shared("extraction/scrapinghub_article_extraction_benchmark")
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    systems = {"newsbot (trafilatura + cleanup)": [], "trafilatura.extract alone": []}
    seconds = {name: 0.0 for name in systems}
    for sha, item in sorted(truth.items()):
        raw = gzip.decompress((folder / "html" / f"{sha}.html.gz").read_bytes())
        html = decode_text(raw, sha)
        gold = _tokens(item["articleBody"])
        t0 = time.perf_counter()
        try:
            ours = parse_html_article(html, sha, item.get("url", "")).text
        except SourceError:
            ours = ""
        seconds["newsbot (trafilatura + cleanup)"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        plain = trafilatura.extract(html, url=item.get("url")) or ""
        seconds["trafilatura.extract alone"] += time.perf_counter() - t0
        for name, text in (
            ("newsbot (trafilatura + cleanup)", ours),
            ("trafilatura.extract alone", plain),
        ):
            toks = _tokens(text)
            systems[name].append(
                (_prf(Counter(toks), Counter(gold)), _prf(_shingles(toks), _shingles(gold)))
            )
    rows = []
    for name, scores in systems.items():
        n = len(scores)
        tok = [sum(s[0][i] for s in scores) / n for i in range(3)]
        shi = [sum(s[1][i] for s in scores) / n for i in range(3)]
        rows.append(
            [
                name,
                n,
                *(f"{v:.3f}" for v in tok),
                *(f"{v:.3f}" for v in shi),
                f"{1000 * seconds[name] / n:.0f}",
            ]
        )
    return rows


def _norm(text: str) -> str:
    return " ".join(_tokens(text))


def trafilatura_subset() -> list[list[object]]:
    base = shared("extraction/trafilatura_eval_en_news_subset")
    evaldata = json.loads((base / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    by_file = {v["file"]: (url, v) for url, v in evaldata.items()}
    counts = {k: [0, 0] for k in ("title", "author", "date", "with", "without")}
    for rel in (base / "selected_files.txt").read_text().split():
        path = base / rel
        url, expect = by_file[path.name]
        html = decode_text(path.read_bytes(), rel)
        try:
            article = parse_html_article(html, rel, url)
        except SourceError:
            article = None
        body = _norm(article.text if article else "")
        if expect.get("title"):
            counts["title"][1] += 1
            counts["title"][0] += bool(article) and _norm(article.title) == _norm(expect["title"])
        if expect.get("author"):
            counts["author"][1] += 1
            wanted = {_norm(a) for a in re.split(r";|,| and ", expect["author"]) if a.strip()}
            got = {_norm(a) for a in (article.authors if article else [])}
            counts["author"][0] += bool(got) and wanted == got
        if expect.get("date"):
            counts["date"][1] += 1
            counts["date"][0] += bool(article and article.published) and (
                article.published.date().isoformat() == expect["date"][:10]
            )
        for snippet in expect.get("with", []):
            counts["with"][1] += 1
            counts["with"][0] += _norm(snippet) in body
        for snippet in expect.get("without", []):
            counts["without"][1] += 1
            counts["without"][0] += _norm(snippet) not in body
    return [[k, f"{ok}/{n}", f"{ok / n:.3f}" if n else "-"] for k, (ok, n) in counts.items()]


def main() -> None:
    print("Scrapinghub article-extraction-benchmark (181 pages), mean per page")
    print(
        table(
            [
                "system",
                "pages",
                "token P",
                "token R",
                "token F1",
                "4-gram P",
                "4-gram R",
                "4-gram F1",
                "ms/page",
            ],
            scrapinghub(),
        )
    )
    print()
    print("trafilatura English news subset (59 pages): metadata and snippets")
    print(table(["field", "correct", "accuracy"], trafilatura_subset()))


if __name__ == "__main__":
    main()
