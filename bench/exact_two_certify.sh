#!/usr/bin/env bash
# Exact trainer with 2 units: the float path (--exact-qp clp, CLP node bounds only, as
# before the k = 2 certificates) and the certified path (default) side by side in one run:
# status, nodes, CPU seconds, loss, lower bound, certificates. Sets: exact_two_sets of
# bench/exact_sets.sh, as in bench/exact_symmetry.sh (the mirrored set, seeded random sets
# of 8-12 samples in d = 2, 3, the sat2 reduction of gen 3sat --vars 3 --clauses 1 --seed 5;
# --force).
# Usage: bench/exact_two_certify.sh [SECONDS] [build/relugap] [RUNS]
set -euo pipefail
T=${1:-60}
R=${2:-build/relugap}
N=${3:-1}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
. "$(dirname "$0")/exact_sets.sh"
exact_two_sets "$R" "$D"
echo "# $(date -u +%FT%TZ) load before: $(uptime | sed 's/.*load average: //')  time limit $T s, $N run(s)"
echo "| set | path | status | nodes | CPU s | loss | lower bound | certificates | boxes / exact duals |"
echo "|---|---|---|---|---|---|---|---|---|"
for set in $EXACT_TWO_SETS; do
  for qp in clp native; do
    cpus=""
    for run in $(seq "$N"); do
      out=$( { /usr/bin/time -f "%U %S" "$R" train "$D/$set.libsvm" --units 2 --algo exact --time-limit "$T" \
               --seed 1 --force --exact-qp "$qp" -o "$D/net.json" --json 2>"$D/time"; } )
      cpus="$cpus $(tail -1 "$D/time" | awk '{printf "%.2f", $1 + $2}')"
    done
    python3 - "$set" "$qp" "$out" "$cpus" <<'PY'
import json, re, sys
s, qp, o, cpus = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4].split()
bx = re.search(r"\((\d+) boxes, (\d+) exact dual bounds\)", o["message"])
bx = f"{bx.group(1)} / {bx.group(2)}" if bx else "-"
st = o["stats"]
path = "float (clp)" if qp == "clp" else "certified"
print(f"| {s} | {path} | {o['status_text']} | {st['nodes']} | {', '.join(cpus)} | {o['loss']:.10g} | "
      f"{o['lower_bound']:.10g} | {st.get('certificates', '-')} | {bx} |")
PY
  done
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
