#!/usr/bin/env bash
# The main job behind `make run`.
set -euo pipefail
bin=${1:-build/relugap}
out=${RELUGAP_OUT:-out/run}
mkdir -p "$out"
"$bin" --version
