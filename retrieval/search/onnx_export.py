"""Export the bundled MiniLM to ONNX and quantize it to int8, offline, in seconds.

Run by `scripts/install.sh` (`python -m retrieval.search.onnx_export`), or by the embedder
on first use when the file is missing. This is the only ONNX code that imports torch.

sentence-transformers' own ONNX export and quantization go through optimum, whose ONNX
package requires transformers 4 while sentence-transformers 6 requires transformers 5; so
the graph is traced with torch's ONNX exporter and quantized with onnxruntime's tools:
- "int8-blocked" (the default): LayerNorm and Gelu fused by onnxruntime's BERT optimizer,
  then every weight MatMul turned into MatMulNBits with 8-bit symmetric weights in blocks
  of 32 and accuracy level 4 (activations quantized to int8 per block of each row);
- "int8-dynamic": onnxruntime's dynamic quantizer with optimum's per-CPU presets
  (`AutoQuantizationConfig`): unsigned 8-bit activations, symmetric per-channel weights,
  MatMul and Attention quantized.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from retrieval.search.onnx_files import (
    DEFAULT_RECIPE,
    EXTERNAL_BYTES,
    MANIFEST,
    RECIPES,
    ExportedModel,
    bundled_model_dir,
    cpu_config,
    export_dir,
    read_manifest,
    recipe_name,
)

log = logging.getLogger(__name__)
# optimum's AutoQuantizationConfig presets, as onnxruntime's quantizer spells them: AVX2
# without VNNI multiplies u8 by u8; the others u8 by s8.
WEIGHT_TYPES = {"avx512_vnni": "QInt8", "avx512": "QInt8", "arm64": "QInt8", "avx2": "QUInt8"}
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export(folder: Path | None = None, recipe: str = DEFAULT_RECIPE) -> ExportedModel:
    """Write the int8 graph, the tokenizer and a manifest (last) into `folder`."""
    if recipe not in RECIPES:
        raise ValueError(f"unknown recipe {recipe!r} (one of {RECIPES})")
    folder = folder or export_dir(recipe=recipe)
    folder.parent.mkdir(parents=True, exist_ok=True)
    source = bundled_model_dir()
    _check_pooling(source)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    work.chmod(0o755)  # mkdtemp makes it private; the export is shared like the venv
    try:
        fp32 = work / "model.onnx"
        _export_fp32(source, fp32)
        quantized = work / f"model_{recipe_name(recipe)}.onnx"
        if recipe == "int8-dynamic":
            _quantize_dynamic(fp32, quantized, cpu_config())
        else:
            _quantize_blocked(fp32, quantized, _json(source / "config.json"))
        fp32.unlink()
        data = _externalise(quantized)
        shutil.copyfile(source / "tokenizer.json", work / "tokenizer.json")
        exported = ExportedModel(
            onnx_path=folder / quantized.name,
            tokenizer_path=folder / "tokenizer.json",
            max_tokens=int(_json(source / "sentence_bert_config.json")["max_seq_length"]),
            dimension=int(_json(source / "config.json")["hidden_size"]),
            recipe=recipe_name(recipe),
            sha256=file_sha256(quantized, data),
            data_path=folder / data.name,
        )
        (work / MANIFEST).write_text(json.dumps(exported.manifest(), indent=2), encoding="utf-8")
        _publish(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    found = read_manifest(folder)
    if found is None:
        raise RuntimeError(f"the ONNX export in {folder} is incomplete")
    return found


def file_sha256(*paths: Path) -> str:
    """The SHA-256 of the files' bytes, one after the other."""
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _externalise(graph: Path) -> Path:
    """Move the graph's large initialisers (the word-embedding table) to a data file beside
    it: onnxruntime maps that file instead of parsing 47 MB of protobuf, which was most of
    creating a session. Returns the data file; the vectors are the same either way."""
    import onnx

    data = graph.with_name(graph.name + ".data")
    model = onnx.load(str(graph))
    onnx.save_model(
        model,
        str(graph),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=data.name,
        size_threshold=EXTERNAL_BYTES,
    )
    data.chmod(0o644)  # onnx writes it private; the export is shared like the venv
    return data


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _check_pooling(source: Path) -> None:
    """The ONNX path pools by mean and normalises; refuse a model configured otherwise."""
    pooling = _json(source / "1_Pooling" / "config.json")
    modules = [m.get("type", "") for m in json.loads((source / "modules.json").read_text())]
    if not pooling.get("pooling_mode_mean_tokens") or not any("Normalize" in t for t in modules):
        raise RuntimeError(f"{source} is not a mean-pooled, normalised model")


