"""news-ask's plain output: batch answers under their questions, authors in the sources."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys


def _ask(args: list[str], chroma_path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, CHROMA_PATH=str(chroma_path), CHROMA_COLLECTION="answers")
    env.pop("CHROMA_HOST", None)
    return subprocess.run(
        [sys.executable, "-m", "retrieval.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


BATCH = [
    "How many Cuban officers were killed?",
    "",
    "   ",
    "{not json",
    json.dumps({"question": "What did Rubio say?", "since": "Jan 5 2026"}),
    json.dumps({"question": "Who?", "since": "flurbsday"}),
    "Who confirmed the pay deal for the ferry crews?",
]


def _headings(stdout: str) -> list[tuple[int, str]]:
    return [(int(n), q) for n, q in re.findall(r"^\[line (\d+)\] (.*)$", stdout, re.MULTILINE)]


def test_plain_batch_heads_each_answer_with_its_line_and_question(seed_engine):
    done = _ask(["--batch", "-"], seed_engine.settings.chroma_path, "\n".join(BATCH) + "\n")
    assert done.returncode == 1, done.stderr  # two bad lines
    assert _headings(done.stdout) == [
        (1, "How many Cuban officers were killed?"),
        (4, "{not json"),
        (5, "What did Rubio say?"),
        (6, "Who?"),
        (7, "Who confirmed the pay deal for the ferry crews?"),
    ]
    blocks = re.split(r"^\[line \d+\] .*$", done.stdout, flags=re.MULTILINE)[1:]
    assert len(blocks) == 5 and all(b.strip() for b in blocks)
    assert blocks[1].strip().startswith("error: line 4: ")
    assert blocks[3].strip().startswith("error: line 6: 'since': 'flurbsday' is not a date")
    assert "Sources:" in blocks[0] and "error" not in blocks[0]


def test_json_batch_stays_one_object_per_question(seed_engine):
    done = _ask(
        ["--batch", "-", "--json"], seed_engine.settings.chroma_path, "\n".join(BATCH) + "\n"
    )
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 5
    assert [o.get("error", "")[:7] for o in out] == ["", "line 4:", "", "line 6:", ""]
    assert "answer" in out[0] and "citations" in out[0]


def test_plain_sources_name_the_authors_the_json_has(seed_engine):
    question = "Who confirmed the pay deal for the ferry crews?"
    plain = _ask([question], seed_engine.settings.chroma_path)
    data = json.loads(_ask([question, "--json"], seed_engine.settings.chroma_path).stdout)
    assert plain.returncode == 0, plain.stderr
    sources = plain.stdout.split("Sources:", 1)[1].strip().splitlines()
    authored = [c for c in data["citations"] if c["authors"]]
    assert authored, data["citations"]  # the ferry story is by Lena Hart
    for citation in authored:
        line = sources[citation["n"] - 1]
        assert all(name in line for name in citation["authors"]), line
