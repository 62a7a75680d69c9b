#!/usr/bin/env bash
# Node QPs of the exact trainer (k = 1) solved by our solver, ALGLIB's minqp and CLP, side
# by side in one run (bench/exact_qp_compare.cpp). Needs ALGLIB (Debian:
# apt-get install libalglib-dev), then: cmake --build build --target exact_qp_compare.
# Sets: DkS on gen graph --vertices 12 --p 0.4 --seed 5 (κ = 4), set cover n = m = 12
# (--max-cost 3 --seed 5), sat1 on gen 3sat --vars 3 --clauses 6 --seed 5.
# Usage: bench/exact_qp_compare.sh [MAX_QPS_PER_SET] [build]
set -euo pipefail
N=${1:-100}
B=${2:-build}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
R=$B/relugap
. "$(dirname "$0")/exact_sets.sh"
exact_sets "$R" "$D" 12
echo "# $(date -u +%FT%TZ) load before: $(uptime | sed 's/.*load average: //')"
"$B/exact_qp_compare" --max-qps "$N" dks12="$D/dks12.libsvm" sc12="$D/sc12.libsvm" sat3="$D/sat3.libsvm"
echo "# load after: $(uptime | sed 's/.*load average: //')"
