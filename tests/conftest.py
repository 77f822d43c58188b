"""Shared fixtures: the real model (loaded once per session), on-disk Chroma, shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.search.embedder import Embedder
from retrieval.search.store import PassageStore
from retrieval.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("NEWSBOT_SHARED_DATA", REPO.parent / "shared" / "data"))
SEED = SHARED_DATA / "seed" / "cuba-officers-2026-01-07.txt"


def shared(path: str) -> Path:
    """A file or folder of ../shared/data: a failure in CI when missing, a skip elsewhere."""
    target = SHARED_DATA / path
    if not target.exists():
        message = f"evaluation data missing: {target} (../shared/data beside the repo)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return target


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    model = Embedder()
    model.encode(["warm up"])  # load once, here, not inside the first test's timing
    return model


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, chroma_path=tmp_path / "chroma", chroma_collection="test_news")


@pytest.fixture
def store(settings: Settings) -> PassageStore:
    return PassageStore(settings)


@pytest.fixture
def seed_path() -> Path:
    return shared("seed/cuba-officers-2026-01-07.txt")


@pytest.fixture(scope="session")
def seed_engine(tmp_path_factory, embedder):
    """The engine over the seed article and the fictional samples, built once per session."""
    from ingest import ingest_sources
    from retrieval.engine import NewsEngine

    path = tmp_path_factory.mktemp("engine")
    settings = Settings(_env_file=None, chroma_path=path / "chroma", chroma_collection="answers")
    engine = NewsEngine(settings, embedder=embedder)
    seed = shared("seed/cuba-officers-2026-01-07.txt")
    report = ingest_sources([str(seed), str(REPO / "samples")], engine.store, embedder, settings)
    assert report.failed == [] and report.articles_added == 8
    return engine


TOWN_HALL = """Harbour council calls town meeting over flood barrier

March 3, 2026

By Ines Calloway

The Harbour council will hold a public meeting on Friday about the new flood barrier.
Council chair Odile Marchetti said: "@everyone who lives on the quay should come and tell us \
what they think."
The barrier is expected to cost 14 million euros and take two years to build.
"""


@pytest.fixture(scope="session")
def bot_engine(tmp_path_factory, embedder):
    """Its own store: the bot tests add articles (feeds), which other tests must not see."""
    root = tmp_path_factory.mktemp("bot")
    (root / "articles").mkdir()
    (root / "articles" / "town-hall.txt").write_text(TOWN_HALL, encoding="utf-8")
    from ingest import ingest_sources
    from retrieval.engine import NewsEngine

    settings = Settings(_env_file=None, chroma_path=root / "chroma", chroma_collection="bot")
    engine = NewsEngine(settings, embedder=embedder)
    seed = shared("seed/cuba-officers-2026-01-07.txt")
    sources = [str(seed), str(REPO / "samples"), str(root / "articles")]
    report = ingest_sources(sources, engine.store, embedder, settings)
    assert report.failed == [] and report.articles_added == 9
    return engine
