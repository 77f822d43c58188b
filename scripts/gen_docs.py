"""Regenerate the generated parts of the documentation.

    python scripts/gen_docs.py           # write them
    python scripts/gen_docs.py --check   # exit 1 when any of them is stale

Writes:
- docs/settings.md, whole, from the pydantic settings classes (retrieval/settings.py and
  bot/config.py), so the list of settings cannot drift from the code;
- the figures in docs/evaluation.md, docs/embedder.md and README.md, between
  `<!-- figures:start -->` and `<!-- figures:end -->`, from the committed evaluation files:
  training/evaluation.json (written by `python -m training.train_reader`),
  benchmarks/results/reader_quality_<split>.json (written by `python -m benchmarks.reader_quality`)
  and benchmarks/results/embedder_{quality,speed}.json (`python -m benchmarks.embedder_*`).
  A file that does not exist yet is shown as "not measured yet".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from doc_embedder import embedder_figures, readme_speed_lines  # noqa: E402  (beside this script)
from doc_settings import settings_md  # noqa: E402  (beside this script)

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

START = "<!-- figures:start -->"
END = "<!-- figures:end -->"
NOT_MEASURED = "not measured yet"
TRAINING_EVALUATION = "training/evaluation.json"
SHORT = {"validation": "2025 validation", "sanity": "2022 sanity"}
SPLITS = (
    ("train", "train (RealTimeQA 2023-2024)"),
    ("validation", "validation (RealTimeQA 2025)"),
    ("sanity", "sanity (RealTimeQA 2022)"),
)
READER_METHODS = (
    ("top passage", "first passage of the hybrid search"),
    ("top sentence", "best sentence by the sentence model"),
    ("short answer", "short answer alone"),
    ("reader", "learned reader (short answer and support)"),
    ("reader, abstaining", "learned reader with its abstention threshold"),
)

# ---------------------------------------------------------------------------------------------
# figures


def _load(relative: str) -> dict | None:
    path = REPO / relative
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _rate(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "-"


def _int(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int | float) else "-"


def _ms(value: Any) -> str:
    return f"{value:,.0f}" if isinstance(value, int | float) else "-"


def _reader_quality(split: str) -> dict | None:
    return _load(f"benchmarks/results/reader_quality_{split}.json")


def readme_figures() -> str:
    """The short quality-and-speed table of README.md."""
    lines = [
        "| measured | split | right | wrong | abstained | wrong, unanswerable | p50 ms | p95 ms |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    ev = _load(TRAINING_EVALUATION)
    for split, label in ((s, SHORT[s]) for s, _ in SPLITS[1:]):
        what = "reader alone, each question's own search results"
        row = _get(ev, "splits", split, "reader, abstaining") or _get(ev, "splits", split, "reader")
        if not row:
            lines.append(f"| {what} | {label} | {NOT_MEASURED} | | | | | |")
            continue
        ans, una = row.get("answerable", {}), row.get("unanswerable", {})
        lines.append(
            f"| {what} | {label} | {_rate(ans.get('right'))} | {_rate(ans.get('wrong'))} "
            f"| {_rate(ans.get('abstained'))} | {_rate(una.get('wrong'))} | - | - |"
        )
    for split, label in ((s, SHORT[s]) for s, _ in SPLITS[1:]):
        what = "whole engine, the period's news"
        row = _get(_reader_quality(split), "configurations", "learned reader")
        if not row:
            lines.append(f"| {what} | {label} | {NOT_MEASURED} | | | | | |")
            continue
        ans, una = row.get("answerable", {}), row.get("unanswerable", {})
        lines.append(
            f"| {what} | {label} | {_rate(ans.get('right'))} | {_rate(ans.get('wrong'))} "
            f"| {_rate(ans.get('abstained'))} | {_rate(una.get('wrong'))} "
            f"| {_ms(row.get('p50_ms'))} | {_ms(row.get('p95_ms'))} |"
        )
    return "\n".join(
        [
            "Answers to RealTimeQA news-quiz questions, asked without their choices as of the",
            "question's date. Right, wrong and abstained are shares of the questions whose",
            'answer is in the news searched; "wrong, unanswerable" is the share of the other',
            "questions answered with a wrong choice. Times are for a whole answer on 2 CPU",
            "cores. Scoring and all figures: [docs/evaluation.md](docs/evaluation.md).",
            "",
            *lines,
            *readme_speed_lines(),
        ]
    )


def _training_section() -> list[str]:
    ev = _load(TRAINING_EVALUATION)
    out = ["### The reader on each question's own search results", ""]
    if not ev:
        out += [f"`{TRAINING_EVALUATION}`: {NOT_MEASURED}.", ""]
        return out
    out += [
        f"From `{TRAINING_EVALUATION}` (seed {ev.get('seed', '-')}; fitting and evaluating took "
        f"{_int(ev.get('seconds'))} s). Each question is read from its own search results, "
        "without a store. Shares of the answerable questions, and of the unanswerable ones "
        "answered with a wrong choice:",
        "",
        "| split | method | right | wrong | other | abstained | wrong, unanswerable |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split, label in SPLITS:
        data = _get(ev, "splits", split)
        if not data:
            out.append(f"| {label} | {NOT_MEASURED} | | | | | |")
            continue
        for key, name in READER_METHODS:
            ans = _get(data, key, "answerable")
            if ans is None:
                continue
            una = _get(data, key, "unanswerable") or {}
            out.append(
                f"| {label} | {name} | {_rate(ans.get('right'))} | {_rate(ans.get('wrong'))} "
                f"| {_rate(ans.get('other'))} | {_rate(ans.get('abstained'))} "
                f"| {_rate(una.get('wrong'))} |"
            )
    out += [
        "",
        "Questions and how often the answer is in some sentence ranked first, in the first 5, "
        "10 or 24 sentences (answerable questions):",
        "",
        "| split | questions with results | answerable | ranking | @1 | @5 | @10 | @24 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split, label in SPLITS:
        data = _get(ev, "splits", split)
        if not data:
            out.append(f"| {label} | {NOT_MEASURED} | | | | | | |")
            continue
        counts = data.get("questions", {})
        for key, name in (
            ("sentence recall", "sentence model"),
            ("sentence recall, BM25 alone", "BM25 alone"),
        ):
            rec = data.get(key)
            if not isinstance(rec, dict):
                continue
            out.append(
                f"| {label} | {_int(counts.get('with results'))} "
                f"| {_int(counts.get('answerable'))} | {name} "
                f"| {_rate(rec.get('@1'))} | {_rate(rec.get('@5'))} "
                f"| {_rate(rec.get('@10'))} | {_rate(rec.get('@24'))} |"
            )
    settings = ev.get("settings")
    if isinstance(settings, dict) and settings:
        chosen = ", ".join(f"`{k}` = {v}" for k, v in settings.items())
        out += ["", f"Settings chosen on validation: {chosen}."]
    by_choice = ev.get("support sentences, validation answerable right and wrong by choice")
    if isinstance(by_choice, dict) and by_choice:
        out += [
            "",
            "Validation answerable questions by what follows the short answer: how many "
            "sentences, and how the second is chosen (`answer`: another sentence naming the "
            "answer; `question`: the best sentence read; `runner-up`: the best sentence of "
            "the next candidate):",
            "",
            "| support | right | wrong |",
            "| --- | --- | --- |",
            *(
                f"| {k} | {_rate(v.get('right'))} | {_rate(v.get('wrong'))} |"
                for k, v in by_choice.items()
                if isinstance(v, dict)
            ),
        ]
    out += _ablation_lines(ev)
    out.append("")
    return out


def _ablation_lines(ev: dict) -> list[str]:
    ablations = ev.get("ablations (validation answerable right)")
    if isinstance(ablations, dict) and ablations:
        left_out = ", ".join(
            f"`{f}`" for f in ev.get("features left out (validation ablation)", [])
        )
        return [
            "",
            "Ablations: the candidate model refitted without each group of features, read on "
            f"validation (answerable right). Left out of the stored model: {left_out or 'none'}.",
            "",
            "| candidate model | validation right |",
            "| --- | --- |",
            *(f"| {name} | {_rate(value)} |" for name, value in ablations.items()),
        ]
    return []


def _engine_section() -> list[str]:
    out = ["### The whole engine over a period's news", ""]
    for split, label in SPLITS[1:]:
        rel = f"benchmarks/results/reader_quality_{split}.json"
        report = _load(rel)
        out.append(f"**{label}** (`{rel}`)")
        out.append("")
        configs = _get(report, "configurations")
        if not configs:
            out += [f"{NOT_MEASURED.capitalize()}.", ""]
            continue
        out += [
            f"{_int(report.get('questions'))} questions ({_int(report.get('answerable'))} "
            f"answerable; weeks through {report.get('weeks through', 'all')}) over "
            f"{_int(report.get('passages'))} passages.",
            "",
            "| configuration | right | wrong | other | abstained | wrong, unanswerable "
            "| abstained, unanswerable | p50 ms | p95 ms |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, row in configs.items():
            ans = row.get("answerable", {})
            una = row.get("unanswerable", {})
            out.append(
                f"| {name} | {_rate(ans.get('right'))} | {_rate(ans.get('wrong'))} "
                f"| {_rate(ans.get('other'))} | {_rate(ans.get('abstained'))} "
                f"| {_rate(una.get('wrong'))} | {_rate(una.get('abstained'))} "
                f"| {_ms(row.get('p50_ms'))} | {_ms(row.get('p95_ms'))} |"
            )
        out.append("")
    return out


def evaluation_figures() -> str:
    return "\n".join(
        ["<!-- Generated by scripts/gen_docs.py; do not edit by hand. -->", ""]
        + _training_section()
        + _engine_section()
    ).rstrip()


# ---------------------------------------------------------------------------------------------
# files


def _between(text: str, body: str, where: str) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{where}: missing {START} ... {END} markers")
    return text[: start + len(START)] + "\n" + body.strip("\n") + "\n" + text[end:]


def expected() -> dict[Path, str]:
    """Each generated file and the full text it should have."""
    out = {REPO / "docs" / "settings.md": settings_md()}
    for relative, body in (
        ("README.md", readme_figures()),
        ("docs/evaluation.md", evaluation_figures()),
        ("docs/embedder.md", embedder_figures()),
    ):
        path = REPO / relative
        out[path] = _between(path.read_text(encoding="utf-8"), body, relative)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if anything is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path.relative_to(REPO).as_posix())
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.check:
        if stale:
            print("stale: " + ", ".join(stale) + " (run: python scripts/gen_docs.py)")
            return 1
        print("generated docs are up to date")
        return 0
    print("wrote " + ", ".join(stale) if stale else "nothing to change")
    return 0


if __name__ == "__main__":
    sys.exit(main())
