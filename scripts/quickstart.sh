#!/usr/bin/env bash
# Install newsbot into ./.venv, ingest the sample articles, and answer a question.
#
#   bash scripts/quickstart.sh                       # asks "How many Cuban officers were killed?"
#   bash scripts/quickstart.sh "Who won the marathon?"
#
# The articles go into the embedded Chroma store at ./data/chroma (CHROMA_PATH). Running it
# again reinstalls nothing new and stores nothing twice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh

SEED="${NEWSBOT_SHARED_DATA:-../shared/data}/seed"
inputs=(samples/)
question="Which school won the robotics final?"
if [ -d "$SEED" ]; then
  inputs=("$SEED" samples/)
  question="How many Cuban officers were killed?"
fi

.venv/bin/news-ingest --quiet "${inputs[@]}"
echo
echo "\$ news-ask \"${1:-$question}\""
.venv/bin/news-ask "${1:-$question}"
