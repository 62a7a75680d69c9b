#!/usr/bin/env bash
# Exact trainer with 2 units, with and without the unit symmetry rule (train --no-symmetry),
# side by side in one run: status, nodes, CPU seconds, loss and lower bound.
# Sets: exact_two_sets of bench/exact_sets.sh: the mirrored set of tests/test_train_exact.cpp
# (8 samples, d = 2), seeded random sets of 8, 10 and 12 samples in d = 2 and 3, and the sat2
# reduction of gen 3sat --vars 3 --clauses 1 --seed 5 (22 samples, d = 8; --force).
# Usage: bench/exact_symmetry.sh [SECONDS] [build/relugap]
set -euo pipefail
T=${1:-60}
R=${2:-build/relugap}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
. "$(dirname "$0")/exact_sets.sh"
exact_two_sets "$R" "$D"
echo "# $(date -u +%FT%TZ) load before: $(uptime | sed 's/.*load average: //')  time limit $T s"
for set in $EXACT_TWO_SETS; do
  for sym in on off; do
    flag=()
    [ "$sym" = off ] && flag=(--no-symmetry)
    out=$( { /usr/bin/time -f "%U %S" "$R" train "$D/$set.libsvm" --units 2 --algo exact --time-limit "$T" \
             --seed 1 --force "${flag[@]}" -o "$D/net.json" --json 2>"$D/time"; } )
    python3 - "$set" "$sym" "$out" "$(tail -1 "$D/time")" <<'PY'
import json, sys
s, sym, o, t = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4].split()
n, cpu = o["stats"]["nodes"], float(t[0]) + float(t[1])
print(f"| {s} | {sym} | {o['status_text']} | {n} | {cpu:.2f} | {o['seconds']:.2f} | {o['loss']:.10g} | "
      f"{o['lower_bound']:.10g} |")
PY
  done
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
