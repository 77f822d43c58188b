"""The int8 ONNX embedder against torch's run of the same model, on real articles.

The ONNX graph must give torch's vectors to within quantization (cosine >= 0.99), the
same token counts (passages are sized by them), the same vector for a text whatever it
is batched with (stored vectors are reused by text), and the same top results over the
seed store; and the query path must not import torch.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest import ingest_sources
from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.search.embedder import Embedder
from retrieval.search.onnx_export import file_sha256
from retrieval.search.onnx_files import read_manifest
from retrieval.search.onnx_model import locate
from retrieval.settings import Settings
from tests.conftest import shared

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "How many Cuban officers were killed?",
    "Which school won the robotics final?",
    "What did Rubio say about Venezuela?",
    "When does the new library open in Vellmark?",
    "What happened to the Port Aster ferry?",
    "How much solar power does Brightwater produce?",
]


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return Embedder(backend="torch")


@pytest.fixture(scope="module")
def seed_texts(seed_path_module) -> list[str]:
    """The seed article's passages as ingest embeds them (title in front)."""
    from ingest.pipeline import Ingestor
    from ingest.sources import LoadOptions, load_source

    ingestor = Ingestor(None, Embedder(), Settings(_env_file=None))  # type: ignore[arg-type]
    texts: list[str] = []
    for path in [seed_path_module, *sorted((REPO / "samples").iterdir())]:
        for item in load_source(str(path), LoadOptions()):
            if not isinstance(item, Exception):
                texts.extend(ingestor.passages_of(item)[1])
    return texts


@pytest.fixture(scope="module")
def seed_path_module() -> Path:
    return shared("seed/cuba-officers-2026-01-07.txt")


def test_onnx_is_the_default_and_other_models_run_on_torch():
    assert Embedder().backend == "onnx"
    assert Embedder(backend="torch").backend == "torch"
    assert Embedder("sentence-transformers/paraphrase-MiniLM-L3-v2").backend == "torch"
    assert Settings(_env_file=None).embedder_backend == "onnx"
    with pytest.raises(ValueError):
        Embedder(backend="tensorflow")


def test_onnx_vectors_are_torchs_within_quantization(embedder, torch_embedder, seed_texts):
    onnx = embedder.encode(seed_texts)
    ref = torch_embedder.encode(seed_texts)
    cosines = (onnx * ref).sum(axis=1)
    assert onnx.dtype == np.float32 and onnx.shape == ref.shape
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert cosines.mean() >= 0.99 and cosines.min() >= 0.98


def test_token_counts_and_limits_match_torch(embedder, torch_embedder, seed_texts):
    long = " ".join(seed_texts)  # far beyond the model's limit: counted, not cut
    texts = [*seed_texts, long, ""]
    assert embedder.count_tokens(texts) == torch_embedder.count_tokens(texts)
    assert embedder.max_tokens == torch_embedder.max_tokens == 256
    assert embedder.dimension == torch_embedder.dimension == 384
    # Truncated at the limit as torch truncates: the long text's vector is torch's too.
    both = embedder.encode([long]) @ torch_embedder.encode([long]).T
    assert both[0, 0] >= 0.98


def test_a_texts_vector_does_not_depend_on_its_batch(embedder, seed_texts):
    alone = np.stack([embedder.encode([t])[0] for t in seed_texts[:6]])
    together = embedder.encode(seed_texts)[:6]
    assert np.array_equal(alone, together)


def test_torch_backend_finds_the_same_top_results_on_the_seed(
    seed_engine, torch_embedder, tmp_path, seed_path_module
):
    settings = Settings(
        _env_file=None,
        chroma_path=tmp_path / "chroma",
        chroma_collection="torch_seed",
        embedder_backend="torch",
    )
    engine = NewsEngine(settings, embedder=torch_embedder)
    report = ingest_sources(
        [str(seed_path_module), str(REPO / "samples")], engine.store, torch_embedder, settings
    )
    assert report.articles_added == 8
    for question in QUESTIONS:
        onnx_hits = seed_engine.search(Query(question, k=3))
        torch_hits = engine.search(Query(question, k=3))
        assert [h.passage_id for h in onnx_hits[:1]] == [h.passage_id for h in torch_hits[:1]]
        assert {h.article_id for h in onnx_hits} == {h.article_id for h in torch_hits}