def _publish(work: Path, folder: Path) -> None:
    """Swap the finished export in whole; another process that finished first wins."""
    if folder.exists():
        if read_manifest(folder) is not None:
            return
        shutil.rmtree(folder)
    try:
        os.replace(work, folder)
    except OSError:
        if read_manifest(folder) is None:
            raise


def _export_fp32(source: Path, target: Path) -> None:
    """Trace the transformer (its last hidden state; pooling is done outside the graph).

    Eager attention traces into plain MatMul/Softmax, which the quantizer understands; the
    TorchScript exporter needs only torch (the newer one needs onnxscript besides).
    """
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder: never ask the hub
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    model = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    sample = tokenizer(["a short one", "and a somewhat longer second text"], padding=True)

    class LastHidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    args = tuple(torch.tensor(sample[name]) for name in INPUTS)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer and deprecation notes, not problems here
        torch.onnx.export(
            LastHidden(),
            args,
            str(target),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def _quantize_blocked(source: Path, target: Path, config: dict) -> None:
    """Each row's activations are quantized on their own, so a text's vector is the same
    whatever else is in its batch; attention's own products stay in float."""
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        DefaultWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    options = FusionOptions("bert")
    options.enable_attention = False  # a fused Attention op would keep its weights in float
    with _quiet():
        fused = optimizer.optimize_model(
            str(source),
            model_type="bert",
            num_heads=int(config["num_attention_heads"]),
            hidden_size=int(config["hidden_size"]),
            optimization_options=options,
            opt_level=0,
        )
        blocks = {"block_size": 32, "is_symmetric": True, "accuracy_level": 4, "bits": 8}
        quantizer = MatMulNBitsQuantizer(
            fused.model, **blocks, algo_config=DefaultWeightOnlyQuantConfig(**blocks)
        )
        quantizer.process()
        quantizer.model.save_model_to_file(str(target), use_external_data_format=False)


@contextmanager
def _quiet() -> Iterator[None]:
    """onnxruntime's tools log every node they skip, and advice, at INFO and WARNING, and
    warn about their own deprecations: notes for their authors, not for this export."""
    root = logging.getLogger()
    names = ("onnxruntime", "onnx_ir")
    levels = [root.level, *(logging.getLogger(n).level for n in names)]
    for logger in (root, *map(logging.getLogger, names)):
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip((root, *map(logging.getLogger, names)), levels, strict=True):
            logger.setLevel(level)


def _quantize_dynamic(source: Path, target: Path, config: str) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with _quiet():
        quantize_dynamic(
            str(source),
            str(target),
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=True,
            reduce_range=False,
            weight_type=getattr(QuantType, WEIGHT_TYPES[config]),
            extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m retrieval.search.onnx_export",
        description="Export the bundled all-MiniLM-L6-v2 to an int8 ONNX graph (offline).",
    )
    parser.add_argument("--recipe", choices=RECIPES, default=DEFAULT_RECIPE)
    parser.add_argument("--force", action="store_true", help="export again even if present")
    args = parser.parse_args(argv)
    folder = export_dir(recipe=args.recipe)
    started = time.perf_counter()
    found = None if args.force else read_manifest(folder)
    if args.force and folder.exists():
        shutil.rmtree(folder)
    exported = found or export(folder, args.recipe)
    took = time.perf_counter() - started
    print(f"ONNX embedder: {exported.identity} in {folder} ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
