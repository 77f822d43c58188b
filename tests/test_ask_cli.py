"""`news-ask` as a user runs it: JSON output, batch mode, clear errors; the optional reranker."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from retrieval.engine import NewsEngine
from retrieval.question.query import Query
from retrieval.search.embedder import resolve_model_path
from retrieval.settings import _describe


def _run(module, args, *, stdin=None, text=True, cwd=None, **env_over):
    """A command as a user runs it, with these settings in its environment (embedded store)."""
    env = dict(os.environ, **env_over)
    env.pop("CHROMA_HOST", None)
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        input=stdin,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=text,
        timeout=300,
    )


def _ask(args, chroma_path, stdin=None, collection="answers"):
    return _run(
        "retrieval.cli",
        args,
        stdin=stdin,
        CHROMA_PATH=str(chroma_path),
        CHROMA_COLLECTION=collection,
    )


def test_batch_answers_in_input_order_with_json_lines(seed_engine):
    lines = [
        "How many Cuban officers were killed?",
        json.dumps({"question": "How many Cuban officers were killed?", "since": "2026-02-01"}),
        "{not json",
        json.dumps({"question": "What did Rubio say?", "as_of": "2026/01/08"}),
    ]
    done = _ask(
        ["--batch", "-", "--json"], seed_engine.settings.chroma_path, stdin="\n".join(lines) + "\n"
    )
    assert done.returncode == 1  # one bad line
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 4
    assert "Cuban officers" in out[0]["answer"] and out[0]["abstained"] is False
    assert all(r["published"] >= "2026-02-01" for r in out[1]["retrieved"])
    assert out[2]["error"].startswith("line 3:")
    assert "All the guards" in out[3]["answer"]


def test_human_output_lists_sources(seed_engine):
    done = _ask(["How many Cuban officers were killed?"], seed_engine.settings.chroma_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("**32**")
    assert "Sources:\n  [1] Breaking News: 32 Cuban Officers" in done.stdout
    assert "Associated Press — 2026-01-07" in done.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["   "], "give a question"),
        (["Who?", "--k", "0"], "--k: must be 1 or more"),
        (["Who?", "--since", "2026-02-01", "--until", "2026-01-01"], "is after --until"),
        (["--batch", "no-such-questions.txt"], "no such file"),
    ],
)
def test_bad_arguments_are_one_line_errors(tmp_path, args, says):
    done = _ask(args, tmp_path / "store")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("news-ask: error:")
    assert says in done.stderr


def test_batch_lines_that_are_not_utf8_or_contradict_fail_alone(seed_engine):
    """A file saved by another tool (a byte-order mark, a Latin-1 line) still answers its
    good lines; the bad line is reported in its place and the exit status says so."""
    lines = [
        "\ufeffHow many Cuban officers were killed?".encode(),
        "Qui a confirmé les décès ?".encode("latin-1"),
        json.dumps({"question": "Who?", "since": "2026-03-01", "until": "2026-02-01"}).encode(),
    ]
    done = _run(
        "retrieval.cli",
        ["--batch", "-", "--json"],
        stdin=b"\n".join(lines) + b"\n",
        text=False,
        CHROMA_PATH=str(seed_engine.settings.chroma_path),
        CHROMA_COLLECTION="answers",
    )
    assert done.returncode == 1, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(out) == 3
    assert out[0]["question"] == "How many Cuban officers were killed?"
    assert "Cuban officers" in out[0]["answer"]
    assert out[1]["error"] == "line 2: not UTF-8 text"
    assert out[2]["error"].startswith("line 3: since 2026-03-01 is after until 2026-02-01")


def test_a_reader_that_stops_early_gets_no_traceback(seed_engine):
    """`news-ask --batch questions.txt --json | head -1`: the pipe closes after one answer."""
    env = dict(
        os.environ, CHROMA_PATH=str(seed_engine.settings.chroma_path), CHROMA_COLLECTION="answers"
    )
    env.pop("CHROMA_HOST", None)
    questions = "How many Cuban officers were killed?\n" * 40
    with subprocess.Popen(
        [sys.executable, "-m", "retrieval.cli", "--batch", "-", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        proc.stdin.write(questions.encode())
        proc.stdin.close()
        assert b"Cuban officers" in proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=300) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_empty_store_is_a_one_line_error(tmp_path):
    done = _ask(["Anything?"], tmp_path / "nothing", collection="empty_one")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "empty" in done.stderr


def _tiny_bert(folder, head: str, **config) -> str:
    """A randomly initialised one-layer BERT with the bundled model's tokenizer, saved
    locally: tests the plumbing of optional models, not their quality."""
    import torch
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(resolve_model_path(""))
    settings = transformers.BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        **config,
    )
    torch.manual_seed(0)
    getattr(transformers, head)(settings).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("tiny-cross-encoder")
    return _tiny_bert(folder, "BertForSequenceClassification", num_labels=1)


def test_optional_cross_encoder_adds_its_score(seed_engine, tiny_cross_encoder):
    settings = seed_engine.settings.model_copy(update={"reranker_model": tiny_cross_encoder})
    engine = NewsEngine(settings, store=seed_engine.store, embedder=seed_engine.embedder)
    hits = engine.search(Query("How many Cuban officers were killed?"))
    scored = [h.features["cross_encoder"] for h in hits if "cross_encoder" in h.features]
    assert scored and all(0.0 < s < 1.0 for s in scored)
    assert not engine.ask(Query("How many Cuban officers were killed?")).abstained


@pytest.mark.parametrize(
    ("module", "args"),
    [("retrieval.cli", ["Who?"]), ("ingest", ["--stats"]), ("bot.cli", [])],
)
def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path, module, args):
    """The operator's .env is where most mistakes happen: each command says which variable
    is wrong, in one line, instead of pydantic's traceback; a token's value is not echoed."""
    done = _run(
        module,
        args,
        cwd=tmp_path,
        CHROMA_PATH=str(tmp_path / "store"),
        EMBED_BATCH_SIZE="abc",
        CHROMA_COLLECTION="ab",
        DISCORD_TOKEN="x",
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "bad setting" in lines[0]
    assert "EMBED_BATCH_SIZE='abc'" in lines[0] and "CHROMA_COLLECTION='ab'" in lines[0]


def test_owner_ids_must_be_user_ids(tmp_path):
    done = _run(
        "bot.cli", [], cwd=tmp_path, CHROMA_PATH=str(tmp_path / "s"), DISCORD_OWNER_IDS="123, x"
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "DISCORD_OWNER_IDS='123, x'" in done.stderr and "['x']" in done.stderr


def test_a_bad_secret_is_named_but_not_echoed():
    said = _describe({"loc": ("llm_api_key",), "input": "sk-live-123", "msg": "too long"})
    assert said == "LLM_API_KEY=***: too long"
