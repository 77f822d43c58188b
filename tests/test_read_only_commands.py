"""Commands that only read create no store, folder or file (the default ./data/chroma)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


def _run(module: str, args: list[str], cwd) -> subprocess.CompletedProcess[str]:
    """As a user runs it in a fresh folder: default settings, no .env, no CHROMA_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHROMA_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _everything_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_asking_before_any_ingest_creates_nothing(tmp_path):
    done = _run("retrieval.cli", ["Who confirmed the casualties?"], tmp_path)
    assert done.returncode == 2
    assert "empty" in done.stderr and done.stderr.strip().count("\n") == 0
    assert _everything_in(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "status"), [(["--stats", "--json"], 0), ([], 2)], ids=["stats", "no inputs"]
)
def test_ingest_commands_that_only_read_create_nothing(tmp_path, args, status):
    done = _run("ingest", args, tmp_path)
    assert done.returncode == status, done.stderr
    if args:
        assert json.loads(done.stdout)["articles"] == 0
    assert _everything_in(tmp_path) == []