def _python(code: str) -> str:
    """What a fresh interpreter prints running `code` in the repository."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    return done.stdout


def test_the_query_path_imports_neither_torch_nor_sentence_transformers():
    code = (
        "import sys\n"
        "from retrieval.search.embedder import Embedder\n"
        "e = Embedder()\n"
        "assert e.encode(['a question']).shape == (1, 384)\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') "
        "if m in sys.modules))\n"
    )
    assert _python(code).strip() == "[]"


def test_the_export_is_recorded_with_its_hash():
    exported = locate()
    assert read_manifest(exported.onnx_path.parent) == exported
    assert file_sha256(*exported.files) == exported.sha256
    # The word-embedding table lies beside the graph, for onnxruntime to map.
    assert exported.data_path is not None and exported.data_path.stat().st_size > 40_000_000
    assert exported.sha256[:12] in exported.identity
    # Never among the repository's files: outside it, or where git ignores it (.venv).
    if REPO in exported.onnx_path.parents:
        ignored = subprocess.run(["git", "check-ignore", "-q", str(exported.onnx_path)], cwd=REPO)
        assert ignored.returncode == 0, exported.onnx_path


def test_a_missing_export_is_made_on_first_use(tmp_path, embedder, seed_texts):
    exported = locate(root=tmp_path)  # nothing there: exported now, offline
    assert exported.onnx_path.is_file() and tmp_path in exported.onnx_path.parents
    assert exported.sha256 == locate().sha256  # the same recipe gives the same file
    assert locate(root=tmp_path) == exported  # and the next use finds it


def _modules_after(
    code: str, env: dict[str, str] | None = None, modules: tuple[str, ...] | None = None
) -> list[str]:
    """The heavy libraries (or `modules`) a fresh interpreter holds after running `code`."""
    probe = (
        f"{code}\nimport sys\nprint(sorted(m for m in {modules or HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, env=env
    )
    return ast.literal_eval(out.stdout.strip().splitlines()[-1])


def _over_store(engine) -> dict[str, str]:
    """The environment of a command run over the engine's store."""
    settings = engine.settings
    return {
        **os.environ,
        "CHROMA_PATH": str(settings.chroma_path),
        "CHROMA_COLLECTION": settings.chroma_collection,
    }


HEAVY = ("torch", "sentence_transformers", "transformers", "sklearn", "chromadb", "spacy", "grpc")


def test_help_and_argument_errors_load_nothing_heavy():
    for argv in (["--help"], ["--k", "0", "x"]):
        code = (
            "from retrieval.cli import main\n"
            f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass"
        )
        assert _modules_after(code) == []


def test_news_ask_answers_without_torch_or_sklearn(seed_engine):
    env = _over_store(seed_engine)
    code = "from retrieval.cli import main\nmain(['How many Cuban officers were killed?'])"
    assert _modules_after(code, env) == ["chromadb", "spacy"]


def test_the_dictionary_loads_only_for_a_word_no_passage_writes(seed_engine):
    """wordfreq (a tenth of a cold start) is read only to judge a possible misspelling."""
    env = _over_store(seed_engine)
    for question, loaded in (
        ("Who confirmed the casualties?", False),
        ("Who confirmed the casulties?", True),
    ):
        code = f"from retrieval.cli import main\nmain([{question!r}])"
        assert _modules_after(code, env, ("wordfreq",)) == (["wordfreq"] if loaded else [])


def test_stand_ins_leave_once_used_and_the_real_modules_still_import():
    code = (
        "import sys\n"
        "from retrieval.search.lean import NEVER_CALLED, stand_in\n"
        "stand_in()\n"
        "import chromadb, spacy\n"
        "print(sorted(m for m in ('spacy.cli', 'grpc', *NEVER_CALLED) if m in sys.modules))\n"
        "import spacy.cli\n"
        "from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter\n"
        "print(callable(spacy.cli.info), isinstance(OTLPSpanExporter, type))\n"
    )
    assert _python(code).split("\n")[:2] == ["[]", "True True"]
