"""`news-ingest` as a user runs it: JSON summary, exit codes, and a kill mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from retrieval.search.store import PassageStore
from retrieval.settings import Settings
from tests.conftest import shared


def _env(tmp_path):
    env = dict(os.environ, CHROMA_PATH=str(tmp_path / "chroma"), CHROMA_COLLECTION="cli_news")
    env.pop("CHROMA_HOST", None)
    return env


def _cli(args, tmp_path, **kw):
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        **kw,
    )


def test_json_summary_and_nonzero_exit_on_failure(tmp_path, seed_path):
    done = _cli(["--json", str(seed_path), str(tmp_path / "nope.txt")], tmp_path)
    assert done.returncode == 1
    summary = json.loads(done.stdout)
    assert set(summary) == {
        "articles_added",
        "articles_updated",
        "articles_unchanged",
        "passages",
        "embeddings_reused",
        "failed",
        "not_modified",
        "backing_off",
        "seconds",
    }
    assert summary["articles_added"] == 1 and summary["passages"] > 0
    assert summary["failed"] == [
        {"source": str(tmp_path / "nope.txt"), "error": "no such file or folder"}
    ]
    assert f"{tmp_path / 'nope.txt'}: no such file or folder" in done.stderr
    stats = _cli(["--stats", "--json"], tmp_path)
    assert json.loads(stats.stdout)["articles"] == 1
    assert json.loads(stats.stdout)["latest"] == "2026-01-07"


def test_malformed_links_fail_one_line_each(tmp_path, seed_path):
    """Links urllib cannot even split ("[" opens an IPv6 host) had stopped the run with a
    ValueError traceback; each is now one failed input and the rest is ingested."""
    bad = ["https://[::1", "ftp://[x"]
    done = _cli(["--json", *bad, str(seed_path)], tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    summary = json.loads(done.stdout)
    assert summary["articles_added"] == 1
    errors = {f["source"]: f["error"] for f in summary["failed"]}
    assert set(errors) == set(bad)
    assert errors["https://[::1"].startswith("malformed URL")
    assert errors["ftp://[x"] == "unsupported URL scheme 'ftp'"


@pytest.mark.parametrize("interval", ["-1", "0", "nan"])
def test_watch_interval_must_be_positive(tmp_path, interval):
    """-1 had polled once and then died in time.sleep; 0 had quietly meant the default."""
    done = _cli(["--watch", "--interval", interval, "feeds.xml"], tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"--interval: must be more than 0 minutes, not {interval}" in done.stderr


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_killed_run_completes_on_rerun_without_duplicates(tmp_path):
    files = sorted(shared("bbc/tech").glob("*.txt"))[:40]
    args = [sys.executable, "-m", "ingest", "--verbose", "--quiet", *map(str, files)]
    # Small write batches, so the kill lands between (or inside) writes, not after the last.
    env = dict(_env(tmp_path), INGEST_BATCH_PASSAGES="24")
    proc = subprocess.Popen(
        args,
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    stored = 0
    deadline = time.monotonic() + 300
    while stored < 3 and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        stored += "stored " in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert stored >= 3, "the run never stored anything before the kill"

    rerun = _cli(["--json", "--quiet", *map(str, files)], tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["articles_added"] + summary["articles_unchanged"] == 40
    assert summary["articles_unchanged"] >= 3
    assert summary["articles_added"] > 0, f"the kill came too late: {summary}"

    store = PassageStore(
        Settings(_env_file=None, chroma_path=tmp_path / "chroma", chroma_collection="cli_news")
    )
    records = store.registry.get(include=["metadatas"])
    distinct = len({f.read_bytes().strip() for f in files})  # the BBC set has exact duplicates
    assert len(records["ids"]) == distinct
    expected = sum(m["passages"] for m in records["metadatas"])
    ids = store.passages.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == expected
    # The BM25 index (persisted beside Chroma, possibly by the killed run) agrees with Chroma.
    from retrieval.search.lexical import LexicalIndex

    lexical = LexicalIndex(store, tmp_path / "chroma" / "lexical" / "cli_news").current()
    assert sorted(lexical.ids) == sorted(ids)
    assert lexical.generation == store.generation()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_sigterm_stops_cleanly_with_a_message(tmp_path):
    files = sorted(shared("bbc/sport").glob("*.txt"))[:30]
    env = dict(_env(tmp_path), INGEST_BATCH_PASSAGES="24")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", "--verbose", "--quiet", *map(str, files)],
        cwd=tmp_path,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    for line in proc.stderr:
        if "stored " in line:
            break
    proc.send_signal(signal.SIGTERM)
    rest = proc.stderr.read()
    assert proc.wait(timeout=60) == 130
    assert "interrupted; run it again to finish" in rest
