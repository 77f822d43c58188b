"""The bundled MiniLM as an int8 ONNX graph, run by onnxruntime with the model's own tokenizer.

This is the query path's embedder: it imports neither torch nor sentence-transformers (each
costs seconds on two cores), only onnxruntime, tokenizers and numpy. The graph itself is
made once, offline, from the bundled weights by `retrieval.search.onnx_export` (the install
script runs it; a missing file is exported on first use). Pooling and normalisation follow
the model's sentence-transformers configuration: mean over the attention mask, unit length.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.search.onnx_files import DEFAULT_RECIPE, ExportedModel, export_dir, read_manifest

if TYPE_CHECKING:
    from tokenizers import Encoding, Tokenizer

log = logging.getLogger(__name__)


def locate(root: Path | None = None, recipe: str = DEFAULT_RECIPE) -> ExportedModel:
    """The exported graph, exported now (offline, seconds) if it is missing."""
    folder = export_dir(root, recipe)
    found = read_manifest(folder)
    if found is not None:
        return found
    log.warning("no exported ONNX embedder in %s; exporting it from the bundled weights", folder)
    from retrieval.search.onnx_export import export  # imports torch: only on this first use

    return export(folder, recipe)


class OnnxMiniLM:
    """Tokenise, run the graph, mean-pool over the mask, normalise."""

    def __init__(self, exported: ExportedModel) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.exported = exported
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # warnings about unused initialisers are noise
        # Between two operators onnxruntime's worker threads would spin, waiting for work:
        # on two cores shared with ingest's parsing and writing threads, the bot's event
        # loop and other processes, that burns the time those need, and a spinning thread
        # whose partner was descheduled only delays it. Waiting asleep costs microseconds.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(exported.onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        # The file carries the hub's settings (truncate and pad to 128); the model reads up
        # to max_tokens, and `run` pads each batch to its own longest text.
        self.tokenizer = Tokenizer.from_file(str(exported.tokenizer_path))
        self.tokenizer.enable_truncation(max_length=exported.max_tokens)
        self.tokenizer.no_padding()
        self._tokenizer_lock = threading.Lock()
        self._counter: Tokenizer | None = None  # made by the first count: questions never count
        self._counter_lock = threading.Lock()

    @property
    def counter(self) -> Tokenizer:
        """A tokenizer of its own for counting, which must see every token, as the model
        would without truncation (and must not share the encoder's Rust tokenizer)."""
        with self._counter_lock:
            if self._counter is None:
                from tokenizers import Tokenizer

                counter = Tokenizer.from_file(str(self.exported.tokenizer_path))
                counter.no_truncation()
                counter.no_padding()
                self._counter = counter
            return self._counter

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self.counter.encode_batch(texts, add_special_tokens=True)]

    def tokenize(self, texts: list[str]) -> list[Encoding]:
        """The texts as the model reads them (cut at max_tokens), unpadded: the caller
        batches texts of like length by these, so a batch is little padding."""
        with self._tokenizer_lock:
            return self.tokenizer.encode_batch(texts, add_special_tokens=True)

    def run(self, encodings: list[Encoding]) -> np.ndarray:
        """Unit-length float32 vectors of one batch of tokenised texts."""
        longest = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), longest), dtype=np.int64)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n] = encoding.ids
            types[row, :n] = encoding.type_ids
            mask[row, :n] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = types
        hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors of one batch."""
        return self.run(self.tokenize(texts))
