#!/usr/bin/env bash
# Installs newsbot into ./.venv from scratch (idempotent). CPU torch first: asking pip for
# sentence-transformers with no torch installed would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
echo "newsbot installed in .venv ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
