#!/usr/bin/env bash
# CI step: builds the libFuzzer targets (clang, ASan + UBSan) and runs each of
# them for CI_FUZZ_SECONDS (default 10), two at a time, from the seed corpus; fails on any
# crash, leak, OOM or timeout (the failing input is in
# build-fuzz/artifacts/<target>/ and the log in build-fuzz/logs/<target>.log).
# Measured on the 2-core dev machine: see docs/results/fuzzing.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
start=$(date +%s)
FUZZ_PARALLEL="${FUZZ_PARALLEL:-2}" "$root/scripts/fuzz.sh" "${CI_FUZZ_SECONDS:-10}"
echo "ci_fuzz: all targets clean ($(($(date +%s) - start)) s including the build)"
