"""Generative mode against a loopback stand-in of the chat-completions endpoint."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from retrieval.engine import NewsEngine
from retrieval.question.query import Query

# How long a "slow" stand-in holds its reply unless the test lets it go: far beyond the
# client's 1 s timeout, so a client that waited for the reply would be unmistakable.
HOLD_SECONDS = 60.0


class _StandIn(BaseHTTPRequestHandler):
    mode = "good"
    requests: list[dict] = []
    release = threading.Event()  # set by the test: a held reply may go now
    replied = threading.Event()  # a held reply went out

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if self.mode == "slow":
            self.release.wait(HOLD_SECONDS)
            self.replied.set()
        if self.mode == "malformed":
            payload = b"{not json"
        else:
            content = (
                "The Cuban government confirmed the 32 deaths [1], announced on state "
                "television [1]. Aliens did it [7]."
            )
            payload = json.dumps(
                {"choices": [{"message": {"role": "assistant", "content": content}}]}
            ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(payload)  # the client may have timed out already

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _StandIn.requests.clear()
    _StandIn.release.clear()
    _StandIn.replied.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    _StandIn.release.set()  # a reply still held goes out (to a client that has left)
    server.shutdown()
    server.server_close()  # the listening socket too (a ResourceWarning otherwise)


def _engine(seed_engine: NewsEngine, url: str) -> NewsEngine:
    settings = seed_engine.settings.model_copy(
        update={
            "llm_base_url": url,
            "llm_model": "stand-in",
            "llm_api_key": "k3y",
            "llm_timeout": 1.0,
        }
    )
    return NewsEngine(settings, store=seed_engine.store, embedder=seed_engine.embedder)


def test_generated_answer_drops_citations_of_unknown_passages(seed_engine, endpoint):
    _StandIn.mode = "good"
    answer = _engine(seed_engine, endpoint).ask(Query("How many Cuban officers were killed?"))
    assert answer.mode == "generative"
    assert "[7]" not in answer.text and "[1]" in answer.text
    lead = "**32** — The Cuban government confirmed the 32 deaths [1]"
    assert answer.text.startswith(lead)
    assert len(answer.citations) == 1
    (request,) = _StandIn.requests
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k3y"
    prompt = request["body"]["messages"][-1]["content"]
    assert "[1] Breaking News: 32 Cuban Officers" in prompt  # only retrieved passages go in


@pytest.mark.parametrize("mode", ["malformed", "slow"])
def test_failures_fall_back_to_the_extractive_answer(seed_engine, endpoint, mode, monkeypatch):
    _StandIn.mode = mode
    engine = _engine(seed_engine, endpoint)
    generate = engine.generator.run
    spent: list[float] = []

    def timed(*args: object, **kwargs: object) -> object:
        started = time.monotonic()
        try:
            return generate(*args, **kwargs)
        finally:
            spent.append(time.monotonic() - started)

    monkeypatch.setattr(engine.generator, "run", timed)
    answer = engine.ask(Query("How many Cuban officers were killed?"))
    assert answer.mode == "extractive"
    assert "Cuban officers" in answer.text
    assert len(spent) == 1 and len(_StandIn.requests) == 1
    if mode == "slow":
        # The client gave up (its 1 s timeout) while the reply was still held: the fallback
        # did not wait for it. The bound only has to tell 1 s from the 60 s hold, so a busy
        # machine cannot fail it.
        assert not _StandIn.replied.is_set()
        assert engine.generator.timeout == 1.0
        assert spent[0] < HOLD_SECONDS / 2


def test_abstentions_do_not_call_the_endpoint(seed_engine, endpoint):
    _StandIn.mode = "good"
    answer = _engine(seed_engine, endpoint).ask(Query("What is the capital of France?"))
    assert answer.abstained and _StandIn.requests == []
