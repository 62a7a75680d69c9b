#!/usr/bin/env bash
# Node rate of `exact` (k = 1, native certified node QP) on reduced set cover (n = m = 12) and
# DkS (n = 12, κ = 4) sets: a fixed node budget, nodes per wall second and per CPU second
# (user + sys of the process, so that a loaded machine does not hide the figure), for one or
# more relugap binaries side by side, each run REPS times (the spread is the min..max).
# Usage: bench/exact_node_rate.sh [NODES] [REPS] build/relugap [other/relugap ...]
set -euo pipefail
N=${1:-5000}
REPS=${2:-3}
shift 2 || true
[ $# -gt 0 ] || set -- build/relugap
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
R=$1
"$R" gen setcover --elements 12 --sets 12 --max-cost 3 --seed 5 -o "$D/sc12.txt" >/dev/null
"$R" reduce setcover "$D/sc12.txt" -o "$D/sc12.libsvm" >/dev/null
"$R" gen graph --vertices 12 --p 0.4 --seed 5 -o "$D/g12.clq" >/dev/null
"$R" reduce dks "$D/g12.clq" --kappa 4 -o "$D/dks12.libsvm" >/dev/null
echo "# $(date -u +%FT%TZ) load before: $(uptime | sed 's/.*load average: //')  nodes <= $N, $REPS runs each"
for set in dks12 sc12; do
  for bin in "$@"; do
    for _ in $(seq "$REPS"); do
      out=$( { /usr/bin/time -f "%U %S" "$bin" train "$D/$set.libsvm" --units 1 --algo exact --time-limit 600 \
               --max-nodes "$N" --seed 1 -o "$D/net.json" --json 2>"$D/time"; } )
      python3 - "$set" "$bin" "$out" "$(tail -1 "$D/time")" <<'PY'
import json, sys
s, b, o, t = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4].split()
n, wall, cpu = o["stats"]["nodes"], o["seconds"], float(t[0]) + float(t[1])
print(f"{s:6} {b:28} {o['status_text']:34} nodes {n:6d} wall {wall:7.3f} s cpu {cpu:6.2f} s"
      f"  {n / max(wall, 1e-9):7.0f} nodes/s wall {n / max(cpu, 1e-2):7.0f} nodes/s cpu  lower {o['lower_bound']}")
PY
    done
  done
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
