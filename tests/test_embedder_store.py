"""The store knows which embedder made its vectors: another model's store is refused in one
line, and `news-ingest --reembed` moves a store to the configured embedder, resumably."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest import ingest_sources
from ingest.pipeline import Ingestor
from retrieval.engine import NewsEngine
from retrieval.search.embedder import Embedder
from retrieval.search.identity import (
    MODEL_KEY,
    UNRECORDED,
    WRITERS_KEY,
    IncompatibleStoreError,
    _reembed_page,
    check_compatible,
    reembed,
    stored_identity,
)
from retrieval.search.store import PassageStore

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return Embedder(backend="torch")


def _as_another_model(store: PassageStore) -> None:
    """What a store embedded by another sentence-transformers model records."""
    meta = dict(store.passages.metadata or {})
    store.passages.modify(metadata={**meta, MODEL_KEY: "paraphrase-MiniLM-L3-v2", WRITERS_KEY: ""})


def test_ingest_records_the_embedder(seed_path, store, embedder, torch_embedder, settings):
    ingest_sources([str(seed_path)], store, torch_embedder, settings)
    recorded = stored_identity(store)
    assert recorded[MODEL_KEY] == "all-MiniLM-L6-v2"
    assert recorded["embedder_dimension"] == 384
    assert recorded[WRITERS_KEY] == "all-MiniLM-L6-v2 torch fp32"
    check_compatible(store, embedder)  # the same model under ONNX may search it
    ingest_sources([str(REPO / "samples")], store, embedder, settings)
    writers = stored_identity(store)[WRITERS_KEY]
    assert writers == f"all-MiniLM-L6-v2 torch fp32 | {embedder.identity}"


def test_another_models_store_is_refused(seed_path, store, embedder, settings):
    ingest_sources([str(seed_path)], store, embedder, settings)
    _as_another_model(store)
    with pytest.raises(IncompatibleStoreError, match="news-ingest --reembed"):
        NewsEngine(settings, store=store, embedder=embedder)
    with pytest.raises(IncompatibleStoreError):
        ingest_sources([str(REPO / "samples")], store, embedder, settings)


def test_news_ask_refuses_another_models_store_in_one_line(seed_path, store, embedder, settings):
    ingest_sources([str(seed_path)], store, embedder, settings)
    _as_another_model(store)
    env = {
        **os.environ,
        "CHROMA_PATH": str(settings.chroma_path),
        "CHROMA_COLLECTION": settings.chroma_collection,
    }
    out = subprocess.run(
        [sys.executable, "-c", "from retrieval.cli import main; raise SystemExit(main())", "Who?"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
    )
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr
    assert "paraphrase-MiniLM-L3-v2" in lines[0] and "news-ingest --reembed" in lines[0]


def test_reembed_is_resumable_and_idempotent(seed_path, store, embedder, torch_embedder, settings):
    ingest_sources([str(seed_path), str(REPO / "samples")], store, torch_embedder, settings)
    ids = store.passages.get(include=[])["ids"]
    # An interrupted run: the first three passages were re-embedded, then it stopped.
    assert _reembed_page(store, embedder, settings, ids[:3]) == 3
    first = reembed(store, embedder, settings, page=4)
    assert (first.passages, first.reembedded) == (len(ids), len(ids) - 3)
    assert stored_identity(store)[WRITERS_KEY] == embedder.identity
    again = reembed(store, embedder, settings)
    assert again.reembedded == 0
    got = store.passages.get(include=["embeddings", "documents", "metadatas"])
    texts = [f"{m['title']}\n{d}" for d, m in zip(got["documents"], got["metadatas"], strict=True)]
    assert np.allclose(np.asarray(got["embeddings"]), embedder.encode(texts), atol=1e-5)


def test_reembed_moves_another_models_store_to_this_one(seed_path, store, embedder, settings):
    ingest_sources([str(seed_path)], store, embedder, settings)
    _as_another_model(store)
    reembed(store, embedder, settings)
    check_compatible(store, embedder)
    engine = NewsEngine(settings, store=store, embedder=embedder)
    assert engine.store.count_passages() > 0


def test_news_ingest_reembed_reports_what_it_did(seed_path, store, torch_embedder, settings):
    ingest_sources([str(seed_path)], store, torch_embedder, settings)
    passages = store.count_passages()
    env = {
        **os.environ,
        "CHROMA_PATH": str(settings.chroma_path),
        "CHROMA_COLLECTION": settings.chroma_collection,
    }
    command = [sys.executable, "-m", "ingest", "--reembed", "--json"]
    for expected in (passages, 0):  # all of them, then none: the second run has nothing to do
        out = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == {"passages": passages, "reembedded": expected}


def test_a_store_from_before_identities_says_so(seed_path, store, embedder, settings):
    Ingestor(store, embedder, settings).run([str(seed_path)])  # no identity, as written before
    assert stored_identity(store) == {}
    check_compatible(store, embedder)  # taken to be of the configured model
    ingest_sources([str(REPO / "samples")], store, embedder, settings)
    writers = stored_identity(store)[WRITERS_KEY]
    assert writers == f"{UNRECORDED} | {embedder.identity}"
