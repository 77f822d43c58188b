"""The ingest progress bar counts articles as they are stored, with passages, rate, time left."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from ingest import ingest_sources
from ingest.progress import IngestProgress
from tests.conftest import REPO


def _states(text: str) -> list[str]:
    """Each state the bar printed (tqdm rewrites its line with carriage returns)."""
    return [s.strip() for s in re.split(r"[\r\n]", text) if s.strip()]


def test_the_bar_moves_with_stored_articles_and_estimates_the_total():
    out = io.StringIO()
    bar = IngestProgress(sources=4, enabled=True, file=out)
    bar.source_read(3)  # the first source held 3 articles: about 12 in all
    assert bar._bar.total == 12
    bar.stored(articles=2, passages=9)
    bar.skipped(1)
    for so_far in (5, 6, 7):
        bar.source_read(so_far)
    assert bar._bar.total == 7  # every source read: exact
    bar.stored(articles=4, passages=20)
    bar.close()
    last = _states(out.getvalue())[-1]
    assert "7/7" in last and "passages=29" in last and "sources=4/4" in last
    assert re.search(r"\d\d:\d\d<\d\d:\d\d", last)  # elapsed < time left
    assert "article/s" in last or "s/article" in last  # the rate


def test_a_run_shows_what_is_stored(tmp_path, store, embedder, settings, seed_path, capsys):
    report = ingest_sources(
        [str(seed_path), str(REPO / "samples")], store, embedder, settings, progress=True
    )
    states = _states(capsys.readouterr().err)
    assert states[0].startswith("ingest:") and "passages=0" in states[0]
    last = states[-1]
    done = report.articles_added
    assert f"{done}/{done}" in last and f"passages={report.passages}" in last
    for state in states:  # full only once everything is stored
        assert "100%" not in state or f"passages={report.passages}" in state


def _ingest(args: list[str], tmp_path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHROMA_PATH=str(tmp_path / "chroma"), CHROMA_COLLECTION="progress")
    env.pop("CHROMA_HOST", None)
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_no_bar_off_a_terminal_unless_asked(tmp_path, seed_path):
    quiet = _ingest([str(seed_path)], tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
    (tmp_path / "again").mkdir()
    asked = _ingest(["--progress", str(seed_path), str(REPO / "samples")], tmp_path / "again")
    assert asked.returncode == 0, asked.stderr
    last = _states(asked.stderr)[-1]
    assert "8/8" in last and "passages=" in last and "sources=6/6" in last
