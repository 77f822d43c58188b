"""Precision and recall of speaker extraction on hand-labelled real paragraphs.

    python -m benchmarks.attribution_quality [--show]

A predicted speaker counts as correct when it names a labelled speaker of that paragraph
(case-insensitive; a surname alone matches the full name, and titles around a name are
allowed: "Interior Secretary Benjamin Abalos Jr." matches "Benjamin Abalos Jr.").
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks.common import shared, table
from ingest.attribution import extract_attributions

LABELS = Path(__file__).with_name("attribution_labels.json")


def paragraph(qid: str, index: int) -> str:
    week = qid.split("_")[0]
    path = shared(f"realtimeqa/gold/{week}_gold.jsonl")
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["question_id"] == qid:
            text = record["search_result"][0].get("text") or ""
            return [p.strip() for p in text.split("\n") if p.strip()][index]
    raise KeyError(qid)


def matches(predicted: str, label: str) -> bool:
    p, g = predicted.casefold().strip('“”" '), label.casefold().strip('“”" ')
    for article in ("the ", "a "):
        p, g = p.removeprefix(article), g.removeprefix(article)
    return g in p or p in g or p.split()[-1] == g.split()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", action="store_true", help="print every paragraph's result")
    args = parser.parse_args()
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    rows = []
    for name in ("items", "heldout"):
        rows.append(
            [
                {"items": "development", "heldout": "held out"}[name],
                len(labels[name]),
                *score(labels[name], args.show),
            ]
        )
    print("Speaker extraction on hand-labelled real paragraphs (RealTimeQA gold articles)")
    print(
        table(
            ["set", "paragraphs", "speakers", "precision", "recall", "F1", "false pos.", "missed"],
            rows,
        )
    )


def score(items: list[dict], show: bool) -> list[object]:
    tp = fp = fn = 0
    for item in items:
        text = paragraph(item["qid"], item["para"])
        predicted = list(dict.fromkeys(a.speaker for a in extract_attributions(text)))
        labels = item["speakers"]
        good = [p for p in predicted if any(matches(p, g) for g in labels)]
        tp_here = sum(any(matches(p, g) for p in predicted) for g in labels)
        tp += tp_here
        fn += len(labels) - tp_here
        fp += len(predicted) - len(good)
        if show:
            print(f"{item['qid']}#{item['para']}: labels={labels} predicted={predicted}")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return [tp + fn, f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}", fp, fn]


if __name__ == "__main__":
    main()
