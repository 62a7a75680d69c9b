#!/usr/bin/env bash
# Exact trainer (k = 1, native certified node QP) on reduced instances of each family, one
# or more relugap binaries side by side in one run: status, nodes, wall and CPU seconds.
# Sets: set cover n = m = 12, 16, 20 (gen setcover --max-cost 3 --seed 5), DkS n = 12, 16, 20
# (gen graph --p 0.4 --seed 5, κ = 4), sat1 on gen 3sat --vars 3 --clauses 6 --seed 5.
# Usage: bench/exact_compare.sh SECONDS build/relugap [other/relugap ...]
set -euo pipefail
T=${1:-60}
shift || true
[ $# -gt 0 ] || set -- build/relugap
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
R=$1
. "$(dirname "$0")/exact_sets.sh"
exact_sets "$R" "$D"
echo "# $(date -u +%FT%TZ) load before: $(uptime | sed 's/.*load average: //')  time limit $T s"
for set in sat3 sc12 sc16 sc20 dks12 dks16 dks20; do
  for bin in "$@"; do
    out=$( { /usr/bin/time -f "%U %S" "$bin" train "$D/$set.libsvm" --units 1 --algo exact --time-limit "$T" \
             --seed 1 -o "$D/net.json" --json 2>"$D/time"; } )
    python3 - "$set" "$bin" "$out" "$(tail -1 "$D/time")" <<'PY'
import json, sys
s, b, o, t = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4].split()
n, wall, cpu = o["stats"]["nodes"], o["seconds"], float(t[0]) + float(t[1])
print(f"{s:6} {b:28} {o['status_text']:34} nodes {n:6d} wall {wall:7.2f} s cpu {cpu:6.2f} s"
      f"  loss {o['loss']:.12g} lower {o['lower_bound']:.12g}")
PY
  done
done
echo "# load after: $(uptime | sed 's/.*load average: //')"
