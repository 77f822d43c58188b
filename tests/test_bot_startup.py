"""`news-bot` that cannot start says so in one line: what failed and what to check."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from tests.conftest import bot_env, news_bot
from tests.discord_standin import TOKEN, StandInServer


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("news-bot: error: ")
    return lines[0]


@pytest.fixture
def unreachable() -> str:
    return f"http://127.0.0.1:{_closed_port()}/api/v10"


def test_unreachable_discord_is_one_line_naming_what_to_check(tmp_path, unreachable):
    line = _one_line(news_bot(tmp_path, DISCORD_TOKEN="a.b.c", DISCORD_API_BASE=unreachable))
    assert f"cannot reach {unreachable}" in line
    assert all(word in line for word in ("network", "DISCORD_API_BASE", "DISCORD_TOKEN"))


def test_verbose_shows_the_traceback(tmp_path, unreachable):
    done = news_bot(tmp_path, "--verbose", DISCORD_TOKEN="a.b.c", DISCORD_API_BASE=unreachable)
    assert done.returncode != 0
    assert "Traceback" in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("news-bot: error: cannot reach")


def test_a_rejected_token_is_one_line(tmp_path):
    with StandInServer(heartbeat_ms=200) as standin:
        done = news_bot(tmp_path, DISCORD_TOKEN="wrong.token", DISCORD_API_BASE=standin.base)
    assert "Discord rejected DISCORD_TOKEN" in _one_line(done)


def test_a_missing_token_is_one_line(tmp_path):
    assert "DISCORD_TOKEN is not set" in _one_line(news_bot(tmp_path))


def test_a_chroma_server_that_is_down_is_one_line(tmp_path, unreachable):
    line = _one_line(
        news_bot(
            tmp_path,
            DISCORD_TOKEN="a.b.c",
            DISCORD_API_BASE=unreachable,
            CHROMA_HOST="127.0.0.1",
            CHROMA_PORT=str(_closed_port()),
        )
    )
    assert "Chroma server" in line and "CHROMA_HOST" in line


def test_a_database_that_cannot_be_used_is_one_line(tmp_path):
    with StandInServer(heartbeat_ms=200) as standin:
        done = news_bot(
            tmp_path,
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_BASE=standin.base,
            DATABASE_URL="postgresql://newsbot@127.0.0.1:1/none",
        )
    line = _one_line(done)
    assert "cannot open the database" in line and line.endswith("(check DATABASE_URL)")


def test_the_bot_reads_news_without_torch_or_sklearn(tmp_path, unreachable):
    """As `news-ask`: with the ONNX embedder the bot's process never loads torch (which
    spaCy's array library would import) nor scikit-learn (LightGBM's), whose memory it
    would carry for nothing."""
    env = bot_env(tmp_path, DISCORD_TOKEN="a.b.c", DISCORD_API_BASE=unreachable)
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        "assert main([]) == 2\n"  # cannot reach Discord: started, then stopped
        "from retrieval.reading.nlp import parse\n"
        "from retrieval.reading.scorer import load_model\n"
        "parse(['The Cuban government confirmed the casualties.'])\n"
        "load_model()\n"
        "print(sorted(m for m in ('torch', 'sklearn', 'thinc', 'lightgbm') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.stdout.strip().splitlines()[-1] == "['lightgbm', 'thinc']", done.stderr
