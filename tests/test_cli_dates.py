"""Dates as people type them in news-ask's --since, --until and --as-of."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from retrieval.cli import _read_dates, build_parser, read_date


def _ask(args: list[str], chroma_path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHROMA_PATH=str(chroma_path), CHROMA_COLLECTION="answers")
    env.pop("CHROMA_HOST", None)
    return subprocess.run(
        [sys.executable, "-m", "retrieval.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("Jan 5 2026", date(2026, 1, 5)),
        ("5 January 2026", date(2026, 1, 5)),
        ("January 5, 2026", date(2026, 1, 5)),
        ("2026/01/05", date(2026, 1, 5)),
    ],
)
def test_written_dates(typed, expected):
    assert read_date(typed).date() == expected


def test_relative_dates_count_back_from_today():
    today = date.today()
    assert read_date("yesterday").date() == today - timedelta(days=1)
    assert read_date("3 days ago").date() == today - timedelta(days=3)
    assert read_date("today").date() == today
    monday = read_date("monday").date()
    assert monday.weekday() == 0 and today - timedelta(days=7) <= monday <= today


def test_flags_become_dates_and_a_datetime():
    args = argparse.Namespace(since="3 days ago", until="yesterday", as_of="2026-01-08T12:00")
    assert _read_dates(args) == ""
    assert args.since == date.today() - timedelta(days=3)
    assert args.until == date.today() - timedelta(days=1)
    assert args.as_of == datetime(2026, 1, 8, 12, 0)


def test_help_shows_the_accepted_forms():
    text = build_parser().format_help()
    for form in ("2026-01-05", "Jan 5 2026", "yesterday", "3 days ago", "monday"):
        assert form in text


def test_an_unreadable_date_is_one_line_naming_it(tmp_path):
    done = _ask(["Who?", "--since", "the day after flurbsday"], tmp_path / "store")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert done.stderr.startswith("news-ask: error: --since 'the day after flurbsday'")
    assert not (tmp_path / "store").exists()


def test_typed_dates_filter_the_answer(seed_engine):
    done = _ask(
        ["How many Cuban officers were killed?", "--since", "Jan 5 2026", "--until", "yesterday"]
        + ["--as-of", "3 days ago", "--json"],
        seed_engine.settings.chroma_path,
    )
    assert done.returncode == 0, done.stderr
    retrieved = json.loads(done.stdout)["retrieved"]
    assert retrieved and all(r["published"] >= "2026-01-05" for r in retrieved)
    later = _ask(
        ["How many Cuban officers were killed?", "--since", "yesterday", "--json"],
        seed_engine.settings.chroma_path,
    )
    assert later.returncode == 0, later.stderr
    assert json.loads(later.stdout)["retrieved"] == []
