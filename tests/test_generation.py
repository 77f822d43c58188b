"""Generative mode against a loopback stand-in of the chat-completions endpoint."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from retrieval.engine import NewsEngine
from retrieval.query import Query


class _StandIn(BaseHTTPRequestHandler):
    mode = "good"
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        )
        if self.mode == "slow":
            time.sleep(3)
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
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


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
    answer = _engine(seed_engine, endpoint).ask(Query("Who confirmed the casualties?"))
    assert answer.mode == "generative"
    assert "[7]" not in answer.text and "[1]" in answer.text
    assert answer.text.startswith("The Cuban government confirmed the 32 deaths [1]")
    assert len(answer.citations) == 1
    (request,) = _StandIn.requests
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer k3y"
    prompt = request["body"]["messages"][-1]["content"]
    assert "[1] Breaking News: 32 Cuban Officers" in prompt  # only retrieved passages go in


@pytest.mark.parametrize("mode", ["malformed", "slow"])
def test_failures_fall_back_to_the_extractive_answer(seed_engine, endpoint, mode):
    _StandIn.mode = mode
    started = time.perf_counter()
    answer = _engine(seed_engine, endpoint).ask(Query("Who confirmed the casualties?"))
    assert answer.mode == "extractive"
    assert answer.text.startswith("The Cuban government confirmed")
    assert time.perf_counter() - started < 2.9  # the 1 s timeout, not the 3 s reply


def test_abstentions_do_not_call_the_endpoint(seed_engine, endpoint):
    _StandIn.mode = "good"
    answer = _engine(seed_engine, endpoint).ask(Query("What is the capital of France?"))
    assert answer.abstained and _StandIn.requests == []
