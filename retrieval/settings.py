"""Runtime settings, read from the environment and a `.env` file.

Environment variables win over `.env`, which wins over the defaults below; every field is
documented in `.env.example`. One `Settings` object is passed around instead of reading
`os.environ` ad hoc, so the CLI, the bot and the tests see the same configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

# Chroma phones home unless told not to; we never want that (and it cannot reach out here).
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class SettingsError(ValueError):
    """A setting in .env or the environment cannot be used; the message names it."""


class Settings(BaseSettings):
    """Everything an operator may configure; names match the environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    @classmethod
    def load(cls) -> Self:
        """The settings, or one SettingsError naming every bad value: pydantic's own report
        is a multi-line traceback, and the operator needs the variable's name."""
        try:
            return cls()
        except ValidationError as exc:
            bad = "; ".join(_describe(e) for e in exc.errors())
            raise SettingsError(f"bad setting {bad} (in .env or the environment)") from exc

    chroma_path: Path = Field(Path("./data/chroma"), description="Embedded Chroma directory.")
    chroma_host: str | None = Field(None, description="Use a Chroma server at this host.")
    chroma_port: int = Field(8000, description="Port of the Chroma server.")
    chroma_collection: str = Field("news", min_length=3, max_length=200)

    embedding_model: str = Field(
        "", description="Hugging Face id or local path; empty = bundled all-MiniLM-L6-v2."
    )
    embedder_backend: Literal["onnx", "torch"] = Field(
        "onnx",
        description="Runs the bundled model: int8 ONNX (fast, no torch) or torch; "
        "any other EMBEDDING_MODEL runs on torch.",
    )
    embed_batch_size: int = Field(32, ge=1)
    embed_title: bool = Field(True, description="Prefix each passage with its title to embed.")
    passage_tokens: int = Field(160, ge=32, description="Target passage size in model tokens.")
    passage_overlap_sentences: int = Field(1, ge=0)
    ingest_batch_passages: int = Field(
        512, ge=1, description="Passages embedded and written together by ingest."
    )
    parse_at_ingest: bool = Field(
        True,
        description="Parse and embed passages' sentences at ingest so questions need not "
        "(faster answers, slower bulk ingest).",
    )

    fetch_timeout: float = Field(20.0, gt=0, description="Seconds allowed per download.")
    fetch_max_bytes: int = Field(10_000_000, gt=0, description="Largest download accepted.")
    fetch_linked_pages: bool = Field(
        False, description="Fetch an entry's web page when a feed carries only a summary."
    )

    news_feeds: str = Field(
        "", description="Feeds/pages polled by the bot and `news-ingest --watch` (comma-separated)."
    )
    feed_poll_minutes: float = Field(15.0, gt=0, description="Minutes between feed polls.")
    feed_retry_seconds: float = Field(
        60.0, gt=0, description="First retry delay of a failing feed (doubles, up to an hour)."
    )

    search_dense: bool = Field(True, description="Dense (Chroma) retrieval stage.")
    search_lexical: bool = Field(True, description="BM25 retrieval stage.")
    search_rerank: bool = Field(True, description="Feature reranking stage.")
    search_candidates: int = Field(
        100, ge=5, description="Candidates each retrieval stage (dense, BM25) hands to fusion."
    )
    reranker_model: str = Field(
        "", description="Optional CrossEncoder id or path: reranks the retrieved passages."
    )
    answer_min_confidence: float | None = Field(
        None, description="Abstain below this reader confidence (empty: the model's own)."
    )

    llm_base_url: str = Field(
        "", description="OpenAI-compatible endpoint (e.g. http://localhost:11434/v1); empty = off."
    )
    llm_model: str = Field("", description="Model name sent to the endpoint.")
    llm_api_key: str = Field("", description="Bearer token, if the endpoint wants one.")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds to wait for a reply.")

    @property
    def data_dir(self) -> Path:
        """Local directory for files kept beside the store (lexical index, logs)."""
        return self.chroma_path

    @property
    def feed_urls(self) -> list[str]:
        return [
            u for u in (part.strip() for part in self.news_feeds.replace("\n", ",").split(",")) if u
        ]

    @property
    def feed_state_file(self) -> Path:
        """ETag/Last-Modified and backoff of polled feeds (see ingest.feedstate)."""
        return self.data_dir / "feed_state.json"

    @property
    def server_mode(self) -> bool:
        return bool(self.chroma_host)


def _describe(error: Any) -> str:
    """ "EMBED_BATCH_SIZE='abc': Input should be a valid integer"; a secret's value is not
    repeated (a token pasted into the wrong variable ends up in logs)."""
    name = ".".join(map(str, error["loc"])).upper()
    shown = "***" if any(w in name for w in ("TOKEN", "KEY", "SECRET")) else repr(error["input"])
    return f"{name}={shown}: {error['msg']}"
